// Specs for src/integrations/slack.ts (Slack: Wazuh's slack.py payload (one attachment), sent natively to the incoming-webhook URL).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { HttpClient } from '../../src/delivery/http.js';
import { slack, slackColor, slackDigestPayload, slackPayload } from '../../src/integrations/slack.js';
import { digestOf } from '../../src/noise/digest.js';
import { SLACK_REPLIES, startSlackStandIn } from '../../src/stand-ins/slack.js';
import { wazuhPaths } from '../../src/wazuh-home.js';
import { blockConfig } from '../helpers/block-config.js';
import { sampleAlert } from '../helpers/sample-alerts.js';
import { evilAlert, slackControls } from '../helpers/markup-links.js';
import { sendOnce } from '../helpers/send-step.js';

const env = { paths: wazuhPaths('/var/ossec'), debug: 0 };

const payload = suite('slackPayload');
payload('builds slack.py attachment key for key, in its order', () => {
  const alert = sampleAlert(4);
  const body = slackPayload(alert, undefined);
  assert.is(
    JSON.stringify(body),
    JSON.stringify({
      attachments: [
        {
          color: 'danger',
          pretext: 'WAZUH Alert',
          title: 'sshd: brute force trying to get access to the system. Non existent user.',
          text: 'May 11 12:29:18 localhost sshd[17584]: Invalid user paco from 172.17.1.1 port 56404',
          fields: [
            { title: 'Agent', value: '(000) - localhost.localdomain' },
            { title: 'Location', value: '/var/log/secure' },
            { title: 'Rule ID', value: '5712 _(Level 10)_' },
          ],
          ts: '1652272159.1549653',
        },
      ],
    }),
  );
});
payload('adds Agentless Host when the alert has agentless', () => {
  const body = slackPayload({ rule: { level: 3, id: '1' }, agentless: { host: 'router' }, location: 'x', id: '1.1' }, undefined) as { attachments: { fields: unknown[] }[] };
  assert.equal(body.attachments[0]?.fields, [
    { title: 'Agentless Host', value: 'router' },
    { title: 'Location', value: 'x' },
    { title: 'Rule ID', value: '1 _(Level 3)_' },
  ]);
});
payload('shallow-merges options into the attachment, overriding its keys', () => {
  const body = slackPayload(sampleAlert(4), { pretext: 'Custom Pretext', title_link: 'https://x' }) as { attachments: Record<string, unknown>[] };
  const a = body.attachments[0] as Record<string, unknown>;
  assert.is(a['pretext'], 'Custom Pretext');
  assert.is(a['title_link'], 'https://x');
  assert.equal(Object.keys(a), ['color', 'pretext', 'title', 'text', 'fields', 'ts', 'title_link']);
});
payload('does not crash where slack.py does: no level, no location, no rule id, no agent name, no id', () => {
  const body = slackPayload({ rule: {}, agent: { id: '001' } }, undefined) as { attachments: Record<string, unknown>[] };
  assert.equal(body.attachments[0], {
    color: 'good',
    pretext: 'WAZUH Alert',
    title: 'N/A',
    text: null,
    fields: [
      { title: 'Agent', value: '(001) - N/A' },
      { title: 'Location', value: 'N/A' },
      { title: 'Rule ID', value: 'N/A _(Level 0)_' },
    ],
  });
});
payload.run();

const color = suite('slackColor');
color('good up to 4, warning 5 to 7, danger from 8', () => {
  assert.equal([0, 4, 5, 7, 8, 15].map(slackColor), ['good', 'good', 'warning', 'warning', 'danger', 'danger']);
});
color.run();

const block = suite('slack.create');
block('posts to hook_url with slack.py headers and names the URL as a secret', () => {
  const b = slack.create(blockConfig({ name: 'slack', hookUrl: 'https://hooks.slack.com/services/T/B/secret' }), env);
  const [step] = b.plan(sampleAlert(4));
  assert.is(step?.kind, 'http');
  if (step?.kind !== 'http') return;
  assert.equal(step.request.headers, { 'content-type': 'application/json', 'Accept-Charset': 'UTF-8' });
  assert.is(step.request.url, 'https://hooks.slack.com/services/T/B/secret');
  assert.equal(step.secrets, ['https://hooks.slack.com/services/T/B/secret']);
});
block('is unavailable with a hook_url that is not an http URL, without quoting it', () => {
  const b = slack.create(blockConfig({ name: 'slack', hookUrl: 'hooks.slack.com/services/T/B/secret' }), env);
  assert.ok(b.unavailable);
  assert.not.ok(b.unavailable?.includes('secret'));
});
block.run();

const service = suite('slack against the Slack stand-in');
service('delivered on 200 ok; dropped on invalid_payload, no_service, invalid_token, channel_is_archived', async () => {
  const server = await startSlackStandIn();
  const http = new HttpClient();
  try {
    const b = slack.create(blockConfig({ name: 'slack', hookUrl: `${server.url}/services/T/B/x` }), env);
    const steps = b.plan(sampleAlert(4));
    assert.equal(await sendOnce(http, steps[0]), { kind: 'delivered', detail: 'HTTP 200' });
    assert.equal(server.received[0]?.json, slackPayload(sampleAlert(4), undefined));
    server.script(SLACK_REPLIES.invalidPayload, SLACK_REPLIES.noService, SLACK_REPLIES.invalidToken, SLACK_REPLIES.channelIsArchived);
    const reasons = [];
    for (let i = 0; i < 4; i++) reasons.push(await sendOnce(http, steps[0]));
    assert.equal(
      reasons.map((v) => [v.kind, v.kind === 'delivered' ? '' : v.reason]),
      [
        ['drop', 'HTTP 400: invalid_payload'],
        ['drop', 'HTTP 404: no_service'],
        ['drop', 'HTTP 403: invalid_token'],
        ['drop', 'HTTP 410: channel_is_archived'],
      ],
    );
  } finally {
    await http.close();
    await server.close();
  }
});
service('429 with Retry-After pauses and retries; 500 retries', async () => {
  const server = await startSlackStandIn();
  const http = new HttpClient();
  try {
    const b = slack.create(blockConfig({ name: 'slack', hookUrl: `${server.url}/services/T/B/x` }), env);
    const [step] = b.plan(sampleAlert(4));
    server.script(SLACK_REPLIES.rateLimited(30), SLACK_REPLIES.rollupError);
    assert.equal(await sendOnce(http, step), { kind: 'retry', reason: 'HTTP 429: rate_limited', afterMs: 30_000, pause: true });
    assert.is((await sendOnce(http, step)).kind, 'retry');
  } finally {
    await http.close();
    await server.close();
  }
});
service.run();

