// Specs for src/stand-ins/discord.ts (A Discord execute-webhook stand-in: 204 or 200 with the message, form errors, the webhook bucket's 429s).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { request } from 'undici';
import { discordFormErrors, startDiscordStandIn } from '../../src/stand-ins/discord.js';

const HOOK = '/api/webhooks/123/tok-en_X';
const send = async (url: string, body: unknown) => {
  const res = await request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, json: text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>) };
};

const discord = suite('startDiscordStandIn');
discord('204 without wait, 200 with the message under wait=true; 404 Unknown Webhook, 400 empty message and Invalid Form Body', async () => {
  const s = await startDiscordStandIn();
  try {
    assert.is((await send(`${s.url}${HOOK}`, { content: 'hi' })).status, 204);
    const stored = await send(`${s.url}${HOOK}?wait=true`, { embeds: [{ title: 't' }] });
    assert.equal([stored.status, stored.json?.['webhook_id'], stored.json?.['embeds']], [200, '123', [{ title: 't' }]]);
    const unknown = await send(`${s.url}/api/webhooks/x`, { content: 'hi' });
    assert.equal([unknown.status, unknown.json?.['code']], [404, 10015]);
    const empty = await send(`${s.url}${HOOK}`, { username: 'x' });
    assert.equal([empty.status, empty.json?.['code']], [400, 50006]);
    const long = await send(`${s.url}${HOOK}`, { embeds: [{ title: 'x'.repeat(257) }] });
    assert.equal([long.status, long.json?.['code'], long.json?.['errors']], [400, 50035, { 'embeds.0.title': 'Must be 256 or fewer in length.' }]);
  } finally {
    await s.close();
  }
});
discord('over the bucket: 429 with retry_after in the body and X-RateLimit-Reset-After, Retry-After rounded up', async () => {
  const s = await startDiscordStandIn({ rateLimit: { limit: 1, windowMs: 1500 } });
  try {
    assert.is((await send(`${s.url}${HOOK}`, { content: 'a' })).status, 204);
    const limited = await send(`${s.url}${HOOK}`, { content: 'b' });
    assert.is(limited.status, 429);
    const after = limited.json?.['retry_after'];
    assert.ok(typeof after === 'number' && after > 0 && after <= 1.5, String(after));
    assert.is(Number(limited.headers['x-ratelimit-reset-after']), after);
    assert.is(limited.headers['retry-after'], String(Math.ceil(after as number)));
    assert.is((await send(`${s.url}/api/webhooks/999/other`, { content: 'c' })).status, 204, 'each webhook has its own bucket');
  } finally {
    await s.close();
  }
});
discord('discordFormErrors checks field presence, colour range, timestamps and the 6000-character total', () => {
  assert.equal(discordFormErrors({ embeds: [{ title: 'ok', color: 1, fields: [{ name: 'a', value: 'b' }] }] }), {});
  assert.ok('embeds.0.fields.0' in discordFormErrors({ embeds: [{ fields: [{ name: 'a', value: '' }] }] }));
  assert.ok('embeds.0.color' in discordFormErrors({ embeds: [{ color: 0x1000000 }] }));
  assert.ok('embeds.0.timestamp' in discordFormErrors({ embeds: [{ timestamp: 'yesterday' }] }));
  assert.ok('embeds' in discordFormErrors({ embeds: [{ description: 'x'.repeat(4000), fields: [{ name: 'n', value: 'v'.repeat(1000) }, { name: 'n', value: 'v'.repeat(1000) }, { name: 'n', value: 'v'.repeat(1000) }] }] }));
});
discord.run();
