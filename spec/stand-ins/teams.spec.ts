// Specs for src/stand-ins/teams.ts (A Teams Workflows webhook stand-in: 202 for an Adaptive Card message, Power Automate's error bodies, throttling).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { request } from 'undici';
import { startTeamsStandIn, teamsEnvelopeProblem } from '../../src/stand-ins/teams.js';

const INVOKE = '/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=s';
const MESSAGE = { type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', body: [] } }] };
const post = async (url: string, body: unknown) => {
  const res = await request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await res.body.text();
  return [res.statusCode, text === '' ? '' : (JSON.parse(text) as { error: { code: string } }).error.code, res.headers['retry-after']] as const;
};

const teams = suite('startTeamsStandIn');
teams('202 for a card message; 400, 401 and 404 with Power Automate error codes', async () => {
  const s = await startTeamsStandIn();
  try {
    assert.equal(await post(`${s.url}${INVOKE}`, MESSAGE), [202, '', undefined]);
    assert.equal(await post(`${s.url}${INVOKE}`, { text: 'hi' }), [400, 'InvalidRequestContent', undefined]);
    assert.equal(await post(`${s.url}${INVOKE}`, 'not json'), [400, 'InvalidRequestContent', undefined]);
    assert.equal(await post(`${s.url}${INVOKE.replace('&sig=s', '')}`, MESSAGE), [401, 'DirectApiAuthorizationRequired', undefined]);
    assert.equal(await post(`${s.url}/elsewhere`, MESSAGE), [404, 'WorkflowNotFound', undefined]);
  } finally {
    await s.close();
  }
});
teams('throttles over its rate limit with 429 and a Retry-After in whole seconds', async () => {
  const s = await startTeamsStandIn({ rateLimit: { limit: 1, windowMs: 5000 } });
  try {
    assert.is((await post(`${s.url}${INVOKE}`, MESSAGE))[0], 202);
    assert.equal(await post(`${s.url}${INVOKE}`, MESSAGE), [429, 'WorkflowRequestsThrottled', '5']);
  } finally {
    await s.close();
  }
});
teams('teamsEnvelopeProblem names what is wrong with an envelope', () => {
  assert.is(teamsEnvelopeProblem(MESSAGE), undefined);
  assert.match(teamsEnvelopeProblem({ type: 'message', attachments: [] }) ?? '', 'attachments');
  assert.match(teamsEnvelopeProblem({ type: 'message', attachments: [{ contentType: 'text/plain' }] }) ?? '', 'contentType');
  assert.match(teamsEnvelopeProblem({ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard' } }] }) ?? '', 'body');
});
teams.run();
