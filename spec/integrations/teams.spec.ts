// Specs for src/integrations/teams.ts (Microsoft Teams: an Adaptive Card in the message envelope a Workflows URL expects).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { HttpClient } from '../../src/delivery/http.js';
import { teams, teamsPayload, teamsStyle } from '../../src/integrations/teams.js';
import { TEAMS_REPLIES, startTeamsStandIn } from '../../src/stand-ins/teams.js';
import { blockConfig, integrationEnv } from '../helpers/block-config.js';
import { sampleAlert } from '../helpers/sample-alerts.js';
import { cardMarkdownTexts as markdownTexts, evilAlert, markdownLinks } from '../helpers/markup-links.js';
import { sendOnce } from '../helpers/send-step.js';

const env = integrationEnv();
const hookOf = (base: string) => `${base}/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=SIGNATURE-SECRET-123`;

const payload = suite('teamsPayload');
const fact = (title: string, value: string) => ({ type: 'RichTextBlock', spacing: 'Small', inlines: [{ type: 'TextRun', text: `${title}: `, weight: 'Bolder' }, { type: 'TextRun', text: value }] });
payload('wraps an Adaptive Card 1.4 in the Workflows message envelope: styled header, title, full_log, Slack facts', () => {
  assert.equal(teamsPayload(sampleAlert(4), undefined), {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            {
              type: 'Container',
              style: 'attention',
              bleed: true,
              items: [
                { type: 'TextBlock', text: 'WAZUH Alert', weight: 'Bolder', color: 'Attention' },
                { type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: 'sshd: brute force trying to get access to the system. Non existent user.', size: 'Medium', weight: 'Bolder' }] },
              ],
            },
            { type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: 'May 11 12:29:18 localhost sshd[17584]: Invalid user paco from 172.17.1.1 port 56404', fontType: 'Monospace' }] },
            fact('Agent', '(000) - localhost.localdomain'),
            fact('Location', '/var/log/secure'),
            fact('Rule ID', '5712 (Level 10)'),
          ],
        },
      },
    ],
  });
});
payload('leaves full_log out when the alert has none, never crashes on a bare alert, and merges options into the card', () => {
  const body = teamsPayload({ rule: { level: 3 } }, { msteams: { width: 'Full' } }) as { attachments: { content: { body: { type: string }[]; msteams: unknown } }[] };
  const card = body.attachments[0]?.content;
  assert.equal(card?.body.map((b) => b.type), ['Container', 'RichTextBlock', 'RichTextBlock']);
  assert.equal(card?.msteams, { width: 'Full' });
});
payload('cuts a huge full_log to 4000 characters', () => {
  const body = teamsPayload({ rule: { level: 3 }, full_log: 'x'.repeat(100_000) }, undefined) as { attachments: { content: { body: { inlines?: { text: string }[] }[] } }[] };
  assert.is(body.attachments[0]?.content.body[1]?.inlines?.[0]?.text.length, 4000);
});
payload.run();

const style = suite('teamsStyle');
style("follows Slack's ladder: good up to 4, warning 5 to 7, attention from 8", () => {
  assert.equal([0, 4, 5, 7, 8, 16].map(teamsStyle), ['good', 'good', 'warning', 'warning', 'attention', 'attention']);
});
style.run();

const block = suite('teams.create');
block('is unavailable with a hook_url that is not http(s), without quoting it; flagged as ours', () => {
  const b = teams.create(blockConfig({ name: 'teams', hookUrl: 'ftp://flow.example/sig=SECRET' }), env);
  assert.ok(b.unavailable);
  assert.not.ok(b.unavailable?.includes('SECRET'));
  assert.is(teams.ours, true);
  assert.equal(teams.requires, { hookUrl: true, apiKey: false });
});
block.run();

