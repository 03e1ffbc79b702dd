// `integratord send-test NAME|--block N`: one synthetic alert through one block, printing the service's answers.

import { asyncScheduler, lastValueFrom } from 'rxjs';
import { EXIT, type Command, type CommandIo } from './command.js';
import { loadValidConfig } from './load-valid-config.js';
import { blockNumber, HOME_OPTIONS, parseOptions } from './parse-options.js';
import { testAlert } from '../alerts/test-alert.js';
import { describeBlock } from '../config/describe.js';
import type { HttpSender } from '../delivery/http.js';
import { IntegratordError, errorMessage } from '../errors.js';
import { createDeliveryParts } from '../pipeline/delivery-parts.js';
import { executeSteps } from '../pipeline/execute-steps.js';
import { startupCheck } from '../pipeline/startup-check.js';
import { redactUrl, scrubSecrets } from '../telemetry/log.js';
import { bodyExcerpt } from '../delivery/classify-http.js';
import { blockLabels } from '../telemetry/metrics.js';
import { wazuhPaths } from '../wazuh-home.js';

const help = `Usage: integratord send-test NAME [--home DIR] [-c FILE]
       integratord send-test --block N [--home DIR] [-c FILE]

Sends one synthetic alert (rule 100999, level 12, with a FIM hash and a public source IP so that
every integration has something to send) through one block (of ossec.conf and integratord.conf, as run reads them) — the first block named
NAME, or block N — past its filters, with its timeout and retries, and prints every answer of the
service. Use it after changing a hook_url or an api_key. Secrets are never printed.

Options:
  --block N          the block at 0-based position N (ossec.conf's blocks, then integratord.conf's)
  --home DIR         Wazuh home (default /var/ossec)
  -c, --config FILE  read this file alone (default: DIR/etc/ossec.conf and DIR/etc/integratord.conf, as run)
  --enrichment-out FILE  VirusTotal/Maltiverse events to FILE instead of Wazuh's queue socket
  -h, --help         show this help

Exit codes: 0 delivered, 1 not delivered (or the block is disabled), 2 wrong arguments.`;

const OPTIONS = { ...HOME_OPTIONS, block: { type: 'string' }, 'enrichment-out': { type: 'string' } } as const;

/** Wraps the HTTP client so that every answer is printed (status and the start of the body). */
const printing = (http: HttpSender, io: CommandIo): HttpSender => ({
  async send(request, signal) {
    const where = `${request.method} ${redactUrl(request.url)}`;
    try {
      const response = await http.send(request, signal);
      const body = bodyExcerpt(response.body, 500);
      io.stdout.write(`${where} → HTTP ${response.status}${body === '' ? '' : `: ${body}`}\n`);
      return response;
    } catch (error) {
      io.stdout.write(`${where} → no answer: ${scrubSecrets(errorMessage(error))}\n`);
      throw error;
    }
  },
});

export const sendTest: Command = {
  name: 'send-test',
  help,
  async run(argv: readonly string[], io: CommandIo) {
    const { values, positionals } = parseOptions(argv, OPTIONS, true);
    const [name, ...extra] = positionals;
    if ((name === undefined) === (values.block === undefined) || extra.length > 0) {
      throw new IntegratordError('INTEGRATORD_USAGE', 'give either an integration NAME or --block N');
    }
    const paths = wazuhPaths(values.home, { config: values.config });
    const loaded = await loadValidConfig(paths, io);
    const index = values.block === undefined ? undefined : blockNumber(values.block);
    const config = loaded.integrations.find((c) => (index === undefined ? c.name === name : c.index === index));
    if (config === undefined) {
      const known = loaded.integrations.map((c) => `#${c.index} ${c.name}`).join(', ') || 'none';
      throw new IntegratordError('INTEGRATORD_USAGE', `no block ${index === undefined ? `named '${name}'` : `#${index}`} in ${loaded.file} (blocks: ${known})`);
    }
    io.stdout.write(`${describeBlock(config)}\n`);
    const started = startupCheck(config, paths);
    if (!started.enabled) {
      io.stdout.write(`disabled: ${started.reason}\n`);
      return EXIT.failure;
    }
    const alert = testAlert();
    const reason = started.block.skip?.(alert);
    if (reason !== undefined) {
      io.stdout.write(`the ${config.name} integration skips the test alert: ${reason}\n`);
      return EXIT.failure;
    }
    const parts = createDeliveryParts({ paths, enrichmentOut: values['enrichment-out'] });
    try {
      const result = await lastValueFrom(
        executeSteps(started.block.plan(alert), {
          config,
          labels: blockLabels(config.index, config.name),
          http: printing(parts.http, io),
          scripts: parts.scripts,
          queue: parts.queue,
          smtp: parts.smtp,
          pauses: parts.pauses,
          metrics: parts.metrics,
          scheduler: asyncScheduler,
        }),
      );
      io.stdout.write(
        result.delivered
          ? `delivered (${result.attempts} attempt${result.attempts === 1 ? '' : 's'})\n`
          : `NOT delivered after ${result.attempts} attempt(s): ${scrubSecrets(result.reason ?? 'unknown')}\n`,
      );
      return result.delivered ? EXIT.ok : EXIT.failure;
    } finally {
      await parts.close();
    }
  },
};
