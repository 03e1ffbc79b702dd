// Specs for src/telemetry/health.ts (Per-block health for /healthz: failing for too long, or behind with no progress).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { HealthMonitor } from '../../src/telemetry/health.js';
import { registerSecret } from '../../src/telemetry/log.js';

const clock = () => {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
};

const health = suite('HealthMonitor');
health('is healthy with no blocks and with blocks that deliver', () => {
  const c = clock();
  const h = new HealthMonitor({ now: c.now, unhealthyAfterMs: 60_000 });
  assert.ok(h.report().ok);
  h.succeeded(0, 'slack');
  assert.ok(h.report().ok);
});
health('turns unhealthy when a block has failed for longer than the threshold', () => {
  const c = clock();
  const h = new HealthMonitor({ now: c.now, unhealthyAfterMs: 60_000 });
  h.failed(0, 'slack', 'HTTP 503');
  c.advance(30_000);
  h.failed(0, 'slack', 'connection refused');
  assert.ok(h.report().ok, 'not yet');
  c.advance(31_000);
  const r = h.report();
  assert.not.ok(r.ok);
  assert.equal(r.blocks[0], { block: 0, integration: 'slack', ok: false, lagBytes: 0, failingForSeconds: 61, lastFailure: 'connection refused' });
  assert.is(h.failingSince(0), 1_000_000);
  h.succeeded(0, 'slack');
  assert.ok(h.report().ok);
  assert.is(h.failingSince(0), undefined);
});
health('a quiet block stays healthy after one failure (a 400, then nothing to send): a streak with no failure for the threshold is over', () => {
  const c = clock();
  const h = new HealthMonitor({ now: c.now, unhealthyAfterMs: 300_000, quietAfterMs: 300_000 });
  h.failed(0, 'slack', 'HTTP 400: invalid_payload');
  c.advance(299_000);
  assert.ok(h.report().ok);
  c.advance(2_000);
  assert.ok(h.report().ok, 'five minutes after one 400, with nothing failing since: healthy');
  assert.is(h.report().blocks[0]!.failingForSeconds, undefined);
  // A failure after the quiet spell starts a new streak; failing on with no success in between: unhealthy after the threshold.
  h.failed(0, 'slack', 'HTTP 400: invalid_payload', 1_000_000, c.now());
  assert.ok(h.report().ok, 'a new streak, not one of five minutes');
  c.advance(200_000);
  h.failed(0, 'slack', 'HTTP 503', 1_000_000, c.now());
  c.advance(101_000);
  assert.not.ok(h.report().ok, 'every attempt failed for 301 s, the last 101 s ago');
  h.succeeded(0, 'slack');
  assert.ok(h.report().ok);
});
health('turns unhealthy when the cursor lags without progress, not while it moves', () => {
  const c = clock();
  const h = new HealthMonitor({ now: c.now, unhealthyAfterMs: 60_000 });
  h.progressed(1, 'pagerduty', 100, 5000);
  c.advance(50_000);
  h.progressed(1, 'pagerduty', 200, 9000);
  c.advance(50_000);
  assert.ok(h.report().ok, 'it moved 50 s ago');
  h.progressed(1, 'pagerduty', 200, 9500);
  c.advance(20_000);
  assert.not.ok(h.report().ok);
  h.progressed(1, 'pagerduty', 200, 0);
  assert.ok(h.report().ok, 'caught up');
});
health('turns unhealthy at once while a block waits for its dead-letter writes, healthy again once they are written', () => {
  const c = clock();
  const h = new HealthMonitor({ now: c.now, unhealthyAfterMs: 60_000 });
  h.succeeded(0, 'slack');
  h.deadLetterWrites(1, 'custom-full', 4);
  const r = h.report();
  assert.not.ok(r.ok, 'no threshold: a block that cannot settle what it gave up on has stopped reading');
  assert.equal(r.blocks, [
    { block: 0, integration: 'slack', ok: true, lagBytes: 0 },
    { block: 1, integration: 'custom-full', ok: false, lagBytes: 0, deadLetterWritesBlocked: 4 },
  ]);
  h.deadLetterWrites(1, 'custom-full', 0);
  assert.ok(h.report().ok);
  assert.equal(h.report().blocks[1], { block: 1, integration: 'custom-full', ok: true, lagBytes: 0 });
});
health('forgets a removed block', () => {
  const c = clock();
  const h = new HealthMonitor({ now: c.now, unhealthyAfterMs: 1 });
  h.failed(2, 'x', 'r');
  c.advance(10);
  assert.not.ok(h.report().ok);
  h.remove(2);
  assert.ok(h.report().ok);
});
health('answers unhealthy when no block is enabled, and lists disabled blocks with their reason', () => {
  const h = new HealthMonitor();
  const disabled = [{ block: 1, integration: 'slak', reason: "Unable to enable integration for: 'slak'. File not found inside 'integrations'." }];
  h.started(0, disabled);
  assert.equal(h.report(), { ok: false, enabledBlocks: 0, disabled, blocks: [] });
  h.started(1, disabled);
  assert.equal(h.report(), { ok: true, enabledBlocks: 1, disabled, blocks: [] }, 'one block runs: healthy, the disabled one still listed');
  h.started(2, []);
  assert.equal(h.report().disabled, [], 'a reload that enabled it clears the list');
});
health('redacts registered secrets in the reasons it lists', () => {
  registerSecret('HEALTH-SPEC-SECRET-TOKEN-77');
  const h = new HealthMonitor();
  h.started(0, [{ block: 0, integration: 'custom-x', reason: 'answered 401 for HEALTH-SPEC-SECRET-TOKEN-77' }]);
  assert.equal(h.report().disabled?.map((d) => d.reason), ['answered 401 for **REDACTED**']);
});
health('a block holding alerts for a digest (an exhausted hourly cap) keeps its cursor back on purpose: not a stall, held shown', () => {
  const c = clock();
  const h = new HealthMonitor({ now: c.now, unhealthyAfterMs: 60_000 });
  h.progressed(0, 'slack', 100, 5000);
  h.holding(0, 'slack', 12);
  c.advance(3_600_000);
  h.progressed(0, 'slack', 100, 9000);
  assert.equal(h.report().blocks, [{ block: 0, integration: 'slack', ok: true, lagBytes: 9000, heldAlerts: 12 }]);
  h.holding(0, 'slack', 0);
  assert.not.ok(h.report().ok, 'holding nothing, the same lag without progress is a stall');
});
health('a block whose lookups wait for their quota to refill is not stalled while they wait, and says how many', () => {
  const c = clock();
  const h = new HealthMonitor({ now: c.now, unhealthyAfterMs: 60_000 });
  h.progressed(0, 'abuseipdb', 100, 5000);
  h.waitingForQuota(0, 'abuseipdb', 3);
  c.advance(3_600_000);
  h.progressed(0, 'abuseipdb', 100, 9000);
  assert.equal(h.report().blocks, [{ block: 0, integration: 'abuseipdb', ok: true, lagBytes: 9000, waitingForQuota: 3 }]);
  h.waitingForQuota(0, 'abuseipdb', 0);
  assert.not.ok(h.report().ok, 'nothing waiting, the same lag without progress is a stall');
});
health.run();
