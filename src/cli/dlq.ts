// `integratord dlq list|redrive|drop`: inspect, re-send and remove dead letters.

import { EXIT, type Command, type CommandIo } from './command.js';
import { blockNumber, HOME_OPTIONS, parseOptions } from './parse-options.js';
import { stringField } from '../alerts/alert.js';
import { formatDiagnostic } from '../config/diagnostic.js';
import { loadConfigFile } from '../config/load.js';
import { DeadLetterStore, type DeadLetterFile } from '../delivery/dead-letter.js';
import { DestinationPauses } from '../delivery/destination-pauses.js';
import { HttpClient } from '../delivery/http.js';
import type { QueueWriter } from '../delivery/queue-writer.js';
import { scriptRunner } from '../delivery/run-script.js';
import { SmtpClient } from '../delivery/smtp.js';
import { IntegratordError } from '../errors.js';
import { redriveFile } from '../pipeline/redrive.js';
import { scrubSecrets } from '../telemetry/log.js';
import { createMetrics } from '../telemetry/metrics.js';
import { wazuhPaths, type WazuhPaths } from '../wazuh-home.js';

const help = `Usage: integratord dlq list    [--block N] [--home DIR] [--state DIR]
       integratord dlq redrive [--block N] [--home DIR] [-c FILE] [--state DIR]
       integratord dlq drop    {--block N | --alert ID | --all} [--home DIR] [--state DIR]

Dead letters are alerts a block gave up on (retries ran out, or the service refused them),
kept in STATE/dead-letter/<block>-<name>.jsonl.

  list     print a table: block, integration, alert id, rule id, attempts, reason, time
  redrive  send them again through the same block of ossec.conf (its filters, integration,
           timeouts and retries); delivered ones are removed, failures stay with the new attempt
  drop     remove them for good: those of --block N and/or --alert ID, or every one with --all;
           prints how many

Options:
  --block N      only the dead letters of block N (0-based position in ossec.conf)
  --alert ID     drop: only the records of this alert id
  --all          drop: every dead letter of every block (drop needs --all, --block or --alert)
  --home DIR     Wazuh home (default /var/ossec)
  -c, --config FILE  ossec.conf to read (redrive; default DIR/etc/ossec.conf)
  --state DIR    state directory (default DIR/var/integratord)
  -h, --help     show this help

Exit codes: 0 success (redrive: every record delivered), 1 error (unreadable config or
state), 2 wrong arguments, 3 redrive finished but some records are still dead.`;

/** Where redriven enrichment write-backs go (the Wazuh queue socket in the CLI). */
export type QueueWriterFactory = (paths: WazuhPaths) => QueueWriter;

const OPTIONS = {
  ...HOME_OPTIONS,
  state: { type: 'string' },
  block: { type: 'string' },
  alert: { type: 'string' },
  all: { type: 'boolean', default: false },
} as const;

const cell = (text: string, width: number) => (text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width));

