// Specs for src/cli/cli.ts (The command line: dispatches to one command and maps errors to exit codes).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { main } from '../../src/cli/cli.js';
import { COMMANDS } from '../../src/cli/commands.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, runCli } from '../helpers/spawned-cli.js';

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
cli('--version prints the version of package.json and exits 0, in process and as the real binary', async () => {
  const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
  assert.equal(await run('--version'), { code: 0, stdout: `integratord ${version}\n`, stderr: '' });
  const spawned = await runCli(['--version']);
  assert.equal([spawned.code, spawned.stdout], [0, `integratord ${version}\n`]);
  assert.match((await run('--help')).stdout, "'integratord --version' prints the version");
});
cli.run();
