// Specs for src/telemetry/workers-registry.ts (the main registry serving its own metrics plus every delivery worker's).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { blockLabels, createMetrics } from '../../src/telemetry/metrics.js';
import { seriesOf, WorkersRegistry } from '../../src/telemetry/workers-registry.js';

const labels = blockLabels(0, 'slack');

/** A worker's metrics as it sends them: its own registry's JSON. */
const workerSnapshot = async (fill: (m: ReturnType<typeof createMetrics>) => void) => {
  const metrics = createMetrics();
  fill(metrics);
  return metrics.registry.getMetricsAsJSON();
};

const registry = suite('WorkersRegistry');

registry('serves the main thread\'s counts plus each worker\'s under the same names: counters and histograms add up, failure times take the latest', async () => {
  const main = new WorkersRegistry();
  const metrics = createMetrics(main);
  metrics.alertsDelivered.inc(labels, 2);
  main.setSnapshot('0.0', await workerSnapshot((m) => {
    m.alertsDelivered.inc(labels, 5);
    m.deliveryLatency.observe(labels, 0.02);
    m.failingSince.set(labels, 1000);
  }));
  main.setSnapshot('1.1', await workerSnapshot((m) => {
    m.alertsDelivered.inc(labels, 7);
    m.deliveryLatency.observe(labels, 0.02);
    m.failingSince.set(labels, 1500);
  }));
  const text = await main.metrics();
  assert.match(text, 'integratord_alerts_delivered_total{block="0",integration="slack"} 14\n');
  assert.match(text, 'integratord_delivery_latency_seconds_count{block="0",integration="slack"} 2\n');
  assert.match(text, 'integratord_block_failing_since_seconds{block="0",integration="slack"} 1500\n');
  assert.is((await seriesOf(main, 'integratord_block_failing_since_seconds'))[0]?.value, 1500);
  assert.is((await seriesOf(main, 'integratord_alerts_delivered_total'))[0]?.value, 14);
});

registry('a worker that is gone keeps its counters and loses its gauges', async () => {
  const main = new WorkersRegistry();
  createMetrics(main);
  main.setSnapshot('0.0', await workerSnapshot((m) => {
    m.alertsDelivered.inc(labels, 3);
    m.inFlight.set(labels, 4);
  }));
  assert.is((await seriesOf(main, 'integratord_deliveries_in_flight'))[0]?.value, 4);
  main.retire('0.0');
  assert.match(await main.metrics(), 'integratord_alerts_delivered_total{block="0",integration="slack"} 3\n');
  assert.is((await seriesOf(main, 'integratord_deliveries_in_flight')).reduce((n, v) => n + v.value, 0), 0);
});

registry('without workers, it serves its own metrics as a plain registry', async () => {
  const main = new WorkersRegistry();
  const metrics = createMetrics(main);
  metrics.alertsDelivered.inc(labels);
  assert.match(await main.metrics(), 'integratord_alerts_delivered_total{block="0",integration="slack"} 1\n');
  assert.is((await seriesOf(main, 'integratord_alerts_delivered_total'))[0]?.value, 1);
});

registry.run();
