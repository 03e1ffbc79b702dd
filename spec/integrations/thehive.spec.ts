// Specs for src/integrations/thehive.ts (TheHive 5 alerts, sourceRef = alert id, a re-send recognised as already there).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { HttpClient } from '../../src/delivery/http.js';
import { classifyTheHive, thehive, theHiveObservables, theHivePayload, theHiveSeverity, theHiveUrl } from '../../src/integrations/thehive.js';
import { THEHIVE_REPLIES, startTheHiveStandIn } from '../../src/stand-ins/thehive.js';
import { blockConfig, integrationEnv } from '../helpers/block-config.js';
import { sampleAlert } from '../helpers/sample-alerts.js';
import { evilAlert, markdownLinks } from '../helpers/markup-links.js';
import { sendOnce } from '../helpers/send-step.js';

const KEY = 'hive-api-key-0123456789';
const env = integrationEnv();

const payload = suite('theHivePayload');
payload('maps the level to severity 1..4', () => {
  assert.equal([0, 6, 7, 9, 10, 12, 13, 15].map(theHiveSeverity), [1, 1, 2, 2, 3, 3, 4, 4]);
});
payload('sends type, source "wazuh", sourceRef = the alert id, title, severity, tags from the groups and the observables', () => {
  const alert = sampleAlert(4);
  const body = theHivePayload(alert, undefined);
  assert.is(body['type'], 'wazuh_alert');
  assert.is(body['source'], 'wazuh');
  assert.is(body['sourceRef'], '1652272159.1549653');
  assert.is(body['title'], 'sshd: brute force trying to get access to the system. Non existent user.');
  assert.is(body['severity'], 3);
  assert.ok((body['tags'] as string[]).includes('rule:5712'));
  assert.ok((body['tags'] as string[]).includes('sshd'));
  assert.match(String(body['description']), /Invalid user paco from 172\.17\.1\.1/);
  assert.equal(body['observables'], theHiveObservables(alert));
  assert.ok((body['observables'] as { dataType: string; data: string }[]).some((o) => o.dataType === 'ip' && o.data === '172.17.1.1'));
});
payload('finds hashes and hostnames, each once, and skips empty or "any" values', () => {
  const alert = { syscheck: { md5_after: 'd41d8cd98f00b204e9800998ecf8427e', sha256_after: 'e3b0' }, data: { srcip: 'any', hostname: 'web1' }, agent: { name: 'web1', ip: '10.0.0.5' } };
  assert.equal(theHiveObservables(alert), [
    { dataType: 'ip', data: '10.0.0.5' },
    { dataType: 'hash', data: 'd41d8cd98f00b204e9800998ecf8427e' },
    { dataType: 'hash', data: 'e3b0' },
    { dataType: 'hostname', data: 'web1' },
  ]);
});
payload('takes `type` from the options and merges the other options (tlp, pap)', () => {
  const body = theHivePayload({ id: '1', rule: { level: 3 } }, { type: 'siem', tlp: 1 });
  assert.is(body['type'], 'siem');
  assert.is(body['tlp'], 1);
});
payload('appends /api/v1/alert to the base URL', () => {
  assert.is(theHiveUrl('https://hive.example.com'), 'https://hive.example.com/api/v1/alert');
  assert.is(theHiveUrl('https://example.com/thehive/'), 'https://example.com/thehive/api/v1/alert');
  assert.is(theHiveUrl('https://hive.example.com/api/v1/alert'), 'https://hive.example.com/api/v1/alert');
});
payload.run();

const live = suite('thehive against the stand-in');
live('creates the alert with the bearer key; a re-send of the same sourceRef is delivered, and TheHive keeps one alert', async () => {
  const hive = await startTheHiveStandIn({ apiKey: KEY });
  const http = new HttpClient();
  try {
    const block = thehive.create(blockConfig({ name: 'thehive', hookUrl: hive.url, apiKey: KEY }), env);
    const [step] = block.plan(sampleAlert(4));
    assert.is((await sendOnce(http, step)).kind, 'delivered');
    const again = await sendOnce(http, step);
    assert.equal(again, { kind: 'delivered', detail: 'already in TheHive (same sourceRef)' });
    assert.is(hive.alerts.length, 1);
    assert.is(hive.received[0]?.headers['authorization'], `Bearer ${KEY}`);
    assert.is(hive.count, 2);
  } finally {
    await http.close();
    await hive.close();
  }
});
live('a wrong key is dropped (401), a 429 waits for Retry-After and pauses, a 503 retries', async () => {
  const hive = await startTheHiveStandIn({ apiKey: KEY });
  const http = new HttpClient();
  try {
    const [wrong] = thehive.create(blockConfig({ name: 'thehive', hookUrl: hive.url, apiKey: 'other' }), env).plan(sampleAlert(4));
    const dropped = await sendOnce(http, wrong);
    assert.is(dropped.kind, 'drop');
    assert.not.match(JSON.stringify(dropped), 'other');
    const [step] = thehive.create(blockConfig({ name: 'thehive', hookUrl: hive.url, apiKey: KEY }), env).plan(sampleAlert(4));
    hive.script(THEHIVE_REPLIES.rateLimited(7), THEHIVE_REPLIES.unavailable);
    const limited = await sendOnce(http, step);
    assert.is(limited.kind, 'retry');
    assert.is(limited.kind === 'retry' ? limited.afterMs : 0, 7000);
    assert.is(limited.kind === 'retry' ? limited.pause : false, true);
    assert.is((await sendOnce(http, step)).kind, 'retry');
    assert.is((await sendOnce(http, step)).kind, 'delivered');
  } finally {
    await http.close();
    await hive.close();
  }
});
live('another 400 (a refused attribute) is dropped, not taken for a re-send', () => {
  const body = JSON.stringify(THEHIVE_REPLIES.invalid('title is missing').body);
  assert.is(classifyTheHive({ status: 400, headers: {}, body }).kind, 'drop');
});
live('is unavailable without a usable hook_url', () => {
  assert.ok(thehive.create(blockConfig({ name: 'thehive', hookUrl: 'file:///etc/passwd', apiKey: KEY }), env).unavailable);
});
live.run();

