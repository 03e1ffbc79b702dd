// Specs for src/cli/check.ts (`integratord check`: validates ossec.conf and prints every located error and warning).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, mkdir, copyFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/cli.js';
import { fixturePath } from '../helpers/fixture-path.js';

const run = async (...argv: string[]) => {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: { write: (s: string) => ((stdout += s), true) } as never, stderr: { write: (s: string) => ((stderr += s), true) } as never });
  return { code, stdout, stderr };
};

const check = suite('integratord check');
check('exits 0 and lists the blocks of a valid file', async () => {
  const r = await run('check', '-c', fixturePath('ossec-conf', 'valid-all-tags.conf'));
  assert.is(r.code, 0);
  assert.match(r.stdout, '#0 slack: level>=10, hook_url set, json');
  assert.match(r.stdout, 'OK, 3 integration blocks, 0 warnings');
  assert.not.match(r.stdout, 'XXXX');
});
check('exits 1 and prints every error as FILE:LINE:COL', async () => {
  const file = fixturePath('ossec-conf', 'bad-numbers.conf');
  const r = await run('check', '-c', file);
  assert.is(r.code, 1);
  assert.match(r.stdout, `${file}:4:5: error: <level>`);
  assert.match(r.stdout, `${file}:11:5: error: <max_log>`);
  assert.match(r.stdout, '5 errors, 0 warnings');
});
check('prints warnings but still exits 0', async () => {
  const r = await run('check', '-c', fixturePath('ossec-conf', 'warnings.conf'));
  assert.is(r.code, 0);
  assert.match(r.stdout, ':5:5: warning: level 17 is above 16');
  assert.match(r.stdout, '6 warnings');
});
check('reads HOME/etc/ossec.conf with --home, and -t is check', async () => {
  const home = await mkdtemp(join(tmpdir(), 'integratord-home-'));
  try {
    await mkdir(join(home, 'etc'));
    await copyFile(fixturePath('ossec-conf', 'warnings.conf'), join(home, 'etc', 'ossec.conf'));
    const r = await run('-t', '--home', home);
    assert.is(r.code, 0);
    assert.match(r.stdout, `${join(home, 'etc', 'ossec.conf')}: OK, 2 integration blocks`);
  } finally {
    await rm(home, { recursive: true });
  }
});
check('exits 1 with a clear message when the file cannot be read', async () => {
  const r = await run('check', '-c', '/nonexistent/ossec.conf');
  assert.is(r.code, 1);
  assert.match(r.stderr, 'cannot read /nonexistent/ossec.conf (ENOENT');
});
check('says what the daemon does when there is no integration', async () => {
  const r = await run('check', '-c', fixturePath('ossec-conf', 'no-integration.conf'));
  assert.is(r.code, 0);
  assert.match(r.stdout, 'no <integration> block (the daemon exits cleanly)');
});
check('prints its help with --help and exits 2 on an unknown option', async () => {
  const help = await run('check', '--help');
  assert.is(help.code, 0);
  assert.match(help.stdout, 'Usage: integratord check');
  assert.match(help.stdout, 'Exit codes');
  const bad = await run('check', '--bogus');
  assert.is(bad.code, 2);
  assert.match(bad.stderr, "Unknown option '--bogus'");
});
check.run();
