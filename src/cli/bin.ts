#!/usr/bin/env node
// Entry point of the `integratord` binary.

import { main } from './cli.js';

// A reader that closed its end (`integratord explain --json FILE | head -1`) ends the output: exit at
// once and quietly, as a shell tool ends on SIGPIPE (Node ignores it). Any other stdout error is one line.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') process.stderr.write(`integratord: cannot write to standard output (${error.code ?? error.message})\n`);
  process.exit(error.code === 'EPIPE' ? 0 : 1);
});
// Without a reader for the log (`2>&1 | head`), the log is lost but the work goes on.
process.stderr.on('error', () => undefined);

process.exitCode = await main(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
