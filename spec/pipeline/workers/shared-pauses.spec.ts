// Specs for src/pipeline/workers/shared-pauses.ts (Retry-After pauses told across delivery threads).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { SharedPauses } from '../../../src/pipeline/workers/shared-pauses.js';

const pauses = suite('SharedPauses');

pauses('a pause set here is told to the listener and held; one told by another thread is held and not told back', () => {
  const told: [string, number][] = [];
  const shared = new SharedPauses((destination, until) => told.push([destination, until]));
  shared.pause('https://hooks.slack.com', 5000);
  shared.apply('https://events.pagerduty.com', 8000);
  assert.equal(told, [['https://hooks.slack.com', 5000]]);
  assert.is(shared.remainingMs('https://hooks.slack.com', 1000), 4000);
  assert.is(shared.remainingMs('https://events.pagerduty.com', 1000), 7000);
  // A shorter pause told later never cuts a longer one.
  shared.apply('https://events.pagerduty.com', 2000);
  assert.is(shared.remainingMs('https://events.pagerduty.com', 1000), 7000);
});

pauses('listen() sets where later pauses go', () => {
  const shared = new SharedPauses();
  shared.pause('https://a.example', 10);
  const told: string[] = [];
  shared.listen((destination) => told.push(destination));
  shared.pause('https://b.example', 10);
  assert.equal(told, ['https://b.example']);
});

pauses.run();
