// Specs for src/config/decode.ts (Decodes raw <integration> records into IntegrationConfig with io-ts, locating every failure).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { decodeIntegrations } from '../../src/config/decode.js';
import { loadConfigText } from '../../src/config/load.js';
import type { RawElement, RawIntegration } from '../../src/config/read-ossec-conf.js';

let line = 0;
const el = (name: string, text: string): RawElement => {
  line++;
  return { name, text, at: { line, column: 5 }, textAt: { line, column: 7 + name.length } };
};
const block = (index: number, ...elements: RawElement[]): RawIntegration => ({ index, at: { line: 1, column: 3 }, elements });

const sha8 = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 8);

const decode = suite('decodeIntegrations');
decode('applies Wazuh defaults: level 0, max_log 165, timeout 10, retries 3', () => {
  const { configs, errors } = decodeIntegrations('f', [block(0, el('name', 'custom-a'))]);
  assert.is(errors.length, 0);
  assert.equal(
    { level: configs[0]?.level, maxLog: configs[0]?.maxLog, timeout: configs[0]?.timeout, retries: configs[0]?.retries, ruleIds: configs[0]?.ruleIds },
    { level: 0, maxLog: 165, timeout: 10, retries: 3, ruleIds: undefined },
  );
  assert.ok(Object.isFrozen(configs[0]));
});
decode('keeps the block index of the file, not of the decoded list', () => {
  const { configs } = decodeIntegrations('f', [block(3, el('name', 'custom-a'))]);
  assert.is(configs[0]?.index, 3);
});
decode('gives every decoded block its id: name and hook_url digest, twins numbered in file order', () => {
  const { configs } = decodeIntegrations('f', [
    block(0, el('name', 'custom-a'), el('hook_url', 'http://h/1')),
    block(1, el('name', 'custom-a'), el('level', '3'), el('hook_url', 'http://h/1')),
    block(2, el('name', 'custom-a')),
  ]);
  assert.equal(
    configs.map((c) => c.id),
    [`custom-a-${sha8('http://h/1')}`, `custom-a-${sha8('http://h/1')}-2`, `custom-a-${sha8('')}`],
  );
  assert.ok(configs.every((c) => Object.isFrozen(c)));
});
decode('locates each field error at its element', () => {
  const level = el('level', 'x');
  const { errors } = decodeIntegrations('f', [block(0, el('name', 'slack'), level)]);
  assert.equal(errors.map((e) => [e.at, e.severity]), [[level.at, 'error']]);
  assert.match(errors[0]?.message ?? '', "<level>: invalid value 'x'");
});
decode('reports several problems of one block in one pass', () => {
  const { errors, configs } = decodeIntegrations('f', [block(0, el('levl', '1'), el('max_log', '5'), el('timeout', '-'))]);
  assert.is(configs.length, 0);
  const messages = errors.map((e) => e.message);
  assert.ok(messages.some((m) => m.includes('unknown element <levl>')));
  assert.ok(messages.some((m) => m.includes('has no <name>')));
  assert.ok(messages.some((m) => m.includes('max_log 5')));
  assert.ok(messages.some((m) => m.includes("<timeout>: invalid value '-'")));
});
decode('reports an empty block once and decodes the next', () => {
  const { errors, configs } = decodeIntegrations('f', [block(0), block(1, el('name', 'custom-b'))]);
  assert.is(errors.length, 1);
  assert.match(errors[0]?.message ?? '', 'empty <integration> block');
  assert.is(configs[0]?.name, 'custom-b');
});
decode('keeps the verbatim options text next to the parsed object', () => {
  const { configs } = decodeIntegrations('f', [block(0, el('name', 'custom-a'), el('options', ' {"a":1} '))]);
  assert.equal(configs[0]?.options, { a: 1 });
  assert.is(configs[0]?.optionsText, ' {"a":1} ');
});
decode.run();

