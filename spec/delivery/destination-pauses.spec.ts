// Specs for src/delivery/destination-pauses.ts (Destinations on hold after a Retry-After: shared by every block of one integrator).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DestinationPauses } from '../../src/delivery/destination-pauses.js';

const pauses = suite('DestinationPauses');
pauses('reports the time left until the pause ends, then 0', () => {
  const p = new DestinationPauses();
  p.pause('https://a', 1000);
  assert.is(p.remainingMs('https://a', 400), 600);
  assert.is(p.remainingMs('https://b', 400), 0, 'other destinations are free');
  assert.is(p.remainingMs('https://a', 1000), 0);
  assert.equal([...p.active(0)], [], 'an ended pause is forgotten');
});
pauses('a longer pause extends, a shorter one never shortens', () => {
  const p = new DestinationPauses();
  p.pause('d', 1000);
  p.pause('d', 500);
  assert.is(p.remainingMs('d', 0), 1000);
  p.pause('d', 3000);
  assert.is(p.remainingMs('d', 0), 3000);
  assert.equal([...p.active(0)], [['d', 3000]]);
});
pauses.run();
