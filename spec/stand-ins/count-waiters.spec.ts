// Specs for src/stand-ins/count-waiters.ts: waiting for N arrivals, and failing (not hanging) when they never come.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CountWaiters } from '../../src/stand-ins/count-waiters.js';

const waiters = suite('CountWaiters');
waiters('resolves at once when the count is reached, else when notify() sees it', async () => {
  let n = 1;
  const w = new CountWaiters('requests', () => n);
  await w.wait(1);
  let done = false;
  const two = w.wait(2).then(() => (done = true));
  w.notify();
  await Promise.resolve();
  assert.not.ok(done);
  n = 2;
  w.notify();
  await two;
  assert.ok(done);
});
waiters('rejects after its deadline, saying how many arrived', async () => {
  const w = new CountWaiters('datagrams', () => 1);
  await w.wait(3, 20).then(
    () => assert.unreachable('should reject'),
    (error: Error) => assert.is(error.message, '1 of 3 datagrams after 0.02 s'),
  );
});
waiters.run();
