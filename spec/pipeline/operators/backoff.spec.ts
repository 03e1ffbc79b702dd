// Specs for src/pipeline/operators/backoff.ts (Exponential backoff with full jitter: how long to wait before the next attempt).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { BACKOFF_BASE_MS, BACKOFF_CAP_MS, backoffCeilingMs, backoffMs } from '../../../src/pipeline/operators/backoff.js';

const ceiling = suite('backoffCeilingMs');
ceiling('doubles from 500 ms per retry', () => {
  assert.equal([1, 2, 3, 4].map((n) => backoffCeilingMs(n)), [500, 1000, 2000, 4000]);
});
ceiling('never exceeds the 30 s cap', () => {
  assert.is(backoffCeilingMs(7), BACKOFF_CAP_MS);
  assert.is(backoffCeilingMs(60), BACKOFF_CAP_MS);
});
ceiling('takes another base and cap', () => {
  assert.equal([1, 2, 3].map((n) => backoffCeilingMs(n, { baseMs: 10, capMs: 25 })), [10, 20, 25]);
});
ceiling.run();

const jitter = suite('backoffMs');
jitter('is random × ceiling, in whole milliseconds', () => {
  assert.is(backoffMs(1, { random: () => 0 }), 0);
  assert.is(backoffMs(1, { random: () => 0.5 }), BACKOFF_BASE_MS / 2);
  assert.is(backoffMs(3, { random: () => 0.999 }), 1998);
});
jitter('stays within [0, ceiling) with the real random', () => {
  for (let i = 0; i < 200; i++) {
    const ms = backoffMs(4);
    assert.ok(ms >= 0 && ms < 4000, String(ms));
  }
});
jitter.run();