const ours = suite('decodeIntegrations: integratord tags (templates, proxy, ca_file, headers)');
const load = (inner: string, file = '/etc/wazuh/integratord.conf') =>
  loadConfigText(`<ossec_config>\n<integration>\n<name>slack</name>\n${inner}\n</integration>\n</ossec_config>\n`, file);
ours('decodes each tag; paths are relative to the config file; texts keep their position', () => {
  const r = load(
    '<template>{{rule.id}}</template>\n<subject_template>S</subject_template>\n<body_template>{}</body_template>\n<proxy>http://u:p@proxy:3128</proxy>\n<ca_file>certs/ca.pem</ca_file>\n<headers>{"X-Tenant":"soc"}</headers>',
  );
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  const c = r.integrations[0];
  assert.equal(c?.template, { text: '{{rule.id}}', file: '/etc/wazuh/integratord.conf', at: { line: 4, column: 11 } });
  assert.is(c?.subjectTemplate?.text, 'S');
  assert.is(c?.bodyTemplate?.text, '{}');
  assert.is(c?.proxy?.reveal(), 'http://u:p@proxy:3128');
  assert.is(String(c?.proxy), '**REDACTED**');
  assert.is(c?.caFile, '/etc/wazuh/certs/ca.pem');
  assert.equal(c?.headers, { 'X-Tenant': 'soc' });
  assert.equal(load('<template_file>t/slack.mustache</template_file>').integrations[0]?.template, { text: undefined, file: '/etc/wazuh/t/slack.mustache', at: { line: 1, column: 1 } });
});
ours('without the tags nothing is added to the config (payloads stay as they are)', () => {
  const c = load('<hook_url>https://h</hook_url>').integrations[0] ?? {};
  for (const key of ['template', 'subjectTemplate', 'bodyTemplate', 'proxy', 'caFile', 'headers']) assert.not.ok(key in c, key);
});
ours('refuses forbidden and malformed headers, a non-http proxy, and both template tags, each located', () => {
  const errors = (inner: string) => load(inner).diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.at.line}: ${d.message}`);
  assert.equal(errors('<headers>{"Host":"evil"}</headers>'), ["4: <headers>: header 'Host' is set by the HTTP client or hop-by-hop and cannot be given"]);
  assert.match(errors('<headers>{"Transfer-Encoding":"chunked"}</headers>')[0] ?? '', 'hop-by-hop');
  assert.match(errors('<headers>{"X-A":"a\\r\\nX-B: b"}</headers>')[0] ?? '', "invalid value in header 'X-A'");
  assert.match(errors('<headers>{"X-A":1}</headers>')[0] ?? '', 'must have a string value');
  assert.match(errors('<headers>[1]</headers>')[0] ?? '', 'must be a JSON object');
  assert.equal(errors('<proxy>socks5://p:1080</proxy>'), ['4: <proxy>: must be an http or https proxy URL, not socks5:']);
  assert.equal(errors('<template>a</template>\n<template_file>b</template_file>'), ['5: a block has either <template> or <template_file>, not both']);
  assert.match(errors('<ca_file> </ca_file>')[0] ?? '', '<ca_file> is empty');
});
ours('<escape_markup> is yes or no (any case); only yes is kept in the config', () => {
  assert.is(load('<escape_markup> YES </escape_markup>').integrations[0]?.escapeMarkup, true);
  assert.not.ok('escapeMarkup' in (load('<escape_markup>no</escape_markup>').integrations[0] ?? {}));
  assert.equal(
    load('<escape_markup>maybe</escape_markup>').diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.at.line}: ${d.message}`),
    ["4: <escape_markup>: invalid value 'maybe': write yes or no"],
  );
});
ours('a misspelt tag of ours gets a did-you-mean', () => {
  assert.match(load('<templat>x</templat>').diagnostics[0]?.message ?? '', 'did you mean <template>?');
});
ours.run();

