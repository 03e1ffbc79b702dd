// Specs for src/silences/duration.ts (durations: seconds, or 30s, 5m, 2h, 1d).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseDuration } from '../../src/silences/duration.js';

const parsing = suite('parseDuration');
parsing('reads bare seconds and the units s, m, h, d as milliseconds', () => {
  assert.is(parseDuration('90'), 90_000);
  assert.is(parseDuration('30s'), 30_000);
  assert.is(parseDuration('5m'), 300_000);
  assert.is(parseDuration('2h'), 7_200_000);
  assert.is(parseDuration('1d'), 86_400_000);
});
parsing('refuses zero, negatives, fractions, other units and spaces inside', () => {
  for (const text of ['0', '0s', '-5m', '1.5h', '2w', '2 h', 'h', '', '1hour', '1H']) assert.is(parseDuration(text), undefined, text);
});
parsing.run();
