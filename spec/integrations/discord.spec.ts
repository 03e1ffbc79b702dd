// Specs for src/integrations/discord.ts (Discord: an execute-webhook message with one embed, sent with ?wait=true).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { field } from '../../src/alerts/alert.js';
import { HttpClient } from '../../src/delivery/http.js';
import { classifyDiscord, discord, discordColour, discordPayload, discordUrl } from '../../src/integrations/discord.js';
import { DISCORD_REPLIES, DISCORD_WEBHOOK_LIMIT, discordFormErrors, startDiscordStandIn } from '../../src/stand-ins/discord.js';
import { blockConfig, integrationEnv } from '../helpers/block-config.js';
import { sampleAlert, sampleAlerts } from '../helpers/sample-alerts.js';
import { discordLinks, evilAlert } from '../helpers/markup-links.js';
import { sendOnce } from '../helpers/send-step.js';

const env = integrationEnv();
const hookOf = (base: string) => `${base}/api/webhooks/1187654321/WEBHOOK-TOKEN-SECRET_abc`;

const payload = suite('discordPayload');
payload('one embed: title, full_log in a code block, colour by level, Slack fields inline, footer, ISO time; no mention pings', () => {
  assert.equal(discordPayload(sampleAlert(4), undefined), {
    username: 'Wazuh',
    embeds: [
      {
        title: 'sshd\\: brute force trying to get access to the system\\. Non existent user\\.',
        description: '```\nMay 11 12:29:18 localhost sshd[17584]: Invalid user paco from 172.17.1.1 port 56404\n```',
        color: 0xa30200,
        fields: [
          { name: 'Agent', value: '\\(000\\) \\- localhost\\.localdomain', inline: true },
          { name: 'Location', value: '/var/log/secure', inline: true },
          { name: 'Rule ID', value: '5712 _(Level 10)_', inline: true },
        ],
        footer: { text: 'WAZUH Alert' },
        timestamp: new Date(Date.parse(String(sampleAlert(4)['timestamp']))).toISOString(),
      },
    ],
    allowed_mentions: { parse: [] },
  });
});
payload('a "```" (or a longer run) in full_log cannot close the code block; an empty description or field becomes N/A; options merge at the top', () => {
  const body = discordPayload({ rule: { level: 6, description: '' }, full_log: 'a```b', location: '' }, { username: 'SOC', thread_name: 'alerts' }) as {
    username: string;
    thread_name: string;
    embeds: { title: string; description: string; color: number; fields: { value: string }[]; timestamp?: string }[];
  };
  const embed = body.embeds[0];
  assert.is(embed?.description, '```\na`\u200b`\u200b`b\n```');
  const five = discordPayload({ full_log: 'x`````y' }, undefined) as { embeds: { description: string }[] };
  assert.is(five.embeds[0]?.description, '```\nx`\u200b`\u200b`\u200b`\u200b`y\n```', 'no three backticks in a row anywhere inside');
  assert.is(embed?.title, 'N/A');
  assert.is(embed?.fields[0]?.value, 'N/A');
  assert.is(embed?.color, 0xdaa038);
  assert.is(embed?.timestamp, undefined, 'no timestamp when the alert has none');
  assert.equal([body.username, body.thread_name], ['SOC', 'alerts']);
});
payload('every sample and a huge alert stay inside the limits Discord enforces', () => {
  const huge = { rule: { level: 16, description: 'd'.repeat(5000) }, full_log: 'x'.repeat(100_000), location: 'l'.repeat(5000), agent: { id: 'i'.repeat(3000), name: 'n' } };
  for (const alert of [...sampleAlerts(), huge]) assert.equal(discordFormErrors(discordPayload(alert, undefined)), {});
});
payload.run();

const colour = suite('discordColour');
colour("Slack's colours as integers: green up to 4, amber 5 to 7, red from 8", () => {
  assert.equal([0, 4, 5, 7, 8].map(discordColour), [0x2eb886, 0x2eb886, 0xdaa038, 0xdaa038, 0xa30200]);
});
colour.run();

