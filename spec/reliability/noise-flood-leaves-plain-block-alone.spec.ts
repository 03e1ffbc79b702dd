// The real daemon: a dedup_by block at its cap of open keys, flooded with a unique key per alert, beside a plain block that keeps up.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startWebhookStandIn } from '../../src/stand-ins/webhook.js';
import { DEFAULT_NOISE_LIMITS } from '../../src/noise/noise-state.js';
import { alertLine } from '../helpers/alert-line.js';
import { AlertsDir } from '../helpers/alerts-dir.js';
import { blockIdOf } from '../helpers/block-config.js';
import { DaemonProcess } from '../helpers/daemon-process.js';
import { eventually } from '../helpers/eventually.js';
import { webhookBlock, writeOssecConf } from '../helpers/ossec-conf.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ALERTS = 3000;
const BATCH = 30;

const flood = suite('noise control: a unique-key flood beside a plain block');
flood('with 100,000 open keys already, ~300 unique keys/s: the plain block keeps up to the end, both get every alert, the journal stays bounded', async () => {
  const dir = new AlertsDir('noise-flood');
  const service = await startWebhookStandIn();
  writeFileSync(dir.alerts, '');
  writeOssecConf(dir.home, webhookBlock('custom-plain', `${service.url}/plain`), webhookBlock('custom-keys', `${service.url}/keys`, '<dedup_by>data.srcip</dedup_by>'));
  // The block starts at its cap: the daemon's journal of a previous run, 100,000 keys still in their window.
  const noise = join(dir.home, 'var', 'integratord', 'noise');
  mkdirSync(noise, { recursive: true, mode: 0o700 });
  const until = Date.now() + 50 * 60_000;
  const seeded = Array.from({ length: DEFAULT_NOISE_LIMITS.maxKeys }, (_, i) => `{"d":"seeded-${i}","until":${until}}\n`).join('');
  writeFileSync(join(noise, `${blockIdOf('custom-keys', `${service.url}/keys`)}.journal`), seeded, { mode: 0o600 });
  const daemon = new DaemonProcess(['run', '--home', dir.home, '--grace', '1']);
  try {
    await daemon.ready();
    const written: number[] = [];
    for (let i = 0; i < ALERTS; i += BATCH) {
      const lines = Array.from({ length: BATCH }, (_, k) => {
        const n = i + k;
        const alert = JSON.parse(alertLine(`F${n}`)) as Record<string, unknown>;
        return JSON.stringify({ ...alert, data: { srcip: `203.0.${n >> 8}.${n & 255}-${n}` } });
      });
      dir.append(lines);
      written.push(Date.now());
      await sleep(100);
    }
    const lastWrite = Date.now();
    await eventually(() => service.count >= 2 * ALERTS, `every alert to both blocks (${service.count} of ${2 * ALERTS})`);
    const caughtUp = (Date.now() - lastWrite) / 1000;
    // The plain block's lag (write → request) at the start and at the end of the flood: flat, not growing with the keys.
    const lag = (from: number, to: number) => {
      const got = service.received.filter((r) => r.url === '/plain').map((r) => [Number(String((r.json as { id: string }).id).slice(1)), r.receivedAt] as const);
      const lags = got.filter(([n]) => n >= from && n < to).map(([n, at]) => at - (written[Math.floor(n / BATCH)] ?? 0)).sort((a, b) => a - b);
      return lags[Math.floor(lags.length / 2)] ?? Number.NaN;
    };
    const [first, last] = [lag(0, 300), lag(ALERTS - 300, ALERTS)];
    console.log(`    plain block median lag: first 300 alerts ${first} ms, last 300 ${last} ms`);
    // At ~300 alerts/s the daemon keeps up: a cost per alert growing with the open keys would make the last lag seconds.
    assert.ok(last < 1000, `the plain block keeps up at the end of the flood: median lag ${last} ms`);
    console.log(`    ${ALERTS} unique keys at ~${Math.round(ALERTS / ((lastWrite - (written[0] ?? lastWrite)) / 1000))}/s: both blocks caught up ${caughtUp.toFixed(1)} s after the last write`);
    assert.is((await daemon.stop('SIGTERM')).code, 0);
    const bytes = readdirSync(noise).reduce((n, f) => n + statSync(join(noise, f)).size, 0);
    assert.ok(bytes < 2 * seeded.length + 1_000_000, `the journal stays bounded by the cap: ${bytes} bytes`);
    assert.match(daemon.stdout + daemon.stderr, /NoiseCapReached/);
  } finally {
    await daemon.stop('SIGKILL');
    await service.close();
    dir.remove();
  }
});
flood.run();
