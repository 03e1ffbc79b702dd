// Specs for src/pipeline/attempt-metrics.ts (What a block counts per delivery attempt, retry and wait).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { VirtualTimeScheduler } from 'rxjs';
import { attemptMetrics } from '../../src/pipeline/attempt-metrics.js';
import { blockLabels, createMetrics } from '../../src/telemetry/metrics.js';
import { metricValue } from '../helpers/pipeline-harness.js';

const LABELS = blockLabels(2, 'custom-x');

const counted = suite('attemptMetrics');

counted('attempts by result, failures by reason, the failure streak set on the first failure and cleared by a delivery', async () => {
  const metrics = createMetrics();
  const scheduler = new VirtualTimeScheduler();
  const streak = { failingSince: 0 };
  const m = attemptMetrics(metrics, LABELS, scheduler, streak);
  scheduler.schedule(() => undefined, 5000);
  scheduler.flush();
  m.attempted({ attempt: 1, verdict: { kind: 'retry', reason: 'HTTP 503' }, timedOut: false, label: 'http_503' });
  m.attempted({ attempt: 2, verdict: { kind: 'retry', reason: 'timed out' }, timedOut: true });
  assert.is(streak.failingSince, 5);
  assert.is(await metricValue(metrics.failingSince, LABELS), 5);
  m.attempted({ attempt: 3, verdict: { kind: 'delivered' }, timedOut: false, label: 'http_200' });
  assert.is(streak.failingSince, 0);
  assert.is(await metricValue(metrics.failingSince, LABELS), 0);
  assert.is(await metricValue(metrics.deliveryAttempts, { ...LABELS, result: 'retry' }), 1);
  assert.is(await metricValue(metrics.deliveryAttempts, { ...LABELS, result: 'timeout' }), 1);
  assert.is(await metricValue(metrics.deliveryAttempts, { ...LABELS, result: 'delivered' }), 1);
  assert.is(await metricValue(metrics.deliveryFailures, { ...LABELS, reason: 'http_503' }), 1);
  assert.is(await metricValue(metrics.deliveryFailures, { ...LABELS, reason: 'timeout' }), 1);
  assert.is(await metricValue(metrics.lastFailure, LABELS), 5);
});

counted('a failure without a label counts as `error`; retries and waits are counted, waits in seconds', async () => {
  const metrics = createMetrics();
  const m = attemptMetrics(metrics, LABELS, new VirtualTimeScheduler(), undefined);
  m.attempted({ attempt: 1, verdict: { kind: 'drop', reason: 'no' }, timedOut: false });
  m.retried({ attempt: 1, verdict: { kind: 'retry', reason: 'x' }, timedOut: false, delayMs: 250 }, 'id-1');
  m.waited(1500);
  m.waited(500);
  assert.is(await metricValue(metrics.deliveryFailures, { ...LABELS, reason: 'error' }), 1);
  assert.is(await metricValue(metrics.deliveryAttempts, { ...LABELS, result: 'drop' }), 1);
  assert.is(await metricValue(metrics.deliveryRetries, LABELS), 1);
  assert.is(await metricValue(metrics.quotaWaits, LABELS), 2);
  assert.is(await metricValue(metrics.quotaWaitSeconds, LABELS), 2);
});

counted.run();
