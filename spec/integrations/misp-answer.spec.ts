// Specs for src/integrations/misp-answer.ts (how a MISP restSearch answer is read).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { classifyMisp, firstAttribute } from '../../src/integrations/misp-answer.js';

const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => ({ status, headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
const attr = (id: string, value: string) => ({ id, event_id: `e${id}`, category: 'Network activity', type: 'ip-dst', value, to_ids: true });

const test = suite('misp answers');
test('the first attribute of a multi-attribute answer; null for none (both MISP shapes); undefined for anything else', () => {
  assert.equal(firstAttribute(JSON.stringify({ response: { Attribute: [attr('1', '8.8.8.8'), attr('2', '8.8.8.8')] } })), { event_id: 'e1', category: 'Network activity', value: '8.8.8.8', type: 'ip-dst' });
  assert.is(firstAttribute('{"response": {"Attribute": []}}'), null);
  assert.is(firstAttribute('{"response": []}'), null);
  for (const body of ['', 'not json', '{}', '{"response": {}}', '{"response": {"Attribute": ["x"]}}']) assert.is(firstAttribute(body), undefined, body);
});
test('verdicts: 200 delivered, 200 of another shape dropped, 401/403 dropped with MISP\'s message, 429 paused retry, 5xx retry', () => {
  assert.is(classifyMisp(reply(200, { response: { Attribute: [] } })).verdict.kind, 'delivered');
  assert.equal(classifyMisp(reply(200, '<html>login</html>')).verdict, { kind: 'drop', reason: 'misp answered 200 without response.Attribute' });
  const denied = classifyMisp(reply(403, { name: 'Authentication failed.', message: 'Authentication failed. Please make sure you pass the API key', url: '/attributes/restSearch' })).verdict;
  assert.equal(denied, { kind: 'drop', reason: 'misp answered 403: Authentication failed. Please make sure you pass the API key' });
  assert.equal(classifyMisp(reply(429, { message: 'Rate limit exceeded.' }, { 'Retry-After': '7' })).verdict, { kind: 'retry', reason: 'misp answered 429: Rate limit exceeded.', afterMs: 7000, pause: true });
  const noHeader = classifyMisp(reply(429, '')).verdict;
  assert.equal([noHeader.kind, noHeader.kind === 'retry' ? noHeader.afterMs : 0], ['retry', 60_000]);
  assert.is(classifyMisp(reply(503, 'down')).verdict.kind, 'retry');
  assert.is(classifyMisp(reply(404, 'nope')).verdict.kind, 'drop');
});
test.run();
