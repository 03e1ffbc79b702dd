// `integratord check`: validates ossec.conf and prints every located error and warning, startup refusals included.

import { EXIT, type Command } from './command.js';
import { HOME_OPTIONS, parseOptions } from './parse-options.js';
import { describeBlock } from '../config/describe.js';
import { byPosition, formatDiagnostic, type Diagnostic } from '../config/diagnostic.js';
import type { IntegrationConfig } from '../config/integration-config.js';
import { loadConfigFile } from '../config/load.js';
import { templateProblems } from '../integrations/message-template.js';
import { registerBlockSecrets, startupDecision } from '../pipeline/startup-check.js';
import { testAlert } from './send-test.js';
import { scrubSecrets } from '../telemetry/log.js';
import { wazuhPaths, type WazuhPaths } from '../wazuh-home.js';

const help = `Usage: integratord check [--home DIR] [-c FILE]
       integratord -t [--home DIR] [-c FILE]

Validates the <integration> blocks of ossec.conf with Wazuh's rules and prints every
problem as FILE:LINE:COL: error|warning: message, then one line per block that would run.
Besides the XML it runs the daemon's startup decision for each block and reports every block
\`run\` would disable: an unknown name (with a did-you-mean), a missing hook_url or api_key, a
custom-* with neither script in DIR/integrations nor hook_url, a group/world-writable script,
an invalid <options>, a hook_url that is not http(s) or carries user:password@, a template that
does not compile or does not render send-test's sample alert (a <body_template> that is not JSON).

Options:
  --home DIR     Wazuh home (default /var/ossec); the config is DIR/etc/ossec.conf, scripts DIR/integrations
  -c, --config FILE  read this file instead
  -h, --help     show this help

Exit codes: 0 valid and every block would run (warnings allowed), 1 errors, a block that would
be disabled, or an unreadable file, 2 wrong arguments.`;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The daemon's startup decision for each block, as diagnostics; `runs` lists the blocks that would be enabled. */
const startupDiagnostics = (file: string, blocks: readonly IntegrationConfig[], paths: WazuhPaths) => {
  const diagnostics: Diagnostic[] = [];
  const runs: IntegrationConfig[] = [];
  for (const config of blocks) {
    registerBlockSecrets(config);
    const decision = startupDecision(config, paths, { configFile: file });
    if (!decision.enabled) {
      diagnostics.push({ file, at: decision.at, severity: 'error', message: scrubSecrets(decision.reason) });
      continue;
    }
    runs.push(config);
    for (const warning of decision.warnings) diagnostics.push({ file, at: config.at, severity: 'warning', message: scrubSecrets(warning) });
    // Every template the integration renders, against send-test's sample alert: a body that is not JSON is found now.
    for (const problem of templateProblems(config, decision.integration.templates ?? [], testAlert())) {
      diagnostics.push({ ...problem, message: scrubSecrets(problem.message) });
    }
  }
  return { diagnostics, runs };
};

export const check: Command = {
  name: 'check',
  help,
  async run(argv, io) {
    const { values } = parseOptions(argv, { ...HOME_OPTIONS, test: { type: 'boolean', short: 't', default: false } });
    const paths = wazuhPaths(values.home, { config: values.config });
    const loaded = await loadConfigFile(paths.config);
    const startup = startupDiagnostics(paths.config, loaded.integrations, paths);
    const diagnostics = [...loaded.diagnostics, ...startup.diagnostics].sort(byPosition);
    for (const d of diagnostics) io.stdout.write(`${formatDiagnostic(d)}\n`);
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    const counts = `${plural(errors, 'error')}, ${plural(diagnostics.length - errors, 'warning')}`;
    if (!loaded.ok) {
      io.stdout.write(`${paths.config}: ${counts}: Wazuh would refuse to start with this file\n`);
      return EXIT.failure;
    }
    for (const block of startup.runs) io.stdout.write(`${describeBlock(block)}\n`);
    const n = loaded.integrations.length;
    const disabled = n - startup.runs.length;
    if (disabled > 0) {
      io.stdout.write(`${paths.config}: ${counts}: ${disabled} of ${plural(n, 'integration block')} would be disabled at startup\n`);
      return EXIT.failure;
    }
    if (errors > 0) {
      io.stdout.write(`${paths.config}: ${counts}: a template fails on the sample alert, so it would fail on alerts too\n`);
      return EXIT.failure;
    }
    const what = n === 0 ? 'no <integration> block (the daemon exits cleanly)' : plural(n, 'integration block');
    io.stdout.write(`${paths.config}: OK, ${what}, ${plural(diagnostics.length - errors, 'warning')}\n`);
    return EXIT.ok;
  },
};
