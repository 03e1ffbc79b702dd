// Runs the Library example of README.md as it is written, against a webhook stand-in.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { blockIdBase } from '../src/config/block-identity.js';
import { Secret } from '../src/config/secret.js';
import { startWebhookStandIn } from '../src/stand-ins/webhook.js';
import { REPO_ROOT } from './helpers/spawned-cli.js';
import { tempDirSync } from './helpers/temp-dir.js';

const README = fileURLToPath(new URL('../README.md', import.meta.url));
const INDEX = fileURLToPath(new URL('../src/index.ts', import.meta.url));
/** 20 s: a tsx start takes ~1 s; only there so that a hung example fails instead of hanging the suite. */
const DEADLINE_MS = 20_000;

/** The ```ts block right after `<!-- NAME` in README.md, as it is. */
const exampleOf = (readme: string, name = 'library-example'): string => {
  const marker = readme.indexOf(`<!-- ${name}`);
  assert.ok(marker >= 0, `README has the ${name} marker`);
  const block = /```ts\n([\s\S]*?)\n```/.exec(readme.slice(marker));
  assert.ok(block?.[1], 'a ```ts block follows the marker');
  return block[1];
};

const example = suite('README library example');

example('runs as written against a webhook stand-in: the level-12 alert is delivered, the level-3 one skipped', async () => {
  const source = exampleOf(readFileSync(README, 'utf8'));
  assert.match(source, "from 'integratord'");
  const tmp = tempDirSync('readme-example');
  const service = await startWebhookStandIn();
  try {
    // The example's own imports (rxjs) resolve from the repository's node_modules.
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(tmp.dir, 'node_modules'), 'dir');
    const file = join(tmp.dir, 'example.mts');
    writeFileSync(file, source.replaceAll("from 'integratord'", `from ${JSON.stringify(INDEX)}`));
    const run = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', file],
        { cwd: REPO_ROOT, timeout: DEADLINE_MS, env: { ...process.env, SIEM_URL: `${service.url}/wazuh`, STATE_DIR: join(tmp.dir, 'state') } },
        (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
    assert.is(run.code, 0, run.stderr);
    assert.equal(run.stdout.trimEnd().split('\n').sort(), ['block 0 custom-siem: delivered', 'block 0 custom-siem: skipped']);
    assert.match(run.stderr, "INFO: Enabling integration for: 'custom-siem'.");
    assert.is(service.received.length, 1);
    const [request] = service.received;
    assert.is(request?.method, 'POST');
    assert.is(request?.url, '/wazuh');
    assert.is(request?.headers['content-type'], 'application/json');
    assert.is(request?.headers['idempotency-key'], '1764291600.1-0');
    assert.equal(request?.json, {
      timestamp: '2026-11-28T01:00:00.000+0000',
      rule: { level: 12, id: '5712', groups: ['sshd'], description: 'brute force' },
      id: '1764291600.1',
      location: '/var/log/auth.log',
    });
  } finally {
    await service.close();
    tmp.remove();
  }
});

example.run();

const service = suite('README library service example');

/** Two alerts the service's block (level 10) takes and one it skips, as one POST body. */
const alert = (level: number, n: number) => ({ timestamp: '2026-11-28T01:00:00.000+0000', rule: { level, id: '5712', groups: ['sshd'] }, id: `1764291600.${n}`, location: '/var/log/auth.log' });

service('runs as written: each POST is answered with its alerts\' outcomes, SIGTERM stops it with the counts', async () => {
  const source = exampleOf(readFileSync(README, 'utf8'), 'library-service-example');
  assert.match(source, "from 'integratord'");
  assert.match(source, '.send(');
  const tmp = tempDirSync('readme-service');
  // The SIEM answers in 50 ms: the answers can only come after the deliveries did.
  const siem = await startWebhookStandIn({ delayMs: 50 });
  const file = join(tmp.dir, 'service.mts');
  writeFileSync(file, source.replaceAll("from 'integratord'", `from ${JSON.stringify(INDEX)}`));
  const child = spawn(process.execPath, ['--import', 'tsx', file], {
    cwd: REPO_ROOT,
    env: { ...process.env, SIEM_URL: `${siem.url}/wazuh`, STATE_DIR: join(tmp.dir, 'state'), PORT: '0' },
  });
  const deadline = setTimeout(() => child.kill('SIGKILL'), DEADLINE_MS);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = once(child, 'exit');
  try {
    while (!/listening on (\S+)/.test(stdout)) {
      assert.is(child.exitCode, null, stderr);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const url = /listening on (\S+)/.exec(stdout)?.[1] ?? '';
    const post = async (body: string) => {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      return { status: response.status, json: (await response.json()) as unknown };
    };
    const [batch, single, broken] = await Promise.all([
      post(JSON.stringify([alert(12, 1), alert(3, 2), 'not an alert'])),
      post(JSON.stringify(alert(11, 3))),
      post('{"rule":'),
    ]);
    const block = blockIdBase({ name: 'custom-siem', hookUrl: new Secret(`${siem.url}/wazuh`) });
    assert.is(batch.status, 200);
    assert.equal(batch.json, [
      { id: '1764291600.1', block, kind: 'delivered' },
      { id: '1764291600.2', block, kind: 'skipped', reason: 'level' },
      { block, kind: 'rejected', reason: 'not-an-object' },
    ]);
    assert.equal(single, { status: 200, json: [{ id: '1764291600.3', block, kind: 'delivered' }] });
    assert.equal(broken, { status: 400, json: { error: 'body is not JSON' } });
    assert.equal(siem.received.map((r) => (r.json as { id: string }).id).sort(), ['1764291600.1', '1764291600.3']);
    child.kill('SIGTERM');
    const [code] = await exited;
    assert.is(code, 0, stderr);
    assert.match(stdout, 'stopped: 2 delivered, 1 skipped, 0 dead-lettered');
  } finally {
    clearTimeout(deadline);
    if (child.exitCode === null) child.kill('SIGKILL');
    await siem.close();
    tmp.remove();
  }
});

service.run();