const template = suite('slack with <template>');
template('the template replaces the attachment text; every other key stays slack.py\'s', async () => {
  const server = await startSlackStandIn();
  const http = new HttpClient();
  try {
    const alert = sampleAlert(4);
    const config = blockConfig({
      name: 'slack',
      hookUrl: `${server.url}/services/T/B/X`,
      template: { text: '[{{severity}}] {{rule.description}} on {{agent.name}}', file: '/etc/integratord.conf', at: { line: 3, column: 15 } },
    });
    const block = slack.create(config, env);
    const [step] = block.plan(alert);
    assert.is((await sendOnce(http, step)).kind, 'delivered');
    const plain = slackPayload(alert, undefined) as { attachments: Record<string, unknown>[] };
    const sent = server.received[0]?.json as { attachments: Record<string, unknown>[] };
    assert.is(sent.attachments[0]?.['text'], '[medium] sshd: brute force trying to get access to the system. Non existent user. on localhost.localdomain');
    assert.equal({ ...sent.attachments[0], text: null }, { ...plain.attachments[0], text: null });
  } finally {
    await http.close();
    await server.close();
  }
});
template('a template that does not compile disables the block with its location', () => {
  const config = blockConfig({ name: 'slack', hookUrl: 'https://hooks.slack.com/services/T/B/X', template: { text: '{{#x}}', file: '/etc/integratord.conf', at: { line: 3, column: 15 } } });
  assert.is(slack.create(config, env).unavailable, '<template> at /etc/integratord.conf:3:21: unclosed section "x"');
});
template.run();

const digests = suite('slack digest');
digests('colour and title come from the highest-level alert, wherever it is; alerts are counted per rule', () => {
  const alert = (id: string, rule: string, level: number, description: string) => ({ id, timestamp: `2026-11-27T10:00:0${id}.000+0000`, rule: { id: rule, level, description }, agent: { name: 'web-01' } });
  const held = [alert('1', '5710', 5, 'sshd: non-existent user'), alert('2', '5710', 5, 'sshd: non-existent user'), alert('3', '5712', 10, 'sshd: brute force')];
  const payload = slackDigestPayload(digestOf({ reason: 'max_per_hour', key: 'max_per_hour', group: {}, held: held.map((a, seq) => ({ seq, alert: a })) }), undefined) as { attachments: Record<string, unknown>[] };
  const [attachment] = payload.attachments;
  assert.is(attachment?.['color'], slackColor(10));
  assert.is.not(slackColor(10), slackColor(5), 'the first alert (level 5) would have given another colour');
  assert.is(attachment?.['title'], 'sshd: brute force');
  assert.is(attachment?.['pretext'], 'WAZUH Digest: 3 alerts (hourly cap reached)');
  assert.equal((attachment?.['fields'] as { title: string; value: unknown }[]).find((f) => f.title === 'Alerts per rule')?.value, '5710 (2), 5712 (1)');
});
digests.run();

const escaping = suite('slack <escape_markup>: the evil alert of issue 20');
escaping("off (the default): slack.py's bytes, mentions and links as the alert has them; on: <, > and & escaped, in the template too", async () => {
  const server = await startSlackStandIn();
  const http = new HttpClient();
  try {
    const alert = evilAlert();
    const hookUrl = `${server.url}/services/T/B/x`;
    const template = { text: '{{rule.description}} on {{agent.name}}', file: '/etc/integratord.conf', at: { line: 3, column: 15 } };
    const blocks = [
      slack.create(blockConfig({ name: 'slack', hookUrl }), env),
      slack.create(blockConfig({ name: 'slack', hookUrl, escapeMarkup: true }), env),
      slack.create(blockConfig({ name: 'slack', hookUrl, escapeMarkup: true, template }), env),
    ];
    for (const b of blocks) assert.equal(await sendOnce(http, b.plan(alert)[0]), { kind: 'delivered', detail: 'HTTP 200' });
    const [off, on, templated] = server.received.map((r) => JSON.stringify(r.json));
    assert.is(off, JSON.stringify(slackPayload(alert, undefined)), "Wazuh's bytes by default");
    assert.equal(slackControls(off ?? '').sort(), ['<!channel>', '<@U024BE7LH>', '<https://evil.example/r|Reset your password>', '<https://evil.example/a>'].sort());
    assert.equal(slackControls(on ?? ''), [], on);
    assert.equal(slackControls(templated ?? ''), [], templated);
    assert.match(on ?? '', '&lt;!channel&gt;');
    assert.match(on ?? '', '_(Level 10)_', 'our own Rule ID markup stays');
  } finally {
    await http.close();
    await server.close();
  }
});
escaping.run();
