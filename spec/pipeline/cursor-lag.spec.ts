// Specs for src/pipeline/cursor-lag.ts (Periodically measures how far each block's cursor is behind alerts.json, for metrics and /healthz).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfigText } from '../../src/config/load.js';
import { lagBytes, watchCursorLag } from '../../src/pipeline/cursor-lag.js';
import { Integrator } from '../../src/pipeline/integrator.js';
import { startStandIn, type StandIn } from '../../src/stand-ins/stand-in-server.js';
import { HealthMonitor } from '../../src/telemetry/health.js';
import { createMetrics } from '../../src/telemetry/metrics.js';
import { wazuhPaths } from '../../src/wazuh-home.js';
import { alertLine } from '../helpers/alert-line.js';
import { AlertsDir } from '../helpers/alerts-dir.js';
import { quietDuring } from '../helpers/capture-log.js';
import { eventually } from '../helpers/eventually.js';
import { settleFor } from '../helpers/line-sources.js';
import { metricValue } from '../helpers/pipeline-harness.js';
import { ossecConf, webhookBlock } from '../helpers/ossec-conf.js';

const position = (ino: number, offset: number) => ({ identity: { dev: 1, ino }, offset });

const lag = suite('lagBytes');
lag('is the bytes after the cursor when the cursor is in alerts.json', () => {
  assert.is(lagBytes(position(7, 100), { dev: 1, ino: 7, size: 350 }), 250);
  assert.is(lagBytes(position(7, 350), { dev: 1, ino: 7, size: 350 }), 0);
});
lag('is never negative (a truncated file is behind the cursor)', () => {
  assert.is(lagBytes(position(7, 500), { dev: 1, ino: 7, size: 350 }), 0);
});
lag('is the whole size of alerts.json while the cursor still drains a rotated file (a lower bound)', () => {
  assert.is(lagBytes(position(6, 100), { dev: 1, ino: 7, size: 350 }), 350);
  assert.is(lagBytes({ identity: { dev: 2, ino: 7 }, offset: 100 }, { dev: 1, ino: 7, size: 350 }), 350, 'same inode on another device');
});
lag('is 0 without alerts.json or without a position', () => {
  assert.is(lagBytes(position(7, 100), undefined), 0);
  assert.is(lagBytes(undefined, { dev: 1, ino: 7, size: 350 }), 0);
});
lag.run();

const watch = suite('watchCursorLag');
quietDuring(watch);
let dir: AlertsDir;
let service: StandIn;
let healthy = true;
watch.before(async () => {
  dir = new AlertsDir('cursor-lag');
  service = await startStandIn({ answer: () => (healthy ? { status: 200, body: 'ok' } : { status: 503, body: 'down' }) });
});
watch.after(async () => {
  await service.close();
  dir.remove();
});

watch("feeds integratord_cursor_lag_bytes and the health monitor with each block's lag and failure streak, until stopped", async () => {
  dir.appendRaw('');
  const metrics = createMetrics();
  const integrator = new Integrator({ paths: wazuhPaths(dir.home), input: { kind: 'follow', alertsFile: dir.alerts, pollMs: 20 }, metrics, pipeline: { backoff: { baseMs: 5000, capMs: 5000 } } });
  await integrator.start(loadConfigText(ossecConf(webhookBlock('custom-a', `${service.url}/a`))).integrations);
  const health = new HealthMonitor({ unhealthyAfterMs: 0 });
  const labels = { block: '0', integration: 'custom-a' };
  const stop = watchCursorLag(integrator, dir.alerts, metrics, health, 10);
  try {
    dir.append([alertLine('G1')]);
    await eventually(() => service.count === 1, 'G1 delivered');
    await eventually(() => health.report().blocks[0]?.lagBytes === 0 && integrator.committed()[0]?.position?.offset === statSync(dir.alerts).size, 'no lag');
    assert.is(await metricValue(metrics.cursorLagBytes, labels), 0);
    assert.is(health.report().ok, true);

    healthy = false;
    const size = statSync(dir.alerts).size;
    dir.append([alertLine('G2')]);
    const behind = statSync(dir.alerts).size - size;
    await eventually(() => service.count === 2, 'G2 refused (it waits for a retry)');
    await eventually(() => health.report().blocks[0]?.lastFailure !== undefined, 'the failure streak reported');
    assert.is(await metricValue(metrics.cursorLagBytes, labels), behind, 'G2 is not settled: its bytes are the lag');
    const block = health.report().blocks[0];
    assert.equal([block?.ok, block?.lagBytes, block?.lastFailure], [false, behind, 'delivery attempts failing']);
    assert.is(health.report().ok, false);
  } finally {
    stop();
    await integrator.stop(0);
  }
  metrics.cursorLagBytes.set(labels, -1);
  await settleFor(40);
  assert.is(await metricValue(metrics.cursorLagBytes, labels), -1, 'no tick after stop()');
});

watch('a block whose dead letters cannot be written is unhealthy, reads no further than its window and keeps its cursor before them; it recovers by itself', async () => {
  const home = new AlertsDir('cursor-lag-full');
  // A file where STATE/dead-letter should be: no dead letter can be written until it is removed.
  const blocker = join(home.home, 'var', 'integratord', 'dead-letter');
  writeFileSync(blocker, 'not a directory');
  home.appendRaw('');
  const metrics = createMetrics();
  const integrator = new Integrator({ paths: wazuhPaths(home.home), input: { kind: 'follow', alertsFile: home.alerts, pollMs: 20 }, metrics });
  await integrator.start(loadConfigText(ossecConf(webhookBlock('custom-full', `${service.url}/refused`, '<retries>0</retries>'))).integrations);
  const health = new HealthMonitor();
  const labels = { block: '0', integration: 'custom-full' };
  const stop = watchCursorLag(integrator, home.alerts, metrics, health, 10);
  try {
    healthy = false;
    const start = statSync(home.alerts).size;
    home.append(Array.from({ length: 200 }, (_, i) => alertLine(`F${i}`)));
    await eventually(() => health.report().blocks[0]?.deadLetterWritesBlocked === 4, 'four alerts wait for their dead letters');
    assert.is(health.report().ok, false, '/healthz would answer 503');
    await settleFor(300);
    const read = await metricValue(metrics.linesRead, labels);
    assert.ok(read <= 64, `reading stopped at the window (64 lines), read ${read}`);
    // Nothing settled yet (undefined), or settled up to the first unwritten dead letter: never past it.
    assert.is(integrator.committed()[0]?.position?.offset ?? start, start, 'the cursor stays before the first unwritten dead letter');
    assert.is(await metricValue(metrics.alertsDeadLettered, labels), 0);

    healthy = true; // irrelevant to the dead letters already due; only space matters
    unlinkSync(blocker);
    await eventually(() => integrator.committed()[0]?.position?.offset === statSync(home.alerts).size, 'every alert settled once space came back');
    await eventually(() => health.report().ok, 'healthy again');
    assert.is(await metricValue(metrics.alertsDeadLettered, labels) + (await metricValue(metrics.alertsDelivered, labels)), 200, 'each alert delivered or dead-lettered');
  } finally {
    stop();
    healthy = true;
    await integrator.stop(0);
    home.remove();
  }
});

watch.run();
