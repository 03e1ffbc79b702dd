// Specs for src/stand-ins/rate-limiter.ts (How a stand-in service refuses bursts: a fixed window of N requests).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { rateLimiter } from '../../src/stand-ins/rate-limiter.js';

const limiter = suite('rateLimiter');
limiter('passes `limit` requests per window, refuses the rest with the ms left, and opens a new window after it', () => {
  const take = rateLimiter({ limit: 2, windowMs: 1000 });
  assert.equal([take(0), take(100), take(400), take(999)], [undefined, undefined, 600, 1]);
  assert.equal([take(1000), take(1001), take(1002)], [undefined, undefined, 998]);
});
limiter.run();
