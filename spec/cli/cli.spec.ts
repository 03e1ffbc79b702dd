// Specs for src/cli/cli.ts (The command line: dispatches to one command and maps errors to exit codes).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { main } from '../../src/cli/cli.js';
import { COMMANDS } from '../../src/cli/commands.js';

const run = async (...argv: string[]) => {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: { write: (s: string) => ((stdout += s), true) } as never, stderr: { write: (s: string) => ((stderr += s), true) } as never });
  return { code, stdout, stderr };
};

const cli = suite('main');
cli('prints usage with every command and the exit codes on --help', async () => {
  const r = await run('--help');
  assert.is(r.code, 0);
  for (const c of COMMANDS) assert.match(r.stdout, `  ${c.name}`);
  assert.match(r.stdout, 'Exit codes: 0 success');
});
cli('exits 2 with usage when no command is given', async () => {
  const r = await run();
  assert.is(r.code, 2);
  assert.match(r.stdout, 'Usage: integratord <command>');
});
cli('exits 2 on an unknown command', async () => {
  const r = await run('frobnicate');
  assert.is(r.code, 2);
  assert.match(r.stderr, "unknown command 'frobnicate'");
});
cli('gives every command a --help that exits 0', async () => {
  for (const c of COMMANDS) {
    const r = await run(c.name, '--help');
    assert.is(r.code, 0, c.name);
    assert.match(r.stdout, `integratord ${c.name}`);
  }
});
cli.run();