const service = suite('teams against the Workflows stand-in');
service('202 delivered and the stand-in accepts the envelope; 400, 401, 404 dropped with the flow error; 502 retried', async () => {
  const server = await startTeamsStandIn();
  const http = new HttpClient();
  try {
    const [step] = teams.create(blockConfig({ name: 'teams', hookUrl: hookOf(server.url) }), env).plan(sampleAlert(4));
    assert.equal(await sendOnce(http, step), { kind: 'delivered', detail: 'HTTP 202' });
    assert.equal(server.received[0]?.json, teamsPayload(sampleAlert(4), undefined));
    server.script(TEAMS_REPLIES.invalidContent("The property 'type' must be 'message'."), TEAMS_REPLIES.badSignature, TEAMS_REPLIES.flowNotFound, TEAMS_REPLIES.badGateway);
    const verdicts = [];
    for (let i = 0; i < 4; i++) verdicts.push(await sendOnce(http, step));
    assert.equal(verdicts.map((v) => v.kind), ['drop', 'drop', 'drop', 'retry']);
    assert.ok(verdicts[0]?.kind === 'drop' && verdicts[0].reason.includes('InvalidRequestContent'), JSON.stringify(verdicts[0]));
    assert.not.ok(JSON.stringify(verdicts).includes('SIGNATURE-SECRET'));
  } finally {
    await http.close();
    await server.close();
  }
});
service('a throttled flow (429 with Retry-After) pauses the destination for that long, then the retry is delivered', async () => {
  const server = await startTeamsStandIn({ rateLimit: { limit: 1, windowMs: 60_000 } });
  const http = new HttpClient();
  try {
    const [step] = teams.create(blockConfig({ name: 'teams', hookUrl: hookOf(server.url) }), env).plan(sampleAlert(4));
    assert.is((await sendOnce(http, step)).kind, 'delivered');
    const throttled = await sendOnce(http, step);
    assert.is(throttled.kind, 'retry');
    assert.ok(throttled.kind === 'retry' && throttled.pause === true && throttled.afterMs !== undefined && throttled.afterMs > 50_000 && throttled.afterMs <= 60_000, JSON.stringify(throttled));
    assert.ok(throttled.kind === 'retry' && throttled.reason.includes('WorkflowRequestsThrottled'));
  } finally {
    await http.close();
    await server.close();
  }
});
service.run();

const template = suite('teams with <template>');
const at = { file: '/etc/integratord.conf', at: { line: 3, column: 15 } };
template('the template takes full_log\'s place as plain text; without one the card is exactly as before', async () => {
  const server = await startTeamsStandIn();
  const http = new HttpClient();
  try {
    const alert = sampleAlert(4);
    const plainStep = teams.create(blockConfig({ name: 'teams', hookUrl: hookOf(server.url) }), env).plan(alert)[0];
    const templated = teams.create(blockConfig({ name: 'teams', hookUrl: hookOf(server.url), template: { text: '[{{severity}}] {{agent.name}}: {{rule.id}}', ...at } }), env);
    assert.is((await sendOnce(http, plainStep)).kind, 'delivered');
    assert.is((await sendOnce(http, templated.plan(alert)[0])).kind, 'delivered');
    assert.equal(server.received[0]?.json, teamsPayload(alert, undefined));
    type Card = { attachments: { content: { body: Record<string, unknown>[] } }[] };
    const plain = (server.received[0]?.json as Card).attachments[0]?.content.body ?? [];
    const sent = (server.received[1]?.json as Card).attachments[0]?.content.body ?? [];
    assert.equal(sent[1], { type: 'TextBlock', text: '[medium] localhost\\.localdomain: 5712', wrap: true }, '{{x}} Markdown-escaped, the template\'s own text as written');
    assert.equal([sent[0], ...sent.slice(2)], [plain[0], ...plain.slice(2)], 'header and facts unchanged');
  } finally {
    await http.close();
    await server.close();
  }
});
template('a template that does not compile disables the block with its location; teams lists the tag', () => {
  const b = teams.create(blockConfig({ name: 'teams', hookUrl: 'https://flow.example/x', template: { text: '{{#x}}', ...at } }), env);
  assert.is(b.unavailable, '<template> at /etc/integratord.conf:3:21: unclosed section "x"');
  assert.equal(teams.templates, ['template']);
});
template.run();

const evil = suite('teams: the evil alert of issue 20 stays text');
evil('alert values go in TextRuns, template values are Markdown-escaped: no link or image renders', async () => {
  const server = await startTeamsStandIn();
  const http = new HttpClient();
  try {
    const alert = evilAlert();
    assert.ok(markdownLinks(String((alert['agent'] as Record<string, unknown>)['name'])).length >= 1, 'the finder sees the raw link');
    const plain = teams.create(blockConfig({ name: 'teams', hookUrl: hookOf(server.url) }), env).plan(alert)[0];
    const template = { text: '**{{severity}}** {{agent.name}} {{location}}\n{{full_log}}', file: '/etc/integratord.conf', at: { line: 3, column: 15 } };
    const templated = teams.create(blockConfig({ name: 'teams', hookUrl: hookOf(server.url), template }), env).plan(alert)[0];
    assert.is((await sendOnce(http, plain)).kind, 'delivered');
    assert.is((await sendOnce(http, templated)).kind, 'delivered');
    const [first, second] = server.received.map((r) => markdownTexts(r.json));
    assert.equal(first, ['WAZUH Alert'], 'only our own header is Markdown');
    assert.is(second?.length, 2);
    for (const text of second ?? []) assert.equal(markdownLinks(text), [], text);
    assert.ok(JSON.stringify(server.received[0]?.json).includes('web-01 [Open in Wazuh](https://evil.example/wazuh)'), 'the agent name is shown as it is, as plain text');
  } finally {
    await http.close();
    await server.close();
  }
});
evil.run();
