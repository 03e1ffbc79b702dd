// Specs for src/telemetry/metrics.ts (Every metric integratord exposes, in one registry per integrator instance (prom-client)).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { blockLabels, createMetrics } from '../../src/telemetry/metrics.js';

const metrics = suite('createMetrics');
metrics('exposes per-block series in Prometheus text format', async () => {
  const m = createMetrics();
  const labels = blockLabels(0, 'slack');
  m.alertsMatched.inc(labels);
  m.alertsSkipped.inc({ ...labels, reason: 'level' }, 2);
  m.deliveryLatency.observe(labels, 0.03);
  m.inFlight.set(labels, 3);
  const text = await m.registry.metrics();
  assert.match(text, 'integratord_alerts_matched_total{block="0",integration="slack"} 1');
  assert.match(text, 'integratord_alerts_skipped_total{block="0",integration="slack",reason="level"} 2');
  assert.match(text, 'integratord_delivery_latency_seconds_bucket{le="0.05",block="0",integration="slack"} 1');
  assert.match(text, 'integratord_deliveries_in_flight{block="0",integration="slack"} 3');
});
metrics('gives every integrator its own registry', async () => {
  const a = createMetrics();
  const b = createMetrics();
  a.alertsDelivered.inc(blockLabels(1, 'pagerduty'));
  assert.match(await a.registry.metrics(), 'integratord_alerts_delivered_total{block="1",integration="pagerduty"} 1');
  assert.not.match(await b.registry.metrics(), 'integration="pagerduty"');
});
metrics.run();
