// Specs for src/telemetry/forget-removed-blocks.ts (After a reload: the series and health entries of blocks no longer configured go away).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { forgetRemovedBlocks } from '../../src/telemetry/forget-removed-blocks.js';
import { HealthMonitor } from '../../src/telemetry/health.js';
import { blockLabels, createMetrics } from '../../src/telemetry/metrics.js';

const test = suite('forgetRemovedBlocks');

test('removes every series of a block no longer configured (counters, gauges, histograms, extra labels) and keeps the others', async () => {
  const metrics = createMetrics();
  const health = new HealthMonitor();
  const kept = blockLabels(0, 'slack');
  const dropped = blockLabels(1, 'custom-temp');
  for (const labels of [kept, dropped]) {
    metrics.blockEnabled.set(labels, 1);
    metrics.alertsDelivered.inc(labels);
    metrics.linesRejected.inc({ ...labels, reason: 'invalid-json' });
    metrics.deliveryLatency.observe(labels, 0.2);
  }
  for (const b of [{ index: 0, name: 'slack' }, { index: 1, name: 'custom-temp' }]) health.succeeded(b.index, b.name);
  const removed = await forgetRemovedBlocks(metrics.registry, health, [{ index: 0, name: 'slack' }], [{ index: 0, name: 'slack' }]);
  assert.is(removed, 4);
  const text = await metrics.registry.metrics();
  assert.not.match(text, 'custom-temp');
  assert.match(text, 'integratord_block_enabled{block="0",integration="slack"} 1');
  assert.match(text, 'integratord_delivery_latency_seconds_count{block="0",integration="slack"} 1');
  assert.match(text, 'integratord_lines_rejected_total{block="0",integration="slack",reason="invalid-json"} 1');
  assert.equal(health.report().blocks.map((b) => b.integration), ['slack']);
});

test('a block now at another position is another series; a configured but disabled block keeps its metrics, leaves health', async () => {
  const metrics = createMetrics();
  const health = new HealthMonitor();
  metrics.blockEnabled.set(blockLabels(0, 'custom-a'), 1);
  metrics.blockEnabled.set(blockLabels(1, 'custom-b'), 1);
  health.succeeded(1, 'custom-b');
  // custom-a was removed: custom-b moved to position 0 and was disabled by the reload.
  metrics.blockEnabled.set(blockLabels(0, 'custom-b'), 0);
  await forgetRemovedBlocks(metrics.registry, health, [{ index: 0, name: 'custom-b' }], []);
  const text = await metrics.registry.metrics();
  assert.equal(text.split('\n').filter((l) => l.startsWith('integratord_block_enabled{')), ['integratord_block_enabled{block="0",integration="custom-b"} 0']);
  assert.equal(health.report().blocks, []);
});

test.run();
