// Specs for src/integrations/jira.ts (one Jira issue per alert, labelled with the alert id, searched first so a re-send creates none).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { jira, jiraAlertLabel, jiraIssue, jiraOptions } from '../../src/integrations/jira.js';
import { dryRunLines } from '../../src/pipeline/dry-run.js';
import { JIRA_REPLIES, startJiraStandIn } from '../../src/stand-ins/jira.js';
import { blockConfig, integrationEnv } from '../helpers/block-config.js';
import { quietDuring } from '../helpers/capture-log.js';
import { harness } from '../helpers/pipeline-harness.js';
import { sampleAlert } from '../helpers/sample-alerts.js';
import { evilAlert, jiraLinks } from '../helpers/markup-links.js';

const KEY = 'soc@example.com:jira-token-0123456789';
const OPTIONS = { project: 'SEC', issue_type: 'Task' };
const env = integrationEnv();
const config = (hookUrl: string, extra: Parameters<typeof blockConfig>[0] = {}) =>
  blockConfig({ name: 'jira', hookUrl, apiKey: KEY, options: OPTIONS, retries: 2, ...extra });

const unit = suite('jira issue and options');
unit('the alert-id label keeps Jira label rules: no spaces, safe characters only, at most 255', () => {
  assert.is(jiraAlertLabel('1652272159.1549653'), 'wazuh-alert-1652272159.1549653');
  assert.is(jiraAlertLabel('a b"c\\d'), 'wazuh-alert-a_b_c_d');
  assert.is(jiraAlertLabel('x'.repeat(400)).length, 255);
});
unit('project and issue type come from the options; missing ones disable the block with a reason', () => {
  assert.equal(jiraOptions(OPTIONS), { project: 'SEC', issueType: 'Task' });
  for (const options of [undefined, {}, { project: 'SEC' }, { issue_type: 'Task' }, { project: '', issue_type: 'Task' }]) {
    const block = jira.create(blockConfig({ name: 'jira', hookUrl: 'https://jira.example.com', apiKey: KEY, ...(options ? { options } : {}) }), env);
    assert.match(block.unavailable ?? '', /project.*issue_type/);
  }
  assert.match(jira.create(blockConfig({ name: 'jira', hookUrl: 'https://jira.example.com', apiKey: 'no-colon', options: OPTIONS }), env).unavailable ?? '', /email:api-token/);
});
unit('the issue has the project, issue type, summary, full_log in the description and the labels', () => {
  const issue = jiraIssue(sampleAlert(4), { project: 'SEC', issueType: 'Task' }, 'wazuh-alert-1') as { fields: Record<string, unknown> };
  assert.equal(issue.fields['project'], { key: 'SEC' });
  assert.equal(issue.fields['issuetype'], { name: 'Task' });
  assert.is(issue.fields['summary'], 'Wazuh: sshd: brute force trying to get access to the system. Non existent user.');
  assert.match(String(issue.fields['description']), /Invalid user paco from 172\.17\.1\.1/);
  assert.is((issue.fields['labels'] as string[])[0], 'wazuh-alert-1');
});
unit('dry-run shows the search with the Basic credentials redacted', () => {
  const c = config('https://jira.example.com');
  const lines = dryRunLines(c, sampleAlert(4), jira.create(c, env).plan(sampleAlert(4))).join('\n');
  assert.not.match(lines, Buffer.from(KEY).toString('base64'));
  assert.not.match(lines, 'jira-token');
  assert.match(lines, /search\?jql=labels/);
});
unit.run();

const live = suite('jira against the stand-in, through the block pipeline');
quietDuring(live);
live('searches the label, creates the issue once; a re-send of the alert (after a crash) finds it and creates none', async () => {
  const service = await startJiraStandIn({ apiKey: KEY, projects: ['SEC'] });
  const h = await harness();
  try {
    const c = config(service.url);
    const block = jira.create(c, env);
    const first = await h.run(c, block, [sampleAlert(4)]);
    assert.equal(first.map((o) => o.kind), ['delivered']);
    assert.equal(service.received.map((r) => r.method), ['GET', 'POST']);
    assert.is(service.issues.length, 1);
    assert.ok((service.issues[0]?.fields['labels'] as string[]).includes('wazuh-alert-1652272159.1549653'));
    assert.is(service.received[0]?.headers['authorization'], `Basic ${Buffer.from(KEY).toString('base64')}`);
    const again = await h.run(c, block, [sampleAlert(4)]);
    assert.equal(again.map((o) => o.kind), ['delivered']);
    assert.equal(service.received.map((r) => r.method), ['GET', 'POST', 'GET'], 'the second search found the issue: no second POST');
    assert.is(service.issues.length, 1);
  } finally {
    await h.close();
    await service.close();
  }
});
live('a 429 with Retry-After on the search or the create waits and retries: the issue is created, nothing dead-lettered', async () => {
  const service = await startJiraStandIn({ apiKey: KEY });
  const h = await harness();
  try {
    service.script(JIRA_REPLIES.rateLimited(0), { status: 200, body: { startAt: 0, maxResults: 1, total: 0, issues: [] } }, JIRA_REPLIES.rateLimited(0));
    const c = config(service.url);
    const outcomes = await h.run(c, jira.create(c, env), [sampleAlert(4)]);
    assert.equal(outcomes.map((o) => o.kind), ['delivered']);
    assert.is(service.count, 4);
    assert.is(service.issues.length, 1);
  } finally {
    await h.close();
    await service.close();
  }
});
live('an unknown project (400 with Jira errors) dead-letters with Jira reason and no secret', async () => {
  const service = await startJiraStandIn({ apiKey: KEY, projects: ['OPS'] });
  const h = await harness();
  try {
    const c = config(service.url);
    const [outcome] = await h.run(c, jira.create(c, env), [sampleAlert(4)]);
    assert.is(outcome?.kind, 'dead-lettered');
    const reason = outcome?.kind === 'dead-lettered' ? outcome.reason : '';
    assert.match(reason, /valid project is required/);
    assert.not.match(reason, 'jira-token');
  } finally {
    await h.close();
    await service.close();
  }
});
live.run();