const noise = suite('decodeIntegrations: noise control tags (issue 11)');
noise('decodes durations in s/m/h/d or seconds and dotted field lists, with defaults', () => {
  const r = load('<dedup_by>rule.id, data.srcip</dedup_by>\n<dedup_window>5m</dedup_window>\n<group_by>agent.id</group_by>\n<group_wait>30s</group_wait>\n<group_interval>2h</group_interval>\n<max_per_hour>20</max_per_hour>');
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  assert.equal(r.integrations[0]?.noise, { dedupBy: ['rule.id', 'data.srcip'], dedupWindow: 300, groupBy: ['agent.id'], groupWait: 30, groupInterval: 7200, maxPerHour: 20 });
  assert.equal(load('<group_by>rule.id</group_by>').integrations[0]?.noise, { groupBy: ['rule.id'], dedupWindow: 3600, groupWait: 0, groupInterval: 300 });
  assert.equal(load('<dedup_by>rule.id</dedup_by><dedup_window>90</dedup_window>').integrations[0]?.noise?.dedupWindow, 90);
  assert.equal(load('<dedup_by>rule.id</dedup_by><dedup_window>1d</dedup_window>').integrations[0]?.noise?.dedupWindow, 86400);
  assert.not.ok('noise' in (load('<hook_url>https://h</hook_url>').integrations[0] ?? {}));
});
noise('refuses bad durations, bad field lists and tags without their partner, each located on its line', () => {
  const errors = (inner: string) => load(inner).diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.at.line}: ${d.message}`);
  assert.equal(errors('<dedup_by>rule.id</dedup_by>\n<dedup_window>5 minutes</dedup_window>'), ["5: <dedup_window>: invalid duration '5 minutes': write seconds or 30s, 5m, 2h, 1d"]);
  assert.equal(errors('<group_by>rule..id</group_by>'), ["4: <group_by>: 'rule..id' is not a dotted alert field (e.g. rule.id, data.srcip)"]);
  assert.equal(errors('<group_by>rule.id,rule.id</group_by>'), ["4: <group_by>: 'rule.id' is listed twice"]);
  assert.equal(errors('<group_by></group_by>'), ['4: <group_by>: is empty: give dotted alert fields, e.g. rule.id,agent.id']);
  assert.equal(errors('<dedup_window>5m</dedup_window>'), ['4: <dedup_window> needs <dedup_by>: the fields whose values are deduplicated']);
  assert.equal(errors('<group_interval>5m</group_interval>'), ['4: <group_interval> needs <group_by>: the fields whose values make a group']);
  assert.equal(errors('<max_per_hour>0</max_per_hour>'), ['4: <max_per_hour> must be at least 1 (remove the tag for no cap)']);
  assert.equal(errors('<max_per_hour>-1</max_per_hour>'), ["4: <max_per_hour>: invalid value '-1': digits only (Wazuh 1235)"]);
  assert.equal(errors('<group_by>rule.id</group_by>\n<group_interval>31d</group_interval>'), ["5: <group_interval>: duration '31d' is longer than 30 days"]);
  assert.equal(errors('<dedup_by>rule.id</dedup_by>\n<max_held_bytes>0</max_held_bytes>'), ['5: <max_held_bytes> must be at least 1']);
  assert.equal(errors('<max_open_keys>10</max_open_keys>'), ['4: <max_open_keys> needs <dedup_by>, <group_by> or <max_per_hour>: it bounds their state']);
});
noise('decodes the caps on the state (issue 18), absent ones left to the defaults', () => {
  assert.equal(load('<dedup_by>data.srcip</dedup_by><max_open_keys>5000</max_open_keys><max_held_alerts>100</max_held_alerts><max_held_bytes>1048576</max_held_bytes>').integrations[0]?.noise?.limits, {
    maxKeys: 5000,
    maxHeld: 100,
    maxHeldBytes: 1_048_576,
  });
  assert.equal(load('<max_per_hour>5</max_per_hour><max_held_alerts>7</max_held_alerts>').integrations[0]?.noise?.limits, { maxHeld: 7 });
  assert.not.ok('limits' in (load('<group_by>rule.id</group_by>').integrations[0]?.noise ?? {}));
});
noise.run();
