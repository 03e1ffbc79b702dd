// Specs for src/pipeline/cursor-lag.ts (Periodically measures how far each block's cursor is behind alerts.json, for metrics and /healthz).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { statSync } from 'node:fs';
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

watch.run();
