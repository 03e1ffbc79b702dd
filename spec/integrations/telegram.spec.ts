// Specs for src/integrations/telegram.ts (Telegram: Bot API sendMessage with the alert as HTML text; the bot token sits in the URL path).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { field } from '../../src/alerts/alert.js';
import { HttpClient } from '../../src/delivery/http.js';
import { classifyTelegram, telegram, telegramPayload, telegramText, telegramUrl, TELEGRAM_API } from '../../src/integrations/telegram.js';
import { dryRunLines } from '../../src/pipeline/dry-run.js';
import { startupDecision } from '../../src/pipeline/startup-check.js';
import { TELEGRAM_REPLIES, startTelegramStandIn } from '../../src/stand-ins/telegram.js';
import { blockConfig, integrationEnv } from '../helpers/block-config.js';
import { sampleAlert } from '../helpers/sample-alerts.js';
import { sendOnce } from '../helpers/send-step.js';

const env = integrationEnv();
const TOKEN = '7012345678:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
const CHAT = -1001234567890;
const config = (extra: Parameters<typeof blockConfig>[0] = {}) => blockConfig({ name: 'telegram', apiKey: TOKEN, options: { chat_id: CHAT }, ...extra });

const text = suite('telegramText');
text('a mark by level, the title in bold, full_log in <pre>, then the fields', () => {
  assert.is(
    telegramText(sampleAlert(4)),
    [
      '🔴 <b>WAZUH Alert</b>',
      '<b>sshd: brute force trying to get access to the system. Non existent user.</b>',
      '<pre>May 11 12:29:18 localhost sshd[17584]: Invalid user paco from 172.17.1.1 port 56404</pre>',
      'Agent: (000) - localhost.localdomain',
      'Location: /var/log/secure',
      'Rule ID: 5712 (Level 10)',
    ].join('\n'),
  );
});
text('escapes <, > and & of hostile alert text so Telegram never refuses to parse it', () => {
  const t = telegramText({ rule: { level: 2, description: '<b>x</b> & y' }, full_log: '</pre><a href="x">', location: 'a<b' });
  assert.ok(t.startsWith('🟢 <b>WAZUH Alert</b>\n<b>&lt;b&gt;x&lt;/b&gt; &amp; y</b>\n<pre>&lt;/pre&gt;&lt;a href="x"&gt;</pre>'), t);
  assert.ok(t.includes('Location: a&lt;b'));
});
text.run();

const url = suite('telegramUrl');
url('api.telegram.org by default; hook_url replaces the API base, a trailing slash dropped', () => {
  assert.is(telegramUrl(undefined, TOKEN), `${TELEGRAM_API}/bot${TOKEN}/sendMessage`);
  assert.is(telegramUrl('http://127.0.0.1:8081/', TOKEN), `http://127.0.0.1:8081/bot${TOKEN}/sendMessage`);
  assert.is(telegramUrl('https://proxy.example/tg', TOKEN), `https://proxy.example/tg/bot${TOKEN}/sendMessage`);
});
url.run();

const block = suite('telegram.create and the startup decision');
block('sends chat_id, HTML text and the other options (message_thread_id) in the body', () => {
  const [step] = telegram.create(config({ options: { chat_id: '@alerts', message_thread_id: 7 } }), env).plan(sampleAlert(4));
  assert.ok(step?.kind === 'http');
  if (step?.kind !== 'http') return;
  assert.equal(JSON.parse(step.request.body ?? ''), telegramPayload(sampleAlert(4), { chat_id: '@alerts', message_thread_id: 7 }));
  assert.equal(Object.keys(JSON.parse(step.request.body ?? '')), ['chat_id', 'text', 'parse_mode', 'link_preview_options', 'message_thread_id']);
});
block('a block without chat_id is disabled with a clear reason (what check reports)', () => {
  for (const options of [undefined, {}, { chat_id: '' }, { chat_id: 1.5 }, { chat_id: null }]) {
    const d = startupDecision(blockConfig({ name: 'telegram', apiKey: TOKEN, ...(options === undefined ? {} : { options }) }), env.paths);
    assert.is(d.enabled, false);
    assert.ok(!d.enabled && d.reason.includes('chat_id'), JSON.stringify(d));
  }
  const none = startupDecision(blockConfig({ name: 'telegram', options: { chat_id: CHAT } }), env.paths);
  assert.ok(!none.enabled && none.reason === "Unable to enable integration for: 'telegram'. Missing API Key.");
});
block('a token that would change the URL path is refused without being quoted', () => {
  const b = telegram.create(config({ apiKey: '123:abc/../../evil?x=SECRETPART' }), env);
  assert.ok(b.unavailable);
  assert.not.ok(b.unavailable?.includes('SECRETPART'));
});
block('dry-run shows the URL with the token redacted', () => {
  const c = config();
  const lines = dryRunLines(c, sampleAlert(4), telegram.create(c, env).plan(sampleAlert(4))).join('\n');
  assert.not.ok(lines.includes(TOKEN), lines);
  assert.ok(lines.includes('api.telegram.org/bot**REDACTED**/sendMessage'), lines);
});
block.run();

