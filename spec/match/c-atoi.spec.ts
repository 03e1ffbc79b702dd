// Specs for src/match/c-atoi.ts (C's atoi as Wazuh uses it on rule ids: leading whitespace, optional sign, leading digits).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cAtoi } from '../../src/match/c-atoi.js';

const atoi = suite('cAtoi');
atoi('reads the leading digits and ignores the rest', () => {
  assert.is(cAtoi('5712'), 5712);
  assert.is(cAtoi('12ab'), 12);
  assert.is(cAtoi('5712.5'), 5712);
});
atoi('returns 0 for text without leading digits', () => {
  assert.is(cAtoi(''), 0);
  assert.is(cAtoi('abc'), 0);
  assert.is(cAtoi('-'), 0);
});
atoi('skips C whitespace and accepts one sign', () => {
  assert.is(cAtoi(' \t\n+42'), 42);
  assert.is(cAtoi('-7'), -7);
  assert.is(cAtoi('+-7'), 0);
  assert.is(cAtoi('- 7'), 0);
});
atoi('keeps leading zeros out of the value', () => {
  assert.is(cAtoi('0005712'), 5712);
  assert.is(cAtoi('-0'), 0);
});
atoi('accepts the int32 limits', () => {
  assert.is(cAtoi('2147483647'), 2147483647);
  assert.is(cAtoi('-2147483648'), -2147483648);
});
atoi('refuses values beyond int32 instead of wrapping them', () => {
  assert.is(cAtoi('2147483648'), undefined);
  assert.is(cAtoi('4294972008'), undefined);
  assert.is(cAtoi('-2147483649'), undefined);
  assert.is(cAtoi('99999999999999999999999'), undefined);
});
atoi.run();
