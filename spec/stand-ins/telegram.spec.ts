// Specs for src/stand-ins/telegram.ts (A Telegram Bot API stand-in: sendMessage with its `{"ok":…}` bodies, entity parsing, flood control).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { request } from 'undici';
import { parseTelegramHtml, startTelegramStandIn, TELEGRAM_MAX_TEXT } from '../../src/stand-ins/telegram.js';

const TOKEN = '123456:ABC-def_ghi';
const send = async (url: string, body: unknown) => {
  const res = await request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return [res.statusCode, (await res.body.json()) as Record<string, unknown>] as const;
};

const telegram = suite('startTelegramStandIn');
telegram('answers ok with the message; Telegram error bodies for bad token, method, chat, text', async () => {
  const s = await startTelegramStandIn();
  try {
    const [status, ok] = await send(`${s.url}/bot${TOKEN}/sendMessage`, { chat_id: 5, text: '<b>hi</b> &amp; bye', parse_mode: 'HTML' });
    assert.is(status, 200);
    assert.equal(ok['result'], { message_id: 1, chat: { id: 5 }, date: (ok['result'] as { date: number }).date, text: 'hi & bye' });
    const description = async (path: string, body: unknown) => {
      const [code, json] = await send(`${s.url}${path}`, body);
      return [code, json['ok'], json['error_code'], json['description']];
    };
    assert.equal(await description('/botnot-a-token/sendMessage', { chat_id: 5, text: 'x' }), [401, false, 401, 'Unauthorized']);
    assert.equal(await description(`/bot${TOKEN}/sendPhoto`, { chat_id: 5 }), [404, false, 404, 'Not Found']);
    assert.equal(await description(`/bot${TOKEN}/sendMessage`, { text: 'x' }), [400, false, 400, 'Bad Request: chat_id is empty']);
    assert.equal(await description(`/bot${TOKEN}/sendMessage`, { chat_id: 5, text: '' }), [400, false, 400, 'Bad Request: message text is empty']);
    assert.equal(await description(`/bot${TOKEN}/sendMessage`, { chat_id: 5, text: 'x'.repeat(TELEGRAM_MAX_TEXT + 1) }), [400, false, 400, 'Bad Request: message is too long']);
    const [code, json] = await send(`${s.url}/bot${TOKEN}/sendMessage`, { chat_id: 5, text: 'a < b', parse_mode: 'HTML' });
    assert.is(code, 400);
    assert.match(String(json['description']), "Bad Request: can't parse entities");
  } finally {
    await s.close();
  }
});
telegram('flood control per chat: 429 with parameters.retry_after, other chats unaffected', async () => {
  const s = await startTelegramStandIn({ rateLimit: { limit: 1, windowMs: 10_000 } });
  try {
    const url = `${s.url}/bot${TOKEN}/sendMessage`;
    assert.is((await send(url, { chat_id: 1, text: 'a' }))[0], 200);
    const [status, json] = await send(url, { chat_id: 1, text: 'b' });
    assert.equal([status, json['error_code'], json['description'], json['parameters']], [429, 429, 'Too Many Requests: retry after 10', { retry_after: 10 }]);
    assert.is((await send(url, { chat_id: 2, text: 'c' }))[0], 200);
  } finally {
    await s.close();
  }
});
telegram.run();

const html = suite('parseTelegramHtml');
html('reads supported tags and entities; refuses unknown tags, bare < > &, unbalanced tags', () => {
  assert.equal(parseTelegramHtml('<b>a</b> <pre>&lt;x&gt;</pre>'), { text: 'a <x>' });
  for (const bad of ['<a href="x">y</a>', 'a < b', 'a & b', '<b>x', '<b>x</i>']) assert.ok('error' in parseTelegramHtml(bad), bad);
});
html.run();