const classify = suite('classifyTelegram');
classify('429 waits parameters.retry_after seconds (a Retry-After header first) and pauses the destination', () => {
  const body = JSON.stringify({ ok: false, error_code: 429, description: 'Too Many Requests: retry after 14', parameters: { retry_after: 14 } });
  assert.equal(classifyTelegram({ status: 429, headers: {}, body }), { kind: 'retry', reason: 'HTTP 429: Too Many Requests: retry after 14', afterMs: 14_000, pause: true });
  assert.equal(classifyTelegram({ status: 429, headers: { 'retry-after': '3' }, body }), { kind: 'retry', reason: 'HTTP 429: Too Many Requests: retry after 14', afterMs: 3000, pause: true });
  assert.equal(classifyTelegram({ status: 429, headers: {}, body: 'busy' }), { kind: 'retry', reason: 'HTTP 429: busy' });
});
classify('other error bodies are final drops with Telegram\'s description; a migrated group names the new chat id', () => {
  assert.equal(classifyTelegram({ status: 400, headers: {}, body: '{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}' }), { kind: 'drop', reason: 'HTTP 400: Bad Request: chat not found' });
  const migrated = classifyTelegram({ status: 400, headers: {}, body: '{"ok":false,"error_code":400,"description":"Bad Request: group chat was upgraded to a supergroup chat","parameters":{"migrate_to_chat_id":-100987}}' });
  assert.equal(migrated, { kind: 'drop', reason: 'HTTP 400: Bad Request: group chat was upgraded to a supergroup chat (set chat_id to -100987)' });
  assert.is(classifyTelegram({ status: 200, headers: {}, body: '{"ok":false,"description":"odd"}' }).kind, 'drop');
  assert.is(classifyTelegram({ status: 502, headers: {}, body: '{"ok":false,"error_code":502,"description":"Bad Gateway"}' }).kind, 'retry');
});
classify.run();

const service = suite('telegram against the Bot API stand-in');
service('delivers through hook_url as API base; chat not found, blocked and bad token dropped; flood control waits retry_after', async () => {
  const server = await startTelegramStandIn({ rateLimit: { limit: 1, windowMs: 3000 } });
  const http = new HttpClient();
  try {
    const [step] = telegram.create(config({ hookUrl: server.url }), env).plan(sampleAlert(4));
    assert.equal(await sendOnce(http, step), { kind: 'delivered', detail: 'HTTP 200' });
    assert.is(server.received[0]?.url, `/bot${TOKEN}/sendMessage`);
    const flooded = await sendOnce(http, step);
    assert.ok(flooded.kind === 'retry' && flooded.pause === true && flooded.afterMs !== undefined && flooded.afterMs >= 1000 && flooded.afterMs <= 3000, JSON.stringify(flooded));
    server.script(TELEGRAM_REPLIES.chatNotFound, TELEGRAM_REPLIES.blocked, TELEGRAM_REPLIES.unauthorized);
    const reasons = [];
    for (let i = 0; i < 3; i++) reasons.push(await sendOnce(http, step));
    assert.equal(reasons, [
      { kind: 'drop', reason: 'HTTP 400: Bad Request: chat not found' },
      { kind: 'drop', reason: 'HTTP 403: Forbidden: bot was blocked by the user' },
      { kind: 'drop', reason: 'HTTP 401: Unauthorized' },
    ]);
    assert.not.ok(JSON.stringify(reasons).includes(TOKEN));
  } finally {
    await http.close();
    await server.close();
  }
});
service('the stand-in parses the text like Telegram: a hostile alert still arrives, as its plain text', async () => {
  const server = await startTelegramStandIn();
  const http = new HttpClient();
  try {
    const hostile = { rule: { level: 12, description: 'x </b><script>' }, full_log: 'a & b <pre>' };
    const [step] = telegram.create(config({ hookUrl: server.url }), env).plan(hostile);
    assert.equal(await sendOnce(http, step), { kind: 'delivered', detail: 'HTTP 200' });
  } finally {
    await http.close();
    await server.close();
  }
});
service.run();

const template = suite('telegram with <template>');
const at = { file: '/etc/integratord.conf', at: { line: 3, column: 15 } };
template('the template takes the <pre> line\'s place, HTML-escaped; without one the text is exactly as before', async () => {
  const server = await startTelegramStandIn();
  const http = new HttpClient();
  try {
    const alert = sampleAlert(4);
    const plainStep = telegram.create(config({ hookUrl: server.url }), env).plan(alert)[0];
    const templated = telegram.create(config({ hookUrl: server.url, template: { text: '{{severity}} <{{agent.name}}> & {{rule.id}}', ...at } }), env);
    assert.is((await sendOnce(http, plainStep)).kind, 'delivered');
    assert.is((await sendOnce(http, templated.plan(alert)[0])).kind, 'delivered');
    assert.equal(server.received[0]?.json, telegramPayload(alert, { chat_id: CHAT }));
    const lines = (t: unknown) => String(t).split('\n');
    const plain = lines(field(server.received[0]?.json, 'text'));
    const sent = lines(field(server.received[1]?.json, 'text'));
    assert.is(sent[2], 'medium &lt;localhost.localdomain&gt; &amp; 5712');
    assert.equal([...sent.slice(0, 2), ...sent.slice(3)], [...plain.slice(0, 2), ...plain.slice(3)], 'mark, title and fields unchanged');
  } finally {
    await http.close();
    await server.close();
  }
});
template('a template that does not compile disables the block with its location', () => {
  assert.is(telegram.create(config({ template: { text: '{{#x}}', ...at } }), env).unavailable, '<template> at /etc/integratord.conf:3:21: unclosed section "x"');
  assert.equal(telegram.templates, ['template']);
});
template.run();
