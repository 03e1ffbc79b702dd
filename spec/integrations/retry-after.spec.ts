// Specs for src/integrations/retry-after.ts (The wait a Retry-After header asks for, in ms, for the rate-limit verdicts of lookups).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { retryAfterMs } from '../../src/integrations/retry-after.js';

const retryAfter = suite('retryAfterMs');
retryAfter('reads delta-seconds', () => {
  assert.is(retryAfterMs({ 'retry-after': '30' }), 30_000);
  assert.is(retryAfterMs({ 'retry-after': ['5', '9'] }), 5_000);
  assert.is(retryAfterMs({ 'Retry-After': '0' }), 0);
});
retryAfter('reads an HTTP date, never negative', () => {
  const now = Date.parse('2024-05-14T10:00:00Z');
  assert.is(retryAfterMs({ 'retry-after': 'Tue, 14 May 2024 10:00:45 GMT' }, now), 45_000);
  assert.is(retryAfterMs({ 'retry-after': 'Tue, 14 May 2024 09:00:00 GMT' }, now), 0);
});
retryAfter('is undefined when missing or unreadable', () => {
  assert.is(retryAfterMs({}), undefined);
  assert.is(retryAfterMs({ 'retry-after': 'soon' }), undefined);
  assert.is(retryAfterMs({ 'retry-after': '' }), undefined);
});
retryAfter.run();
