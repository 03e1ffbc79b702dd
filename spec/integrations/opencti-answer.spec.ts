// Specs for src/integrations/opencti-answer.ts (how an OpenCTI GraphQL answer is read).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { classifyOpenCti } from '../../src/integrations/opencti-answer.js';

const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => ({ status, headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
const empty = { data: { indicators: { edges: [] }, stixCyberObservables: { edges: [] } } };

const test = suite('opencti answers');
test('200 with data is delivered with it; 200 without both lists is dropped', () => {
  const ok = classifyOpenCti(reply(200, empty));
  assert.equal([ok.verdict.kind, ok.data], ['delivered', empty.data]);
  assert.is(classifyOpenCti(reply(200, { data: null })).verdict.kind, 'drop');
  assert.is(classifyOpenCti(reply(200, 'not json')).verdict.kind, 'drop');
});
test('GraphQL errors with HTTP 200: AUTH_REQUIRED and validation are final, the others retried', () => {
  const auth = classifyOpenCti(reply(200, { errors: [{ message: 'You must be logged in to do this.', extensions: { code: 'AUTH_REQUIRED' } }], data: null }));
  assert.equal(auth.verdict, { kind: 'drop', reason: 'opencti answered GraphQL error AUTH_REQUIRED: You must be logged in to do this.' });
  assert.is(classifyOpenCti(reply(200, { errors: [{ message: 'Cannot query field', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] })).verdict.kind, 'drop');
  assert.is(classifyOpenCti(reply(200, { errors: [{ message: 'Database error', extensions: { code: 'DATABASE_ERROR' } }] })).verdict.kind, 'retry');
});
test('401 dropped, 429 a paused retry after Retry-After (else 60 s), 5xx retried', () => {
  assert.equal(classifyOpenCti(reply(401, 'Unauthorized')).verdict, { kind: 'drop', reason: 'opencti answered 401: Unauthorized' });
  assert.equal(classifyOpenCti(reply(429, '', { 'retry-after': '3' })).verdict, { kind: 'retry', reason: 'opencti answered 429', afterMs: 3000, pause: true });
  const v = classifyOpenCti(reply(429, '')).verdict;
  assert.is(v.kind === 'retry' ? v.afterMs : 0, 60_000);
  assert.is(classifyOpenCti(reply(502, 'bad gateway')).verdict.kind, 'retry');
});
test.run();
