// Specs for src/delivery/classify-http.ts (Shared HTTP classification: status and network errors to a Verdict; integrations add their own rules).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { bodyExcerpt, classifyError, classifyHttp, statusReason } from '../../src/delivery/classify-http.js';
import { HttpError } from '../../src/delivery/http.js';
import { registerSecret } from '../../src/telemetry/log.js';
import { leakedPieces, splitAround } from '../helpers/secret-pieces.js';

const answer = (status: number, body = '', headers: Record<string, string> = {}) => ({ status, body, headers });

const statuses = suite('classifyHttp');
statuses('delivers every 2xx', () => {
  for (const s of [200, 201, 202, 204]) assert.is(classifyHttp(answer(s)).kind, 'delivered', String(s));
});
statuses('retries 408, 429 and 5xx except 501', () => {
  for (const s of [408, 429, 500, 502, 503, 504, 599]) assert.is(classifyHttp(answer(s)).kind, 'retry', String(s));
});
statuses('drops other 4xx, 501 and unfollowed 3xx', () => {
  for (const s of [400, 401, 403, 404, 410, 413, 501, 301]) assert.is(classifyHttp(answer(s)).kind, 'drop', String(s));
});
statuses('quotes the status and the body in the reason', () => {
  assert.equal(classifyHttp(answer(400, 'invalid_payload')), { kind: 'drop', reason: 'HTTP 400: invalid_payload' });
});
statuses('turns Retry-After on 429 and 503 into an exact wait that pauses the destination', () => {
  assert.equal(classifyHttp(answer(429, '', { 'retry-after': '7' })), { kind: 'retry', reason: 'HTTP 429', afterMs: 7000, pause: true });
  const now = Date.parse('2026-11-28T00:00:00Z');
  assert.equal(classifyHttp(answer(503, 'busy', { 'retry-after': 'Sat, 28 Nov 2026 00:00:30 GMT' }), now), {
    kind: 'retry',
    reason: 'HTTP 503: busy',
    afterMs: 30_000,
    pause: true,
  });
});
statuses('caps a Retry-After of a day at 15 min and ignores a negative one (normal backoff)', () => {
  assert.equal(classifyHttp(answer(429, '', { 'retry-after': '86400' })), { kind: 'retry', reason: 'HTTP 429', afterMs: 15 * 60_000, pause: true });
  assert.equal(classifyHttp(answer(429, '', { 'Retry-After': '-5' })), { kind: 'retry', reason: 'HTTP 429' });
});
statuses('ignores Retry-After on other statuses and retries 429 without one by backoff', () => {
  assert.equal(classifyHttp(answer(500, '', { 'retry-after': '7' })), { kind: 'retry', reason: 'HTTP 500' });
  assert.equal(classifyHttp(answer(429)), { kind: 'retry', reason: 'HTTP 429' });
});
statuses.run();

const reasons = suite('statusReason and bodyExcerpt');
reasons('keeps one line of at most 200 characters', () => {
  assert.is(statusReason(answer(404)), 'HTTP 404');
  assert.is(bodyExcerpt('a\n  b\tc'), 'a b c');
  assert.is(bodyExcerpt('x'.repeat(300)).length, 201);
});
reasons('a token split at every position around the 200-character cut: not 8 characters of it in a row in the reason', () => {
  const token = 'B07SPLITslackTOKEN0123456';
  registerSecret(token);
  for (const { start, text } of splitAround(token, 200)) {
    const verdict = classifyHttp(answer(404, `no_service: ${text}`));
    assert.ok(verdict.kind === 'drop');
    assert.equal(leakedPieces(verdict.kind === 'drop' ? verdict.reason : '', token), [], `token at ${start}`);
    assert.equal(leakedPieces(bodyExcerpt(text, 120), token), [], `token at ${start}, a shorter cut`);
  }
});
reasons('a service that echoes a token cut short (its first 12 characters) shows none of it', () => {
  const token = 'B08SHORTechoTOKEN0123456';
  registerSecret(token);
  const verdict = classifyHttp(answer(403, `invalid_token: ${token.slice(0, 12)}… is not valid`));
  assert.equal(leakedPieces(verdict.kind === 'drop' ? verdict.reason : '', token), []);
  assert.match(verdict.kind === 'drop' ? verdict.reason : '', 'invalid_token: **REDACTED**');
});
reasons.run();

const errors = suite('classifyError');
errors('retries network failures and timeouts, drops an unusable URL or header', () => {
  assert.equal(classifyError(new HttpError('HTTP_CONNECTION_REFUSED', 'connection refused (ECONNREFUSED)')), { kind: 'retry', reason: 'connection refused (ECONNREFUSED)', code: 'HTTP_CONNECTION_REFUSED' });
  assert.is(classifyError(new HttpError('HTTP_TIMEOUT', 'request timed out')).kind, 'retry');
  assert.is(classifyError(new HttpError('HTTP_INVALID_URL', 'invalid request URL')).kind, 'drop');
  assert.equal(classifyError(new HttpError('HTTP_INVALID_URL', 'invalid request URL')), { kind: 'drop', reason: 'invalid request URL', code: 'HTTP_INVALID_URL' }, 'the HttpError code travels to the outcome');
  assert.is(classifyError(new HttpError('HTTP_INVALID_HEADER', "invalid value in header 'x-apikey'")).kind, 'drop');
  assert.equal(classifyError(new Error('odd')), { kind: 'retry', reason: 'odd' });
});
errors.run();
