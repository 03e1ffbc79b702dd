// causeOf: which dead letters the daemon redrives by itself (transient) and which stay for a person.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { causeOf } from '../../src/delivery/dead-letter-cause.js';

const test = suite('causeOf');

test('connection errors, timeouts, 408, 429 and 5xx that ran out of retries are transient', () => {
  assert.equal(causeOf({ reason: 'connection refused (ECONNREFUSED)', transient: true }), { cause: 'connection', retryable: true });
  assert.equal(causeOf({ reason: 'timed out after 5 s', transient: true, timedOut: true }), { cause: 'timeout', retryable: true });
  assert.equal(causeOf({ reason: 'HTTP 429: rate_limited', status: 429, transient: true }), { cause: 'http_429', retryable: true });
  assert.equal(causeOf({ reason: 'HTTP 503', status: 503, transient: true }), { cause: 'http_5xx', retryable: true });
  assert.equal(causeOf({ reason: 'HTTP 408', status: 408, transient: true }), { cause: 'http_408', retryable: true });
});

test('a 4xx refusal, a request that cannot be built and a custom script stay for a person', () => {
  assert.equal(causeOf({ reason: 'HTTP 400: invalid_payload', status: 400, transient: false }), { cause: 'http_4xx', retryable: false });
  assert.equal(causeOf({ reason: 'cannot build the request: body_template did not render valid JSON', transient: false }), { cause: 'invalid_request', retryable: false });
  // A script that posted and then failed would post again: only an operator runs it again.
  assert.equal(causeOf({ reason: 'exit status 1: upstream said no', transient: true, script: true }), { cause: 'script', retryable: false });
});

test('records of older versions (no transient flag) are judged by their status and reason', () => {
  assert.equal(causeOf({ reason: 'connection refused (ECONNREFUSED)' }), { cause: 'connection', retryable: true });
  assert.equal(causeOf({ reason: 'HTTP 502', status: 502 }), { cause: 'http_5xx', retryable: true });
  assert.equal(causeOf({ reason: 'HTTP 501', status: 501 }), { cause: 'http_5xx', retryable: false });
  assert.equal(causeOf({ reason: 'HTTP 404: no_service', status: 404 }), { cause: 'http_4xx', retryable: false });
});

test.run();
