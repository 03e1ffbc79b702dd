// The command line: dispatches to one command and maps errors to exit codes.

import { EXIT, type CommandIo } from './command.js';
import { COMMANDS } from './commands.js';
import { VERSION } from './version.js';
import { IntegratordError } from '../errors.js';

const usage = (): string => {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `Usage: integratord <command> [options]

A drop-in replacement for wazuh-integratord: filters Wazuh alerts per <integration> block
and delivers them with timeouts, retries, durable progress and dead letters.

Commands:
${lines.join('\n')}

Run 'integratord <command> --help' for the options of one command.
'integratord -t' is 'integratord check', as with Wazuh's daemons.
'integratord --version' prints the version.

Exit codes: 0 success, 1 failure (invalid config, I/O error), 2 wrong arguments,
3 finished but some alerts were dead-lettered (replay, dlq redrive).`;
};

/** Runs one command line; resolves with the exit code, never throws. */
export const main = async (argv: readonly string[], io: CommandIo): Promise<number> => {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    io.stdout.write(`${usage()}\n`);
    return first === undefined ? EXIT.usage : EXIT.ok;
  }
  if (first === '--version' || first === '-V') {
    io.stdout.write(`integratord ${VERSION}\n`);
    return EXIT.ok;
  }
  const name = first === '-t' ? 'check' : first;
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    io.stderr.write(`integratord: unknown command '${first}'\n\n${usage()}\n`);
    return EXIT.usage;
  }
  const command = await entry.load();
  // Every command answers --help the same way, before its own options are parsed.
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`${command.help}\n`);
    return EXIT.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof IntegratordError) {
      io.stderr.write(`integratord ${command.name}: ${error.message}\n`);
      if (error.code === 'INTEGRATORD_USAGE') io.stderr.write(`Run 'integratord ${command.name} --help' for usage.\n`);
      return error.code === 'INTEGRATORD_USAGE' ? EXIT.usage : EXIT.failure;
    }
    io.stderr.write(`integratord ${command.name}: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT.failure;
  }
};
