// Specs for src/telemetry/bulk-counts.ts (Per-alert counts kept as plain numbers and handed to prom-client in bulk).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import client from 'prom-client';
import { BulkCounts } from '../../src/telemetry/bulk-counts.js';
import { createMetrics } from '../../src/telemetry/metrics.js';

const LABELS = { block: '0', integration: 'custom-test' };

const bulk = suite('BulkCounts');

bulk('sums stay out of prom-client until flushed, then arrive whole, once', async () => {
  const registry = new client.Registry();
  const counter = new client.Counter({ name: 'spec_total', help: 'h', labelNames: ['block', 'integration'], registers: [registry] });
  let calls = 0;
  const inc = counter.inc.bind(counter);
  counter.inc = ((...args: Parameters<typeof counter.inc>) => (calls++, inc(...args))) as typeof counter.inc;
  const counts = new BulkCounts();
  const count = counts.of(counter, LABELS);
  for (let i = 0; i < 1000; i++) count.add(1);
  count.add(5);
  assert.is(calls, 0, 'no prom-client call per add');
  counts.flush();
  counts.flush();
  assert.is(calls, 1, 'one call per series per flush');
  assert.equal((await counter.get()).values.map((v) => [v.labels, v.value]), [[LABELS, 1005]]);
});

bulk('the same series gives the same sum; a gauge takes signed deltas', async () => {
  const registry = new client.Registry();
  const gauge = new client.Gauge({ name: 'spec_in_flight', help: 'h', labelNames: ['block', 'integration'], registers: [registry] });
  const counts = new BulkCounts();
  const a = counts.of(gauge, LABELS);
  const b = counts.of(gauge, { ...LABELS });
  a.add(1);
  a.add(1);
  b.add(-1);
  counts.flush();
  assert.equal((await gauge.get()).values.map((v) => v.value), [1]);
  counts.of(gauge, { block: '1', integration: 'custom-test' }).add(3);
  counts.flush();
  assert.equal((await gauge.get()).values.map((v) => [v.labels['block'], v.value]), [['0', 1], ['1', 3]]);
});

bulk('every metric of createMetrics hands the pending sums over before it is read: /metrics and get() are exact', async () => {
  const metrics = createMetrics();
  metrics.bulk.of(metrics.alertsDelivered, LABELS).add(7);
  metrics.bulk.of(metrics.inFlight, LABELS).add(2);
  const text = await metrics.registry.metrics();
  assert.match(text, /integratord_alerts_delivered_total\{block="0",integration="custom-test"\} 7/);
  assert.match(text, /integratord_deliveries_in_flight\{block="0",integration="custom-test"\} 2/);
  metrics.bulk.of(metrics.alertsDelivered, LABELS).add(1);
  assert.equal((await metrics.alertsDelivered.get()).values.map((v) => v.value), [8]);
});

bulk.run();
