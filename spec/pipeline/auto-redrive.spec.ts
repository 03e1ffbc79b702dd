// The daemon's automatic redrive: a receiver down for a few seconds, every alert delivered after it returns, no command typed.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { receiverOutage } from '../helpers/receiver-outage.js';

const test = suite('automatic redrive');

test('a receiver down for 4 s: every dead-lettered alert is delivered after it returns and the queue is empty', async () => {
  const result = await receiverOutage({ outageMs: 4000, alerts: 30, baseSeconds: 0.2, settleMs: 30_000 });
  assert.ok(result.gaugeDuringOutage > 0, 'alerts were dead-lettered during the outage (integratord_dead_letters)');
  assert.ok(result.nextRedriveDuringOutage * 1000 > Date.now() - 60_000, 'a next redrive time was published');
  assert.match(result.stderr, /AlertDeadLettered/);
  assert.equal([...result.received].sort(), [...result.sent].sort(), 'every alert reached the receiver');
  assert.is(result.deadLettersLeft, 0, 'nothing left in the dead-letter queue');
  assert.is(result.gaugeAtEnd, 0, 'the gauge says so too');
  assert.match(result.stderr, /DeadLettersRedriven/);
});

test.run();
