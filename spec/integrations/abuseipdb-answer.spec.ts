// Specs for src/integrations/abuseipdb-answer.ts (How an AbuseIPDB answer is read: the report, the verdict (429 waits, 401/422 refuse) and the quota headers).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { classifyAbuseIpdb, errorDetail, quotaWaitMs, readQuota } from '../../src/integrations/abuseipdb-answer.js';
import { DEFAULT_RATE_LIMIT_WAIT_MS, MAX_RETRY_AFTER_MS } from '../../src/delivery/retry-after.js';

const NOW = Date.UTC(2026, 11, 8, 2, 0, 0);
const respond = (status: number, body: unknown = '', headers: Record<string, string> = {}) => ({ status, headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
const errors = (status: number, detail: string) => ({ errors: [{ detail, status }] });

const quota = suite('readQuota / quotaWaitMs');
quota('reads X-RateLimit-Limit, -Remaining and -Reset in any case; ignores values that are not counts', () => {
  assert.equal(readQuota({ 'X-RateLimit-Limit': '1000', 'x-ratelimit-remaining': '17', 'X-RATELIMIT-RESET': '1765159200' }), { limit: 1000, remaining: 17, resetAt: 1765159200 });
  assert.equal(readQuota({ 'x-ratelimit-remaining': '-1', 'x-ratelimit-limit': 'lots' }), {});
  assert.equal(readQuota({ 'x-ratelimit-remaining': ['3', '9'] }), { remaining: 3 });
});
quota('waits Retry-After, else until X-RateLimit-Reset, else 60 s; never more than the Retry-After cap', () => {
  assert.is(quotaWaitMs({ 'retry-after': '30', 'x-ratelimit-reset': String(NOW / 1000 + 600) }, NOW), 30_000);
  assert.is(quotaWaitMs({ 'x-ratelimit-reset': String(NOW / 1000 + 120) }, NOW), 120_000);
  assert.is(quotaWaitMs({ 'x-ratelimit-reset': String(NOW / 1000 - 5) }, NOW), 0);
  assert.is(quotaWaitMs({}, NOW), DEFAULT_RATE_LIMIT_WAIT_MS);
  assert.is(quotaWaitMs({ 'retry-after': String(6 * 3600) }, NOW), MAX_RETRY_AFTER_MS);
  assert.is(quotaWaitMs({ 'x-ratelimit-reset': String(NOW / 1000 + 6 * 3600) }, NOW), MAX_RETRY_AFTER_MS);
});
quota.run();

const classify = suite('classifyAbuseIpdb');
classify('200 with a data object is delivered with the report; without one it is dropped', () => {
  const data = { ipAddress: '118.25.6.39', abuseConfidenceScore: 100 };
  assert.equal(classifyAbuseIpdb(respond(200, { data }), NOW), { verdict: { kind: 'delivered' }, report: data });
  for (const body of ['<html>', { data: [] }, { data: null }, '[]']) assert.equal(classifyAbuseIpdb(respond(200, body), NOW).verdict.kind, 'drop', JSON.stringify(body));
});
classify('429 is a paused retry after the quota wait, with AbuseIPDB\'s detail in the reason', () => {
  const { verdict } = classifyAbuseIpdb(respond(429, errors(429, 'Daily rate limit of 1000 requests exceeded for this endpoint.'), { 'retry-after': '42' }), NOW);
  assert.equal(verdict, { kind: 'retry', reason: 'abuseipdb answered 429: Daily rate limit of 1000 requests exceeded for this endpoint.', afterMs: 42_000, pause: true });
});
classify('401, 403 and 422 are dropped with the detail; 5xx retried without a pause', () => {
  assert.equal(classifyAbuseIpdb(respond(422, errors(422, 'The ip address must be a valid IPv4 or IPv6 address.')), NOW).verdict, { kind: 'drop', reason: 'abuseipdb answered 422: The ip address must be a valid IPv4 or IPv6 address.' });
  assert.is(classifyAbuseIpdb(respond(401, errors(401, 'Authentication failed.')), NOW).verdict.kind, 'drop');
  assert.is(classifyAbuseIpdb(respond(403, 'Forbidden'), NOW).verdict.kind, 'drop');
  assert.equal(classifyAbuseIpdb(respond(503, 'down'), NOW).verdict, { kind: 'retry', reason: 'abuseipdb answered 503' });
});
classify.run();

const detail = suite('errorDetail');
detail('takes the first errors[].detail, shortened; anything else is undefined', () => {
  assert.is(errorDetail(JSON.stringify(errors(401, 'x'.repeat(500))))?.length, 120);
  for (const body of ['', 'not json', '{"errors": "no"}', '{"errors": [{"detail": 5}]}', '{"errors": []}']) assert.is(errorDetail(body), undefined, body);
});
detail.run();
