// Specs for src/integrations/misp-answer.ts (how a MISP restSearch answer is read).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { classifyMisp, matchingAttribute, MAX_MISP_ERROR_CHARS, mispError } from '../../src/integrations/misp-answer.js';

const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => ({ status, headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
const attr = (id: string, value: string, event: unknown = { org_id: '3', info: `event ${id}`, threat_level_id: '1' }) =>
  ({ id, event_id: `e${id}`, category: 'Network activity', type: 'ip-dst', value, comment: `c${id}`, uuid: `u${id}`, timestamp: '1700000000', Event: event });

const test = suite('misp answers');
test('the first attribute when its value is the IOC: the script\'s attr_info fields, in its order', () => {
  const found = matchingAttribute(JSON.stringify({ response: { Attribute: [attr('1', '8.8.8.8'), attr('2', '8.8.8.8')] } }), '8.8.8.8');
  assert.is(JSON.stringify(found), '{"value":"8.8.8.8","comment":"c1","uuid":"u1","timestamp":"1700000000","event_id":"e1","event_org_id":"3","event_info":"event 1","threat_level_id":"1"}');
  const bare = matchingAttribute(JSON.stringify({ response: { Attribute: [{ value: 'v', Event: null }] } }), 'v');
  assert.equal(bare, { value: 'v', comment: null, uuid: null, timestamp: null, event_id: null, event_org_id: null, event_info: null, threat_level_id: null });
});
test('no match: an empty list, a first attribute of another value (MISP matched a substring), other shapes', () => {
  assert.is(matchingAttribute(JSON.stringify({ response: { Attribute: [attr('1', '8.8.8.80'), attr('2', '8.8.8.8')] } }), '8.8.8.8'), null, 'only the first attribute counts');
  for (const body of ['', 'not json', '{}', '{"response": []}', '{"response": {"Attribute": []}}', '{"response": {"Attribute": ["x"]}}']) assert.is(matchingAttribute(body, 'x'), null, body);
});
test('the error entry: message and url of a JSON body ("" when absent), the text of another; bounded', () => {
  assert.equal(mispError(reply(403, { name: 'Auth', message: 'Authentication failed.', url: '/attributes/restSearch' })), { kind: 'error', status: 403, message: 'Authentication failed.', url: '/attributes/restSearch' });
  assert.equal(mispError(reply(404, { name: 'x' })), { kind: 'error', status: 404, message: '', url: '' });
  assert.equal(mispError(reply(400, '<html>bad</html>')), { kind: 'error', status: 400, message: '<html>bad</html>', url: '' });
  const long = mispError(reply(400, 'y'.repeat(MAX_MISP_ERROR_CHARS * 3)));
  assert.is(long.kind === 'error' && typeof long.message === 'string' && long.message.length <= MAX_MISP_ERROR_CHARS + 1, true);
});
test('verdicts: 200 delivered with its answer, 429 paused retry, 5xx/408 retry, other statuses dropped with the error', () => {
  const ok = classifyMisp(reply(200, { response: { Attribute: [] } }), 'x');
  assert.equal(ok, { verdict: { kind: 'delivered' }, answer: { kind: 'found', match: null } });
  assert.equal(classifyMisp(reply(429, { message: 'Rate limit exceeded.' }, { 'Retry-After': '7' }), 'x').verdict, { kind: 'retry', reason: 'misp answered 429: {"message":"Rate limit exceeded."}', afterMs: 7000, pause: true });
  const noHeader = classifyMisp(reply(429, ''), 'x').verdict;
  assert.equal([noHeader.kind, noHeader.kind === 'retry' ? noHeader.afterMs : 0], ['retry', 60_000]);
  assert.is(classifyMisp(reply(503, 'down'), 'x').verdict.kind, 'retry');
  assert.is(classifyMisp(reply(408, ''), 'x').verdict.kind, 'retry');
  const denied = classifyMisp(reply(401, { message: 'Authentication failed.', url: '/attributes/restSearch/' }), 'x');
  assert.equal([denied.verdict.kind, denied.answer], ['drop', { kind: 'error', status: 401, message: 'Authentication failed.', url: '/attributes/restSearch/' }]);
});
test.run();
