// Specs for src/delivery/retry-after.ts (The one Retry-After reader: the wait a response asks for, in ms, capped, for every integration).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { MAX_RETRY_AFTER_MS, resetAfterMs, retryAfterMs, retryAfterSecondsMs } from '../../src/delivery/retry-after.js';

const NOW = Date.parse('2024-05-14T10:00:00Z');
const after = (value: string | string[], now = NOW) => retryAfterMs({ 'retry-after': value }, now);

const seconds = suite('retryAfterMs: delta-seconds');
seconds('reads delta-seconds, the first of repeated values, the header name in any case', () => {
  assert.is(after('30'), 30_000);
  assert.is(after(' 120 '), 120_000);
  assert.is(after(['5', '9']), 5_000);
  assert.is(retryAfterMs({ 'Retry-After': '0' }), 0);
});
seconds('caps "86400" (a day) and larger values at 15 min', () => {
  assert.is(MAX_RETRY_AFTER_MS, 15 * 60 * 1000);
  assert.is(after('86400'), MAX_RETRY_AFTER_MS);
  assert.is(after('900'), MAX_RETRY_AFTER_MS);
  assert.is(after('899'), 899_000);
  assert.is(after('99999999999999999999999'), MAX_RETRY_AFTER_MS);
});
seconds('ignores negative, fractional and non-numeric values: undefined, so the caller backs off normally', () => {
  for (const value of ['-5', '-0', '1.5', '+5', '5s', 'soon', '', '   ', '0x10', '1e3', 'Infinity', 'NaN']) assert.is(after(value), undefined, JSON.stringify(value));
  assert.is(retryAfterMs({}), undefined);
  assert.is(retryAfterMs({ 'retry-after': undefined }), undefined);
});
seconds.run();

const dates = suite('retryAfterMs: HTTP-dates (RFC 9110)');
dates('reads an IMF-fixdate as its delay from now', () => {
  assert.is(after('Tue, 14 May 2024 10:00:45 GMT'), 45_000);
  assert.is(after('tue, 14 may 2024 10:14:59 gmt'), 899_000, 'names in any case');
});
dates('reads the obsolete rfc850 and asctime forms (asctime is UTC, not local time)', () => {
  assert.is(after('Tuesday, 14-May-24 10:00:45 GMT'), 45_000);
  assert.is(after('Tue May 14 10:00:45 2024'), 45_000);
  assert.is(after('Tue May  4 10:00:45 2024', Date.parse('2024-05-04T10:00:00Z')), 45_000);
});
dates('caps a date far ahead at 15 min and reads a date in the past as 0', () => {
  assert.is(after('Thu, 16 May 2024 10:00:00 GMT'), MAX_RETRY_AFTER_MS);
  assert.is(after('Fri, 14 May 2100 10:00:00 GMT'), MAX_RETRY_AFTER_MS);
  assert.is(after('Tue, 14 May 2024 09:00:00 GMT'), 0);
});
dates('ignores what only looks like a date: no zone, another zone, impossible days and times, ISO 8601', () => {
  for (const value of ['Tue, 14 May 2024 10:00:45', 'Tue, 14 May 2024 10:00:45 +0200', 'Fri, 31 Feb 2024 10:00:00 GMT', 'Tue, 14 May 2024 25:00:00 GMT', '2024-05-14T10:00:45Z', 'Tue, 14 Foo 2024 10:00:45 GMT', 'May 2024']) {
    assert.is(after(value), undefined, value);
  }
});
dates.run();

const bodySeconds = suite('retryAfterSecondsMs: a wait carried as seconds (body retry_after, X-RateLimit-Reset-After)');
bodySeconds('reads whole and fractional seconds, numbers or numeric strings, rounded up to a ms', () => {
  assert.is(retryAfterSecondsMs(3), 3000);
  assert.is(retryAfterSecondsMs(0.3371), 338);
  assert.is(retryAfterSecondsMs('1.5'), 1500);
  assert.is(retryAfterSecondsMs(0), 0);
});
bodySeconds('caps at 15 min and refuses what is not a non-negative number', () => {
  assert.is(retryAfterSecondsMs(86_400), MAX_RETRY_AFTER_MS);
  for (const bad of [-1, '-5', 'soon', '', null, undefined, Number.NaN, Number.POSITIVE_INFINITY, {}, '1e3']) assert.is(retryAfterSecondsMs(bad), undefined, String(bad));
});
bodySeconds.run();

const reset = suite('resetAfterMs: X-RateLimit-Reset-After');
reset('reads the header in any case, first of repeated values; undefined when missing or bad', () => {
  assert.is(resetAfterMs({ 'x-ratelimit-reset-after': '64.57' }), 64_570);
  assert.is(resetAfterMs({ 'X-RateLimit-Reset-After': ['0.5', '9'] }), 500);
  assert.is(resetAfterMs({}), undefined);
  assert.is(resetAfterMs({ 'x-ratelimit-reset-after': 'later' }), undefined);
});
reset.run();