const url = suite('discordUrl');
url('adds wait=true, keeping thread_id', () => {
  assert.is(discordUrl('https://discord.com/api/webhooks/1/tok'), 'https://discord.com/api/webhooks/1/tok?wait=true');
  assert.is(discordUrl('https://discord.com/api/webhooks/1/tok?thread_id=9&wait=false'), 'https://discord.com/api/webhooks/1/tok?thread_id=9&wait=true');
});
url.run();

const classify = suite('classifyDiscord');
classify('429 waits the longest of body retry_after, X-RateLimit-Reset-After and Retry-After, and pauses', () => {
  const limited = DISCORD_REPLIES.rateLimited(1.337);
  const response = { status: 429, headers: limited.headers ?? {}, body: JSON.stringify(limited.body) };
  const v = classifyDiscord(response);
  assert.equal([v.kind, v.kind === 'retry' ? [v.afterMs, v.pause] : []], ['retry', [2000, true]], 'Retry-After 2 (rounded up) is the longest');
  const precise = classifyDiscord({ status: 429, headers: { 'x-ratelimit-reset-after': '1.337' }, body: '{"retry_after":1.337}' });
  assert.ok(precise.kind === 'retry' && precise.afterMs === 1337);
  const bodyOnly = classifyDiscord({ status: 429, headers: {}, body: '{"message":"You are being rate limited.","retry_after":0.25,"global":true}' });
  assert.ok(bodyOnly.kind === 'retry' && bodyOnly.afterMs === 250 && bodyOnly.pause === true);
  assert.equal(classifyDiscord({ status: 429, headers: {}, body: '' }), { kind: 'retry', reason: 'HTTP 429' });
});
classify.run();

const service = suite('discord against the webhook stand-in');
service('200 with the stored message (wait=true); unknown webhook, bad token, empty message dropped; 502 retried', async () => {
  const server = await startDiscordStandIn();
  const http = new HttpClient();
  try {
    const [step] = discord.create(blockConfig({ name: 'discord', hookUrl: hookOf(server.url) }), env).plan(sampleAlert(4));
    assert.equal(await sendOnce(http, step), { kind: 'delivered', detail: 'HTTP 200' });
    assert.is(server.received[0]?.url, '/api/webhooks/1187654321/WEBHOOK-TOKEN-SECRET_abc?wait=true');
    server.script(DISCORD_REPLIES.unknownWebhook, DISCORD_REPLIES.invalidToken, DISCORD_REPLIES.emptyMessage, DISCORD_REPLIES.badGateway);
    const verdicts = [];
    for (let i = 0; i < 4; i++) verdicts.push(await sendOnce(http, step));
    assert.equal(verdicts.map((v) => v.kind), ['drop', 'drop', 'drop', 'retry']);
    assert.ok(verdicts[0]?.kind === 'drop' && verdicts[0].reason.includes('Unknown Webhook'));
    assert.not.ok(JSON.stringify(verdicts).includes('WEBHOOK-TOKEN-SECRET'));
  } finally {
    await http.close();
    await server.close();
  }
});
service("a burst over the webhook bucket (5 per window, here 400 ms) gets 429s whose wait, once obeyed, gets the message in", async () => {
  const server = await startDiscordStandIn({ rateLimit: { limit: DISCORD_WEBHOOK_LIMIT.limit, windowMs: 400 } });
  const http = new HttpClient();
  try {
    const [step] = discord.create(blockConfig({ name: 'discord', hookUrl: hookOf(server.url) }), env).plan(sampleAlert(4));
    const burst = [];
    for (let i = 0; i < 6; i++) burst.push(await sendOnce(http, step));
    assert.equal(burst.map((v) => v.kind), ['delivered', 'delivered', 'delivered', 'delivered', 'delivered', 'retry']);
    const limited = burst[5];
    assert.ok(limited?.kind === 'retry' && limited.pause === true && limited.afterMs !== undefined && limited.afterMs > 0 && limited.afterMs <= 1000, JSON.stringify(limited));
    await new Promise((r) => setTimeout(r, limited?.kind === 'retry' ? limited.afterMs : 0));
    assert.equal(await sendOnce(http, step), { kind: 'delivered', detail: 'HTTP 200' });
  } finally {
    await http.close();
    await server.close();
  }
});
service.run();

