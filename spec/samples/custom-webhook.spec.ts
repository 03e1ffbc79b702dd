// Runs the sample custom integrations (Python and bash) with Wazuh's argv against a stand-in service.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStandIn } from '../../src/stand-ins/stand-in-server.js';

const script = (name: string) => fileURLToPath(new URL(`../../samples/integrations/${name}`, import.meta.url));
const run = (file: string, args: string[]) =>
  new Promise<{ code: number; output: string }>((resolve) => {
    execFile(file, args, { timeout: 20_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, output: stdout + stderr }),
    );
  });

const alert = { timestamp: '2026-11-28T01:00:00.000+0000', rule: { level: 10, id: '5712' }, id: '1.2', location: 'x' };

for (const name of ['custom-webhook.py', 'custom-webhook.sh']) {
  const sample = suite(`samples/integrations/${name}`);
  sample('posts the alert with Wazuh\'s argv (non-debug: 9th argument) and exits 0', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'integratord-sample-'));
    const service = await startStandIn({ answer: () => ({ status: 200, body: 'ok' }) });
    try {
      const file = join(dir, 'a.alert');
      await writeFile(file, `${JSON.stringify(alert)}\n`);
      const r = await run(script(name), [file, 'the-api-key', `${service.url}/hook`, '', '', '10', '3', '> /dev/null 2>&1']);
      assert.is(r.code, 0, r.output);
      assert.is(service.received.length, 1);
      assert.is(service.received[0]?.url, '/hook');
      assert.is(service.received[0]?.headers['authorization'], 'Bearer the-api-key');
      assert.equal((service.received[0]?.json as { rule: unknown }).rule, alert.rule);
    } finally {
      await service.close();
      await rm(dir, { recursive: true });
    }
  });
  sample('exits non-zero when the service refuses, so integratord dead-letters the alert', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'integratord-sample-'));
    const service = await startStandIn({ answer: () => ({ status: 503 }) });
    try {
      const file = join(dir, 'a.alert');
      await writeFile(file, JSON.stringify(alert));
      const r = await run(script(name), [file, '', service.url, 'debug', '', '5', '0']);
      assert.is.not(r.code, 0);
      assert.match(r.output, '503');
    } finally {
      await service.close();
      await rm(dir, { recursive: true });
    }
  });
  sample.run();
}
