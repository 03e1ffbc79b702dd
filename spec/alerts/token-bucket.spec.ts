// Specs for src/alerts/token-bucket.ts (the one token bucket: replay --rate per second, rate_per_minute per minute).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { TokenBucket } from '../../src/alerts/token-bucket.js';

const bucket = suite('TokenBucket');

bucket('starts with a burst of 100 ms worth (at least 1), then spaces takes 1/rate apart', () => {
  let now = 0;
  const b = new TokenBucket(100, { now: () => now });
  const waits = Array.from({ length: 12 }, () => b.take());
  assert.equal(waits.slice(0, 10), Array(10).fill(0));
  assert.equal(waits.slice(10).map((w) => Math.round(w)), [10, 20], 'owed tokens queue up');
  now = 1000;
  assert.is(b.take(), 0, 'refilled after a pause');
});

bucket('a slow rate has a burst of one', () => {
  let now = 0;
  const b = new TokenBucket(2, { now: () => now });
  assert.is(b.take(), 0);
  assert.is(Math.round(b.take()), 500);
  now = 500;
  assert.is(Math.round(b.take()), 500, 'the token taken in debt was paid by the elapsed time');
});

bucket('over a long run the average rate is the configured one', () => {
  let now = 0;
  const b = new TokenBucket(250, { now: () => now });
  for (let i = 0; i < 10_000; i++) now += b.take();
  const rate = 10_000 / (now / 1000);
  assert.ok(Math.abs(rate - 250) < 1, `rate ${rate}`);
});

bucket('rejects a rate that is not a positive number', () => {
  for (const rate of [0, -1, Number.NaN, Infinity]) assert.throws(() => new TokenBucket(rate), /positive/);
});

bucket('counts per minute when asked: 4 per minute are exactly 15 s apart', () => {
  let now = 0;
  const b = new TokenBucket(4, { per: 'minute', burst: 1, now: () => now });
  assert.equal([b.take(), b.take(), b.take()], [0, 15_000, 30_000]);
  now = 60_000;
  assert.is(b.take(), 0, 'the debt is paid and a token is back');
});

bucket.run();
