// `integratord check`: validates ossec.conf and prints every located error and warning.

import { EXIT, type Command } from './command.js';
import { HOME_OPTIONS, parseOptions } from './parse-options.js';
import { describeBlock } from '../config/describe.js';
import { formatDiagnostic } from '../config/diagnostic.js';
import { loadConfigFile } from '../config/load.js';
import { wazuhPaths } from '../wazuh-home.js';

const help = `Usage: integratord check [--home DIR] [-c FILE]
       integratord -t [--home DIR] [-c FILE]

Validates the <integration> blocks of ossec.conf with Wazuh's rules and prints every
problem as FILE:LINE:COL: error|warning: message, then one line per valid block.

Options:
  --home DIR     Wazuh home (default /var/ossec); the config is DIR/etc/ossec.conf
  -c, --config FILE  read this file instead
  -h, --help     show this help

Exit codes: 0 valid (warnings allowed), 1 errors or unreadable file, 2 wrong arguments.`;

export const check: Command = {
  name: 'check',
  help,
  async run(argv, io) {
    const { values } = parseOptions(argv, { ...HOME_OPTIONS, test: { type: 'boolean', short: 't', default: false } });
    const paths = wazuhPaths(values.home, { config: values.config });
    const loaded = await loadConfigFile(paths.config);
    for (const d of loaded.diagnostics) io.stdout.write(`${formatDiagnostic(d)}\n`);
    const errors = loaded.diagnostics.filter((d) => d.severity === 'error').length;
    const warnings = loaded.diagnostics.length - errors;
    if (!loaded.ok) {
      io.stdout.write(`${paths.config}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}: Wazuh would refuse to start with this file\n`);
      return EXIT.failure;
    }
    for (const block of loaded.integrations) io.stdout.write(`${describeBlock(block)}\n`);
    const n = loaded.integrations.length;
    const what = n === 0 ? 'no <integration> block (the daemon exits cleanly)' : `${n} integration block${n === 1 ? '' : 's'}`;
    io.stdout.write(`${paths.config}: OK, ${what}, ${warnings} warning${warnings === 1 ? '' : 's'}\n`);
    return EXIT.ok;
  },
};
