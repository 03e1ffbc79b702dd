// `integratord demo` (what `npm start` runs): the main job end to end, without any account.

import { EXIT, type Command, type CommandIo } from './command.js';
import { parseOptions } from './parse-options.js';
import { runDemo } from '../demo/run-demo.js';
import { configureLog } from '../telemetry/log.js';

const help = `Usage: integratord demo [-d]

Starts stand-in services on 127.0.0.1 that answer like Slack, PagerDuty, Shuffle, VirusTotal,
Maltiverse and a webhook, writes a temporary Wazuh home whose ossec.conf is samples/ossec.conf
pointed at them, replays samples/alerts.json through the real pipeline (filters, payloads,
retries, write-back to a real queue socket), and prints what each service received.
Nothing is sent beyond this machine; everything is removed afterwards.

Options:
  -d, --debug   show the pipeline's log lines (why each alert was skipped)
  -h, --help    show this help

Exit codes: 0 the demo ran and nothing was dead-lettered, 1 otherwise.`;

export const demo: Command = {
  name: 'demo',
  help,
  async run(argv: readonly string[], io: CommandIo) {
    const { values } = parseOptions(argv, { help: { type: 'boolean', short: 'h', default: false }, debug: { type: 'boolean', short: 'd', multiple: true } });
    const debug = values.debug?.length ?? 0;
    // The table is the output; the log says only what went wrong unless -d.
    const previous = configureLog({ debug, destination: { write: (chunk: string) => (debug > 0 || /: (WARNING|ERROR|CRITICAL): /.test(chunk) ? io.stderr.write(chunk) : true) } });
    try {
      const result = await runDemo();
      io.stdout.write(`${result.lines.join('\n')}\n`);
      return result.deadLettered === 0 && result.delivered > 0 ? EXIT.ok : EXIT.failure;
    } finally {
      configureLog(previous);
    }
  },
};