const template = suite('jira with <template>');
quietDuring(template);
const at = { file: '/etc/integratord.conf', at: { line: 3, column: 15 } };
template('the template is the issue description; without one the issue is exactly as before', async () => {
  const service = await startJiraStandIn({ apiKey: KEY, projects: ['SEC'] });
  const h = await harness();
  try {
    const alert = sampleAlert(4);
    const other = { ...alert, id: '1652272159.9999999' };
    const plain = config(service.url);
    const templated = config(service.url, { template: { text: 'h3. {{severity}}\n{{rule.description}} ({{rule.id}})', ...at } });
    const outcomes = [...(await h.run(plain, jira.create(plain, env), [alert])), ...(await h.run(templated, jira.create(templated, env), [other]))];
    assert.equal(outcomes.map((o) => o.kind), ['delivered', 'delivered']);
    const posts = service.received.filter((r) => r.method === 'POST');
    assert.equal(posts[0]?.json, jiraIssue(alert, { project: 'SEC', issueType: 'Task' }, 'wazuh-alert-1652272159.1549653'));
    const fields = (r: unknown) => (r as { fields: Record<string, unknown> }).fields;
    assert.is(fields(posts[1]?.json)['description'], 'h3. medium\nsshd: brute force trying to get access to the system. Non existent user. (5712)');
    assert.equal(
      { ...fields(posts[1]?.json), description: null },
      { ...fields(jiraIssue(other, { project: 'SEC', issueType: 'Task' }, 'wazuh-alert-1652272159.9999999')), description: null },
      'summary and labels unchanged',
    );
  } finally {
    await h.close();
    await service.close();
  }
});
template('a template that does not compile disables the block with its location', () => {
  assert.is(jira.create(config('https://jira.example.com', { template: { text: '{{#x}}', ...at } }), env).unavailable, '<template> at /etc/integratord.conf:3:21: unclosed section "x"');
  assert.equal(jira.templates, ['template']);
});
template.run();

const evil = suite('jira: the evil alert of issue 20 stays text');
quietDuring(evil);
evil('no wiki link or image outside {noformat}, with and without a template; the summary stays plain text', async () => {
  const service = await startJiraStandIn({ apiKey: KEY, projects: ['SEC'] });
  const h = await harness();
  try {
    const alert = evilAlert();
    const raw = String((alert['rule'] as Record<string, unknown>)['description']);
    assert.ok(jiraLinks(raw).length >= 2, 'the finder sees the raw link and image');
    const plain = config(service.url);
    const templated = config(service.url, { template: { text: 'h3. {{rule.description}}\nAgent {{agent.name}} at {{location}}: {{full_log}}', file: '/etc/integratord.conf', at: { line: 3, column: 15 } } });
    const outcomes = [...(await h.run(plain, jira.create(plain, env), [alert])), ...(await h.run(templated, jira.create(templated, env), [{ ...alert, id: '1700000000.667' }]))];
    assert.equal(outcomes.map((o) => o.kind), ['delivered', 'delivered']);
    assert.is(service.issues.length, 2);
    for (const issue of service.issues) {
      const description = String(issue.fields['description']);
      assert.equal(jiraLinks(description), [], description);
      assert.ok(description.includes('Wazuh runbook'), 'the text itself is kept');
    }
    assert.match(String(service.issues[0]?.fields['description']), '{noformat}\n', 'full_log stays in {noformat}');
    assert.equal((String(service.issues[0]?.fields['description']).match(/^\{noformat\}$/gm) ?? []).length, 2, "full_log's own {noformat} cannot close the block");
  } finally {
    await h.close();
    await service.close();
  }
});
evil.run();