const template = suite('discord with <template>');
const at = { file: '/etc/integratord.conf', at: { line: 3, column: 15 } };
template('the template is the embed description; without one the message is exactly as before', async () => {
  const server = await startDiscordStandIn();
  const http = new HttpClient();
  try {
    const alert = sampleAlert(4);
    const plainStep = discord.create(blockConfig({ name: 'discord', hookUrl: hookOf(server.url) }), env).plan(alert)[0];
    const templated = discord.create(blockConfig({ name: 'discord', hookUrl: hookOf(server.url), template: { text: '**{{severity}}** on {{agent.name}}', ...at } }), env);
    assert.is((await sendOnce(http, plainStep)).kind, 'delivered');
    assert.is((await sendOnce(http, templated.plan(alert)[0])).kind, 'delivered');
    assert.equal(server.received[0]?.json, discordPayload(alert, undefined));
    const embed = (r: unknown) => (field(r, 'embeds') as Record<string, unknown>[])[0];
    const plain = embed(server.received[0]?.json);
    const sent = embed(server.received[1]?.json);
    assert.is(sent?.['description'], '**medium** on localhost\\.localdomain', "{{x}} Markdown-escaped, the template's own Markdown kept");
    assert.equal({ ...sent, description: null }, { ...plain, description: null }, 'title, colour and fields unchanged');
  } finally {
    await http.close();
    await server.close();
  }
});
template('a template that does not compile disables the block with its location', () => {
  const b = discord.create(blockConfig({ name: 'discord', hookUrl: 'https://discord.com/api/webhooks/1/T', template: { text: '{{#x}}', ...at } }), env);
  assert.is(b.unavailable, '<template> at /etc/integratord.conf:3:21: unclosed section "x"');
  assert.equal(discord.templates, ['template']);
});
template.run();

const evil = suite('discord: the evil alert of issue 20 stays text');
evil('title, field values, the code block and a template render no masked link, image or autolink; no mention pings', async () => {
  const server = await startDiscordStandIn();
  const http = new HttpClient();
  try {
    const alert = evilAlert();
    const agent = String((alert['agent'] as Record<string, unknown>)['name']);
    assert.ok(discordLinks(agent).length >= 1, 'the finder sees the raw masked link');
    const plain = discord.create(blockConfig({ name: 'discord', hookUrl: hookOf(server.url) }), env).plan(alert)[0];
    const template = { text: '**{{severity}}** {{agent.name}} {{location}}\n{{full_log}}', file: '/etc/integratord.conf', at: { line: 3, column: 15 } };
    const templated = discord.create(blockConfig({ name: 'discord', hookUrl: hookOf(server.url), template }), env).plan(alert)[0];
    assert.is((await sendOnce(http, plain)).kind, 'delivered');
    assert.is((await sendOnce(http, templated)).kind, 'delivered');
    for (const r of server.received) {
      const embed = (field(r.json, 'embeds') as Record<string, unknown>[])[0] ?? {};
      const texts = [embed['title'], embed['description'], ...(embed['fields'] as { value: string }[]).map((f) => f.value)].map(String);
      for (const text of texts) assert.equal(discordLinks(text), [], text);
      assert.equal(field(r.json, 'allowed_mentions'), { parse: [] });
    }
  } finally {
    await http.close();
    await server.close();
  }
});
evil.run();
