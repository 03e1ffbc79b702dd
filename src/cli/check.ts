// `integratord check`: validates the configuration (ossec.conf, integratord.conf) and prints every located error and warning, startup refusals included.

import { basename } from 'node:path';
import { EXIT, type Command } from './command.js';
import { HOME_OPTIONS, parseOptions } from './parse-options.js';
import { describeBlock } from '../config/describe.js';
import { formatDiagnostic, type Diagnostic } from '../config/diagnostic.js';
import type { IntegrationConfig } from '../config/integration-config.js';
import { inFileOrder, loadHomeConfig } from '../config/load-home-config.js';
import { registerBlockSecrets, startupDecision } from '../pipeline/startup-check.js';
import { scrubSecrets } from '../telemetry/log.js';
import { sharedStateMisplaced } from '../config/read-shared-state.js';
import { INTEGRATORD_CONFIG, wazuhPaths, type WazuhPaths } from '../wazuh-home.js';

const help = `Usage: integratord check [--home DIR] [-c FILE]
       integratord -t [--home DIR] [-c FILE]

Validates the <integration> blocks that 'run' reads — DIR/etc/ossec.conf, then DIR/etc/integratord.conf
when it exists, or the -c file alone — with Wazuh's rules and prints every
problem as FILE:LINE:COL: error|warning: message, then one line per block that would run.
Besides the XML it runs the daemon's startup decision for each block and reports every block
\`run\` would disable: an unknown name (with a did-you-mean), a missing hook_url or api_key, a
custom-* with neither script in DIR/integrations nor hook_url, a group/world-writable script,
an invalid <options>, a hook_url that is not http(s) or carries user:password@, a template that
does not compile or does not render send-test's sample alert (a <body_template> that is not JSON).
A block that ossec.conf also holds (same name and hook_url) is warned about: Wazuh's own
integratord delivers it too.

Options:
  --home DIR     Wazuh home (default /var/ossec): DIR/etc/ossec.conf and DIR/etc/integratord.conf, scripts DIR/integrations
  -c, --config FILE  read this file alone (still compared with DIR/etc/ossec.conf for double delivery)
  -h, --help     show this help

Exit codes: 0 valid and every block would run (warnings allowed), 1 errors, a block that would
be disabled, or an unreadable file, 2 wrong arguments.`;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The daemon's startup decision for each block, as diagnostics; `runs` lists the blocks that would be enabled. */
const startupDiagnostics = (blocks: readonly IntegrationConfig[], paths: WazuhPaths) => {
  const diagnostics: Diagnostic[] = [];
  const runs: IntegrationConfig[] = [];
  for (const config of blocks) {
    registerBlockSecrets(config);
    const file = config.file ?? paths.config;
    const decision = startupDecision(config, paths);
    if (!decision.enabled) {
      diagnostics.push({ file: decision.file ?? file, at: decision.at, severity: 'error', message: scrubSecrets(decision.reason) });
      continue;
    }
    runs.push(config);
    for (const warning of decision.warnings) diagnostics.push({ file, at: config.at, severity: 'warning', message: scrubSecrets(warning) });
  }
  return { diagnostics, runs };
};

/** Why a configuration with file errors is refused: Wazuh refuses an ossec.conf it cannot read; integratord.conf, which Wazuh never reads, only stops integratord. */
const refusal = (diagnostics: readonly Diagnostic[]): string => {
  const failing = new Set(diagnostics.filter((d) => d.severity === 'error').map((d) => d.file));
  const wazuh = [...failing].some((f) => basename(f) !== INTEGRATORD_CONFIG);
  return wazuh ? 'Wazuh would refuse to start with this file' : "'run' would refuse to start with this file (Wazuh does not read it)";
};

export const check: Command = {
  name: 'check',
  help,
  async run(argv, io) {
    const { values } = parseOptions(argv, { ...HOME_OPTIONS, test: { type: 'boolean', short: 't', default: false } });
    const paths = wazuhPaths(values.home, { config: values.config });
    const loaded = await loadHomeConfig(paths);
    const startup = startupDiagnostics(loaded.integrations, paths);
    const diagnostics = [...loaded.diagnostics, ...startup.diagnostics, ...(await sharedStateMisplaced(loaded.files))].sort(inFileOrder(loaded.files));
    for (const d of diagnostics) io.stdout.write(`${formatDiagnostic(d)}\n`);
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    const counts = `${plural(errors, 'error')}, ${plural(diagnostics.length - errors, 'warning')}`;
    if (!loaded.ok) {
      const files = [...new Set(loaded.diagnostics.filter((d) => d.severity === 'error').map((d) => d.file))];
      io.stdout.write(`${files.join(' and ')}: ${counts}: ${refusal(loaded.diagnostics)}\n`);
      return EXIT.failure;
    }
    for (const block of startup.runs) io.stdout.write(`${describeBlock(block)}\n`);
    const n = loaded.integrations.length;
    const disabled = n - startup.runs.length;
    if (disabled > 0) {
      io.stdout.write(`${loaded.file}: ${counts}: ${disabled} of ${plural(n, 'integration block')} would be disabled at startup\n`);
      return EXIT.failure;
    }
    const what = n === 0 ? 'no <integration> block (the daemon exits cleanly)' : plural(n, 'integration block');
    io.stdout.write(`${loaded.file}: OK, ${what}, ${plural(diagnostics.length - errors, 'warning')}\n`);
    return EXIT.ok;
  },
};
