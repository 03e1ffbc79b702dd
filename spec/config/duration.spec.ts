// Specs for src/config/duration.ts: durations as seconds, or 30s, 5m, 2h, 1d (the config's tags and the silence command).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { durationSeconds } from '../../src/config/duration.js';

const parsing = suite('durationSeconds');
parsing('reads bare seconds and the units s, m, h, d, spaces around ignored; zero is a duration', () => {
  assert.is(durationSeconds('90'), 90);
  assert.is(durationSeconds('30s'), 30);
  assert.is(durationSeconds(' 5m '), 300);
  assert.is(durationSeconds('2h'), 7200);
  assert.is(durationSeconds('1d'), 86400);
  assert.is(durationSeconds('0'), 0);
});
parsing('refuses negatives, fractions, other units and spaces inside', () => {
  for (const text of ['-5m', '1.5h', '2w', '2 h', 'h', '', '1hour', '1H', '1234567890']) assert.is(durationSeconds(text), undefined, text);
});
parsing.run();