const table = (rows: readonly (readonly string[])[]): string => {
  const widths = rows[0]!.map((_, i) => Math.min(i === 5 ? 60 : 40, Math.max(...rows.map((r) => (r[i] ?? '').length))));
  return rows.map((r) => r.map((c, i) => cell(c, widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
};


const list = async (store: DeadLetterStore, files: readonly DeadLetterFile[], io: CommandIo): Promise<number> => {
  const rows: string[][] = [['BLOCK', 'INTEGRATION', 'ALERT ID', 'RULE ID', 'ATTEMPTS', 'REASON', 'TIME']];
  for (const file of files) {
    for (const entry of await store.entries(file.path)) {
      const r = entry.record;
      if (!r) continue;
      const reason = r.status === undefined || r.reason.includes(String(r.status)) ? r.reason : `${r.status} ${r.reason}`;
      rows.push([String(r.block), r.integration, stringField(r.alert, 'id') ?? '-', stringField(r.alert, 'rule', 'id') ?? '-', String(r.attempts), scrubSecrets(reason), r.time]);
    }
  }
  if (rows.length === 1) {
    io.stdout.write(`no dead letters in ${store.dir}\n`);
    return EXIT.ok;
  }
  io.stdout.write(`${table(rows)}\n${rows.length - 1} dead letter${rows.length === 2 ? '' : 's'}\n`);
  return EXIT.ok;
};

const drop = async (store: DeadLetterStore, files: readonly DeadLetterFile[], alert: string | undefined, io: CommandIo): Promise<number> => {
  let removed = 0;
  for (const file of files) {
    const counts = await store.rewrite(file.path, (r) => (alert === undefined || stringField(r.alert, 'id') === alert ? undefined : r));
    removed += counts.removed;
  }
  io.stdout.write(`dropped ${removed} dead letter${removed === 1 ? '' : 's'}\n`);
  return EXIT.ok;
};

const redrive = async (store: DeadLetterStore, files: readonly DeadLetterFile[], paths: WazuhPaths, queueWriter: QueueWriterFactory, io: CommandIo): Promise<number> => {
  const loaded = await loadConfigFile(paths.config);
  if (!loaded.ok) {
    for (const d of loaded.diagnostics) io.stderr.write(`${formatDiagnostic(d)}\n`);
    io.stderr.write(`integratord dlq: ${paths.config} is not valid: nothing redriven\n`);
    return EXIT.failure;
  }
  const http = new HttpClient();
  const smtp = new SmtpClient();
  const queue = queueWriter(paths);
  let stillDead = 0;
  try {
    const parts = { store, configs: loaded.integrations, paths, http, scripts: scriptRunner(paths.home), queue, smtp, pauses: new DestinationPauses(), metrics: createMetrics() };
    for (const file of files) {
      const r = await redriveFile(file, parts);
      stillDead += r.stillDead;
      const skipped = r.skipped > 0 ? `, ${r.skipped} no longer taken by the block's filters (kept)` : '';
      const error = r.error === undefined ? '' : ` (${r.error})`;
      io.stdout.write(`block ${r.block} (${r.integration}): ${r.total} redriven, ${r.delivered} delivered, ${r.stillDead} still dead${skipped}${error}\n`);
    }
  } finally {
    await Promise.all([http.close(), smtp.close(), queue.close()]);
  }
  if (files.length === 0) io.stdout.write(`no dead letters in ${store.dir}\n`);
  return stillDead > 0 ? EXIT.deadLettered : EXIT.ok;
};

/** Builds the command; `queueWriter` makes the writer that redriven enrichment events go through. */
export const createDlqCommand = (queueWriter: QueueWriterFactory): Command => ({
  name: 'dlq',
  summary: 'list, redrive or drop dead-lettered alerts',
  help,
  async run(argv, io) {
    const { values, positionals } = parseOptions(argv, OPTIONS, true);
    const [action, ...extra] = positionals;
    if (action === undefined || extra.length > 0 || !['list', 'redrive', 'drop'].includes(action)) {
      throw new IntegratordError('INTEGRATORD_USAGE', action === undefined ? 'missing action: list, redrive or drop' : `unknown action '${[action, ...extra].join(' ')}'`);
    }
    if (values.alert !== undefined && action !== 'drop') throw new IntegratordError('INTEGRATORD_USAGE', '--alert only applies to drop');
    if (values.all && action !== 'drop') throw new IntegratordError('INTEGRATORD_USAGE', '--all only applies to drop');
    const narrowed = values.block !== undefined || values.alert !== undefined;
    if (values.all && narrowed) throw new IntegratordError('INTEGRATORD_USAGE', '--all drops every dead letter: give it without --block and --alert');
    if (action === 'drop' && !values.all && !narrowed) throw new IntegratordError('INTEGRATORD_USAGE', 'drop removes dead letters for good: give --block N and/or --alert ID, or --all for every one');
    const block = values.block === undefined ? undefined : blockNumber(values.block);
    const paths = wazuhPaths(values.home, { config: values.config, state: values.state });
    const store = new DeadLetterStore(paths.state);
    let files: DeadLetterFile[];
    try {
      files = (await store.files()).filter((f) => block === undefined || f.block === block);
    } catch (error) {
      throw new IntegratordError('INTEGRATORD_IO', `cannot read ${store.dir} (${(error as Error).message})`, { cause: error });
    }
    if (action === 'list') return list(store, files, io);
    if (action === 'drop') return drop(store, files, values.alert, io);
    return redrive(store, files, paths, queueWriter, io);
  },
});

