// Specs for src/stand-ins/slack.ts (A Slack incoming-webhook stand-in: `ok`, `invalid_payload`, `no_service`, rate limits on demand).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { request } from 'undici';
import { SLACK_REPLIES, startSlackStandIn } from '../../src/stand-ins/slack.js';

const post = async (url: string, body: string) => {
  const res = await request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return [res.statusCode, await res.body.text()] as const;
};

const slack = suite('startSlackStandIn');
slack('answers ok, invalid_payload, no_text and no_service like hooks.slack.com', async () => {
  const s = await startSlackStandIn();
  try {
    assert.equal(await post(`${s.url}/services/T/B/x`, '{"text":"hi"}'), [200, 'ok']);
    assert.equal(await post(`${s.url}/services/T/B/x`, '{"attachments":[]}'), [200, 'ok']);
    assert.equal(await post(`${s.url}/services/T/B/x`, 'not json'), [400, 'invalid_payload']);
    assert.equal(await post(`${s.url}/services/T/B/x`, '{"x":1}'), [400, 'no_text']);
    assert.equal(await post(`${s.url}/elsewhere`, '{"text":"hi"}'), [404, 'no_service']);
    assert.is(s.count, 5);
  } finally {
    await s.close();
  }
});
slack('rate-limits with Retry-After when scripted', async () => {
  const s = await startSlackStandIn();
  try {
    s.script(SLACK_REPLIES.rateLimited(3));
    const res = await request(`${s.url}/services/T/B/x`, { method: 'POST', body: '{"text":"x"}' });
    assert.is(res.statusCode, 429);
    assert.is(res.headers['retry-after'], '3');
    await res.body.dump();
  } finally {
    await s.close();
  }
});
slack.run();