const template = suite('thehive with <template>');
const at = { file: '/etc/integratord.conf', at: { line: 3, column: 15 } };
template('the template is the alert description; without one the alert is exactly as before', async () => {
  const hive = await startTheHiveStandIn({ apiKey: KEY });
  const http = new HttpClient();
  try {
    const alert = sampleAlert(4);
    const plainStep = thehive.create(blockConfig({ name: 'thehive', hookUrl: hive.url, apiKey: KEY }), env).plan(alert)[0];
    assert.is((await sendOnce(http, plainStep)).kind, 'delivered');
    assert.equal(hive.received[0]?.json, theHivePayload(alert, undefined));
    const other = { ...alert, id: '1652272159.9999999' };
    const templated = thehive.create(blockConfig({ name: 'thehive', hookUrl: hive.url, apiKey: KEY, template: { text: '### {{severity}}\n{{#truncate.20}}{{full_log}}{{/truncate.20}}', ...at } }), env);
    assert.is((await sendOnce(http, templated.plan(other)[0])).kind, 'delivered');
    const sent = hive.received[1]?.json as Record<string, unknown>;
    assert.is(sent['description'], '### medium\nMay 11 12\\:29\\:18 lo…', "{{x}} Markdown-escaped (truncate counts the escapes), the template's own heading kept");
    assert.equal({ ...sent, description: null }, { ...theHivePayload(other, undefined), description: null }, 'title, severity, tags, observables unchanged');
    assert.is(hive.alerts.length, 2);
  } finally {
    await http.close();
    await hive.close();
  }
});
template('a template that does not compile disables the block with its location', () => {
  const b = thehive.create(blockConfig({ name: 'thehive', hookUrl: 'https://hive.example', apiKey: KEY, template: { text: '{{#x}}', ...at } }), env);
  assert.is(b.unavailable, '<template> at /etc/integratord.conf:3:21: unclosed section "x"');
  assert.equal(thehive.templates, ['template']);
});
template.run();

const evil = suite('thehive: the evil alert of issue 20 stays text');
evil('a fence longer than any backtick run of full_log, escaped metadata lines, and escaped template values: no link or image renders', async () => {
  const hive = await startTheHiveStandIn({ apiKey: KEY });
  const http = new HttpClient();
  try {
    const alert = evilAlert();
    assert.ok(markdownLinks(['```', String(alert['full_log']), '```'].join('\n')).length >= 2, 'the finder sees the links that escape a three-backtick fence');
    const plain = thehive.create(blockConfig({ name: 'thehive', hookUrl: hive.url, apiKey: KEY }), env).plan(alert)[0];
    const template = { text: '### {{rule.description}}\n**Agent** {{agent.name}}\n{{full_log}}', file: '/etc/integratord.conf', at: { line: 3, column: 15 } };
    const templated = thehive.create(blockConfig({ name: 'thehive', hookUrl: hive.url, apiKey: KEY, template }), env).plan({ ...alert, id: '1700000000.667' })[0];
    assert.is((await sendOnce(http, plain)).kind, 'delivered');
    assert.is((await sendOnce(http, templated)).kind, 'delivered');
    for (const r of hive.received) {
      const description = String((r.json as Record<string, unknown>)['description']);
      assert.equal(markdownLinks(description), [], description);
    }
    const first = String((hive.received[0]?.json as Record<string, unknown>)['description']);
    assert.match(first, /^`````$/m, 'a five-backtick fence: full_log holds a run of four');
    assert.match(first, '**Agent** 007 \\- web\\-01 \\[Open in Wazuh\\]\\(https\\://evil\\.example/wazuh\\)');
  } finally {
    await http.close();
    await hive.close();
  }
});
evil.run();
