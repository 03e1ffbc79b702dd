// Issue 19's "done when": a receiver down for 20 s, and every alert is delivered after it comes back, with nothing left dead and no command typed.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { receiverOutage } from '../helpers/receiver-outage.js';

/** 20 s with the port closed: every alert is dead-lettered within 1–2 s (1 retry, 1 s timeout). */
const OUTAGE_MS = 20_000;
/**
 * 0.5 s base: redrives at ~0.5, 1, 2, 4, 8, 16 s… (each jittered to half–full), so the receiver's
 * return is met within ~16 s; the 120 s deadline is only there so that a bug fails instead of hanging.
 */
const BASE_SECONDS = 0.5;
const SETTLE_MS = 120_000;

const test = suite('a receiver down for 20 s');

test('every alert is delivered after the receiver comes back; nothing is left in the dead-letter queue', async () => {
  const result = await receiverOutage({ outageMs: OUTAGE_MS, alerts: 200, baseSeconds: BASE_SECONDS, settleMs: SETTLE_MS });
  console.log(`\n  20 s outage: ${result.gaugeDuringOutage} dead letters at most during it; all ${result.received.size} of ${result.sent.length} delivered ${result.recoveredSeconds.toFixed(1)} s after the receiver returned; ${result.deadLettersLeft} left`);
  assert.ok(result.gaugeDuringOutage > 0, 'alerts were dead-lettered while it was down');
  assert.equal([...result.received].sort(), [...result.sent].sort());
  assert.is(result.deadLettersLeft, 0);
  assert.is(result.gaugeAtEnd, 0);
});

test.run();
