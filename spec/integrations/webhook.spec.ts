// Specs for src/integrations/webhook.ts (The generic JSON webhook: a custom-* block with a hook_url and no script in integrations/).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { HttpClient } from '../../src/delivery/http.js';
import { idempotencyKey, webhookBlock } from '../../src/integrations/webhook.js';
import { startWebhookStandIn } from '../../src/stand-ins/webhook.js';
import { blockConfig } from '../helpers/block-config.js';
import { sampleAlert } from '../helpers/sample-alerts.js';
import { sendOnce } from '../helpers/send-step.js';

const key = suite('idempotencyKey');
key('is <alert id>-<block index>', () => {
  assert.is(idempotencyKey({ id: '1652272159.1549653' }, 4), '1652272159.1549653-4');
});
key('falls back to a hash of the alert when it has no id, stable for the same alert', () => {
  const a = idempotencyKey({ rule: { id: '1' } }, 0);
  assert.match(a, /^sha256:[0-9a-f]{32}-0$/);
  assert.is(idempotencyKey({ rule: { id: '1' } }, 0), a);
  assert.is.not(idempotencyKey({ rule: { id: '2' } }, 0), a);
});
key('hashes an id a header cannot carry (control or non-ASCII characters), stable for the same id', () => {
  for (const id of ['1764291600.1\ufffd', 'a\u0000b', 'two words', 'café']) {
    const k = idempotencyKey({ id }, 1);
    assert.match(k, /^sha256:[0-9a-f]{32}-1$/, JSON.stringify(id));
    assert.is(idempotencyKey({ id, other: 1 }, 1), k);
  }
});
key.run();

const block = suite('webhookBlock');
block('POSTs the alert JSON with Content-Type and Idempotency-Key to the stand-in', async () => {
  const server = await startWebhookStandIn();
  const http = new HttpClient();
  try {
    const alert = sampleAlert(7);
    const b = webhookBlock(blockConfig({ name: 'custom-hook', index: 5, hookUrl: `${server.url}/wazuh/alerts` }));
    const [step] = b.plan(alert);
    assert.equal(await sendOnce(http, step), { kind: 'delivered', detail: 'HTTP 200' });
    const got = server.received[0];
    assert.is(got?.url, '/wazuh/alerts');
    assert.is(got?.body, JSON.stringify(alert), 'the alert, in its own key order');
    assert.is(got?.headers['content-type'], 'application/json');
    assert.is(got?.headers['idempotency-key'], `${alert['id'] as string}-5`);
    server.script({ status: 503, headers: { 'retry-after': '1' } }, { status: 422, body: { error: 'bad' } });
    const busy = await sendOnce(http, step);
    assert.ok(busy.kind === 'retry' && busy.afterMs === 1000 && busy.pause === true);
    assert.equal(await sendOnce(http, step), { kind: 'drop', reason: 'HTTP 422: {"error":"bad"}' });
  } finally {
    await http.close();
    await server.close();
  }
});
block('is unavailable without a usable hook_url', () => {
  assert.ok(webhookBlock(blockConfig({ hookUrl: 'file:///etc/passwd' })).unavailable);
  assert.ok(webhookBlock(blockConfig({})).unavailable);
});
block.run();

const bodyTemplate = suite('webhookBlock with <body_template>');
const withBody = (url: string, text: string) =>
  blockConfig({ name: 'custom-hook', hookUrl: url, bodyTemplate: { text, file: '/etc/integratord.conf', at: { line: 4, column: 20 } } });
bodyTemplate('sends the rendered body, valid JSON even when the alert holds newlines and quotes', async () => {
  const server = await startWebhookStandIn();
  const http = new HttpClient();
  try {
    const alert: Record<string, unknown> = { ...sampleAlert(7), full_log: 'a\n"b"\\c' };
    const b = webhookBlock(withBody(`${server.url}/hook`, '{"summary":"{{rule.description}}","log":"{{full_log}}","level":{{rule.level}}}'));
    assert.is(b.unavailable, undefined);
    const [step] = b.plan(alert);
    assert.equal(await sendOnce(http, step), { kind: 'delivered', detail: 'HTTP 200' });
    const rule = alert['rule'] as { description: string; level: number };
    assert.equal(server.received[0]?.json, { summary: rule.description, log: 'a\n"b"\\c', level: rule.level });
    assert.ok(server.received[0]?.headers['idempotency-key'], 'the webhook headers stay');
  } finally {
    await http.close();
    await server.close();
  }
});
bodyTemplate('a template that cannot render JSON makes the block unavailable at load, not its alerts dead-lettered', () => {
  assert.match(webhookBlock(withBody('https://hooks.example/x', '{"log":{{full_log}} {{rule.id}}}')).unavailable ?? '', /^<body_template> at \/etc\/integratord.conf:4:20: does not render valid JSON/);
  const b = webhookBlock(withBody('https://hooks.example/x', '{"log":{{full_log}},"ip":"{{data.srcip}}"}'));
  const alert: Record<string, unknown> = { ...sampleAlert(7), data: { srcip: ['198.51.100.1', { nat: true }] } };
  const [step] = b.plan(alert);
  const body = step?.kind === 'http' ? step.request.body : '';
  assert.equal(JSON.parse(body ?? ''), { log: alert['full_log'] ?? null, ip: '["198.51.100.1",{"nat":true}]' });
});
bodyTemplate("the issue's template: alerts holding objects, arrays, strings or nothing where it expects values are all delivered as valid JSON", async () => {
  const server = await startWebhookStandIn();
  const http = new HttpClient();
  try {
    const b = webhookBlock(withBody(`${server.url}/hook`, '{"ip":"{{data.srcip}}","data":{{data}},"level":{{rule.level}}}'));
    const datas: unknown[] = [{ srcip: { v4: '203.0.113.9' } }, { srcip: ['a', 'b'] }, 'a string', ['x', { y: '"}' }], undefined, { srcip: '"},{"admin":true' }];
    for (const data of datas) {
      const alert: Record<string, unknown> = { ...sampleAlert(7), ...(data === undefined ? {} : { data }) };
      if (data === undefined) delete alert['data'];
      const [step] = b.plan(alert);
      assert.equal(await sendOnce(http, step), { kind: 'delivered', detail: 'HTTP 200' }, JSON.stringify(data));
    }
    assert.is(server.received.length, datas.length);
    assert.equal(
      server.received.map((r) => (r.json as Record<string, unknown>)['data'] ?? null),
      datas.map((d) => d ?? null),
    );
  } finally {
    await http.close();
    await server.close();
  }
});
bodyTemplate('a template that does not compile makes the block unavailable, located', () => {
  assert.match(webhookBlock(withBody('https://hooks.example/x', '{"a":"{{#rule}}"}')).unavailable ?? '', '<body_template> at /etc/integratord.conf:4:');
});
bodyTemplate.run();
