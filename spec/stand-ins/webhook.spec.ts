// Specs for src/stand-ins/webhook.ts (A generic JSON webhook stand-in: accepts JSON posts, notices repeated Idempotency-Keys).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { request } from 'undici';
import { startWebhookStandIn } from '../../src/stand-ins/webhook.js';

const webhook = suite('startWebhookStandIn');
webhook('accepts JSON, marks a repeated Idempotency-Key as duplicate, refuses non-JSON and GET', async () => {
  const s = await startWebhookStandIn({ keep: 2 });
  try {
    const send = async (body: string, key?: string, method: 'POST' | 'GET' = 'POST') => {
      const res = await request(s.url, { method, headers: key ? { 'idempotency-key': key } : {}, ...(method === 'POST' ? { body } : {}) });
      return [res.statusCode, await res.body.json()];
    };
    assert.equal(await send('{}', 'a-0'), [200, { ok: true }]);
    assert.equal(await send('{}', 'a-0'), [200, { ok: true, duplicate: true }]);
    assert.equal(await send('x'), [400, { ok: false, error: 'body is not JSON' }]);
    assert.equal(await send('', undefined, 'GET'), [405, { ok: false, error: 'method not allowed' }]);
    assert.is(s.count, 4);
    assert.is(s.received.length, 2, 'keeps only the last 2');
  } finally {
    await s.close();
  }
});
webhook.run();
