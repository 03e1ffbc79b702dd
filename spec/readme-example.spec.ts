// Runs the Library example of README.md as it is written, against a webhook stand-in.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startWebhookStandIn } from '../src/stand-ins/webhook.js';
import { REPO_ROOT } from './helpers/spawned-cli.js';
import { tempDirSync } from './helpers/temp-dir.js';

const README = fileURLToPath(new URL('../README.md', import.meta.url));
const INDEX = fileURLToPath(new URL('../src/index.ts', import.meta.url));
/** 20 s: a tsx start takes ~1 s; only there so that a hung example fails instead of hanging the suite. */
const DEADLINE_MS = 20_000;

/** The ```ts block right after `<!-- library-example` in README.md, as it is. */
const exampleOf = (readme: string): string => {
  const marker = readme.indexOf('<!-- library-example');
  assert.ok(marker >= 0, 'README has the library-example marker');
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
