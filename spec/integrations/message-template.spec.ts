// Specs for src/integrations/message-template.ts (Mustache message templates of a block with their helpers).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfigText } from '../../src/config/load.js';
import { compileTemplate, severityWord, templateProblems, type TemplateTag } from '../../src/integrations/message-template.js';
import { blockConfig } from '../helpers/block-config.js';
import { ossecConf } from '../helpers/ossec-conf.js';
import { tempDirSync } from '../helpers/temp-dir.js';

const inline = (text: string, tag: TemplateTag = 'template') => {
  const source = { text, file: '/etc/integratord.conf', at: { line: 10, column: 15 } };
  return blockConfig(tag === 'template' ? { template: source } : tag === 'subject_template' ? { subjectTemplate: source } : { bodyTemplate: source });
};
const render = (text: string, alert: Record<string, unknown>, tag: TemplateTag = 'template') => {
  const compiled = compileTemplate(inline(text, tag), tag);
  if ('problem' in compiled) throw new Error(compiled.problem);
  return compiled.render(alert);
};
const problem = (text: string, tag: TemplateTag = 'template') => {
  const compiled = compileTemplate(inline(text, tag), tag);
  return 'problem' in compiled ? compiled.problem : undefined;
};

const alert = {
  rule: { level: 12, id: '5712', description: 'sshd: <brute> "force"', groups: ['syslog', 'sshd'] },
  agent: { id: '001', name: 'web-1' },
  full_log: 'line one\nline "two" \\ end',
  data: { srcip: '203.0.113.9', win: { system: { eventID: '4625' } } },
};

const text = suite('compileTemplate: message text');
text('without a template render gives undefined, so the integration keeps its own text', () => {
  const compiled = compileTemplate(blockConfig());
  assert.ok(!('problem' in compiled));
  assert.is('render' in compiled ? compiled.render(alert) : 'x', undefined);
});
text('the alert is the view, with sections over arrays and no HTML escaping', () => {
  assert.is(render('{{rule.description}} on {{agent.name}}: {{#rule.groups}}[{{.}}]{{/rule.groups}}', alert), 'sshd: <brute> "force" on web-1: [syslog][sshd]');
  assert.is(render('{{missing.field}}|{{^missing}}none{{/missing}}', alert), '|none');
});
text('helpers: severity word, truncate (default and .N), json of a sub-object', () => {
  assert.is(render('{{severity}}', alert), 'high');
  assert.is(render('{{#truncate.8}}{{full_log}}{{/truncate.8}}', alert), 'line one…');
  assert.is(render('{{#truncate}}{{rule.id}}{{/truncate}}', alert), '5712');
  assert.is(render(`{{#truncate}}${'x'.repeat(300)}{{/truncate}}`, alert), `${'x'.repeat(200)}…`);
  assert.is(render('{{#rule}}{{#truncate.3}}{{description}}{{/truncate.3}}{{/rule}}', alert), 'ssh…');
  assert.is(render('{{#json}}data.win{{/json}}', alert), '{"system":{"eventID":"4625"}}');
  assert.is(render('{{#json}}nothing{{/json}}', alert), 'null');
  assert.is(render('{{data.win}}', alert), '{"system":{"eventID":"4625"}}');
});
text('truncate never splits a surrogate pair', () => {
  assert.is(render('{{#truncate.2}}{{full_log}}{{/truncate.2}}', { full_log: 'a😀b' }), 'a😀…');
});
text('severityWord bands levels like Wazuh dashboards', () => {
  assert.equal([0, 6, 7, 11, 12, 14, 15, 16].map(severityWord), ['low', 'low', 'medium', 'medium', 'high', 'high', 'critical', 'critical']);
  assert.is(severityWord(undefined), 'unknown');
  assert.is(severityWord('9'), 'medium');
});
text('a syntax error names the tag and its file:line:column (the template starts at 10:15)', () => {
  assert.is(problem('Alert {{#rule}}x'), '<template> at /etc/integratord.conf:10:31: unclosed section "rule"');
  assert.is(problem('a\nb {{/x}}'), '<template> at /etc/integratord.conf:11:3: unopened section "x"');
  assert.is(problem('{{> partial}}'), '<template> at /etc/integratord.conf:10:15: partials ({{> name}}) are not supported');
});
text('<template_file> is read relative to the config file; a missing one is a located problem', () => {
  const { dir, remove } = tempDirSync('template-file');
  try {
    writeFileSync(join(dir, 'slack.mustache'), '{{severity}}: {{rule.description}}');
    const conf = join(dir, 'integratord.conf');
    const loaded = loadConfigText(ossecConf('<name>slack</name>\n<hook_url>https://h</hook_url>\n<template_file>slack.mustache</template_file>'), conf);
    const config = loaded.integrations[0];
    assert.ok(config, JSON.stringify(loaded.diagnostics));
    assert.is(config.template?.file, join(dir, 'slack.mustache'));
    const compiled = compileTemplate(config);
    assert.is('render' in compiled ? compiled.render(alert) : compiled.problem, 'high: sshd: <brute> "force"');
    const missing = compileTemplate({ ...config, template: { text: undefined, file: join(dir, 'nope.mustache'), at: { line: 1, column: 1 } } });
    assert.is('problem' in missing ? missing.problem : '', `cannot read <template_file> ${join(dir, 'nope.mustache')} (ENOENT)`);
  } finally {
    remove();
  }
});

const body = suite('compileTemplate: body_template (JSON)');
body('every interpolation is JSON-escaped: newlines, quotes and backslashes of the alert stay inside their string', () => {
  const out = render('{"text":"{{full_log}}","level":{{rule.level}},"data":{{data}},"groups":{{#json}}rule.groups{{/json}}}', alert, 'body_template') ?? '';
  assert.equal(JSON.parse(out), { text: alert.full_log, level: 12, data: alert.data, groups: ['syslog', 'sshd'] });
});
body('hostile content cannot add a key: a value crafted to close the string stays text', () => {
  const hostile = { full_log: '", "admin": true, "x": "' };
  const out = render('{"text":"{{full_log}}"}', hostile, 'body_template') ?? '';
  assert.equal(JSON.parse(out), { text: hostile.full_log });
});
body('truncate cuts characters, not escapes, in a JSON body', () => {
  const out = render('{"t":"{{#truncate.10}}{{full_log}}{{/truncate.10}}"}', alert, 'body_template') ?? '';
  assert.equal(JSON.parse(out), { t: 'line one\nl…' });
});
const issueTemplate = '{"ip":"{{data.srcip}}","data":{{data}},"level":{{rule.level}}}';
const twelve: Record<string, unknown>[] = [
  { data: { srcip: '203.0.113.9' }, rule: { level: 5 } },
  { data: { srcip: { v4: '203.0.113.9', port: 22 } }, rule: { level: 5 } },
  { data: { srcip: ['203.0.113.9', '198.51.100.7'] }, rule: { level: 5 } },
  { data: { srcip: null } },
  { data: 'just a string' },
  { data: ['a', { b: '"}' }] },
  {},
  { rule: { level: '12' } },
  { rule: { level: true }, data: 7 },
  { data: { srcip: '", "admin": true, "x": "' } },
  { data: { srcip: 'back\\slash\u2028\u0000' }, rule: { level: 3.5 } },
  { data: { srcip: { nested: [[{ deep: '\n' }]] } }, rule: {} },
];
body('the issue template renders valid JSON for objects, arrays, missing values and strings where objects were expected', () => {
  for (const a of twelve) {
    const out = render(issueTemplate, a, 'body_template') ?? '';
    const parsed = JSON.parse(out) as Record<string, unknown>;
    const data = a['data'];
    const srcip = typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>)['srcip'] : undefined;
    const expectedIp = srcip === undefined || srcip === null ? '' : typeof srcip === 'string' ? srcip : JSON.stringify(srcip);
    const rule = a['rule'] as Record<string, unknown> | undefined;
    assert.equal(parsed, { ip: expectedIp, data: data ?? null, level: rule?.['level'] ?? null }, JSON.stringify(a));
  }
});
body('a slot inside a string shows an object as its JSON text; a bare slot renders null when missing', () => {
  assert.equal(JSON.parse(render('{"t":"x={{data}}","m":{{missing.deep}},"s":"{{missing}}"}', { data: { a: [1] } }, 'body_template') ?? ''), { t: 'x={"a":[1]}', m: null, s: '' });
});
body('helpers follow their place: json inside a string is its text, truncate bare is a JSON string', () => {
  const out = render('{"j":"{{#json}}data.win{{/json}}","t":{{#truncate.4}}{{full_log}}{{/truncate.4}}}', alert, 'body_template') ?? '';
  assert.equal(JSON.parse(out), { j: '{"system":{"eventID":"4625"}}', t: 'line…' });
});
body('a template that cannot be JSON for any alert is a configuration error, located, naming no alert content', () => {
  assert.match(problem('{"log":{{full_log}} {{rule.id}}}', 'body_template') ?? '', /^<body_template> at \/etc\/integratord.conf:10:15: does not render valid JSON .*for an alert without fields/);
  assert.match(problem('{"g":[{{#rule.groups}}"{{.}}",{{/rule.groups}}]}', 'body_template') ?? '', /does not render valid JSON .*when the alert has every field it names/, 'a separator left after the last item');
  assert.match(problem('{"log":"{{full_log}}}', 'body_template') ?? '', /does not render valid JSON/);
  assert.match(problem('{"a":{{#rule}}"{{id}}{{/rule}}"}', 'body_template') ?? '', /^<body_template> at \/etc\/integratord.conf:10:20: the section \{\{#rule\}\} opens a JSON string/);
  assert.is(problem(issueTemplate, 'body_template'), undefined);
});
body('a section whose items lack a separator still fails loudly at render with two items (check catches it with the sample), quoting no alert content', () => {
  try {
    render('{"g":[{{#rule.groups}}"{{.}}"{{/rule.groups}}]}', alert, 'body_template');
    assert.unreachable('should throw');
  } catch (error) {
    assert.instance(error, Error);
    assert.match((error as Error).message, /^<body_template> did not render valid JSON/);
    assert.not.match((error as Error).message, 'syslog');
  }
});
body('unescaped interpolation is refused at compile time', () => {
  assert.match(problem('{"t":"{{{full_log}}}"}', 'body_template') ?? '', /^<body_template> at \/etc\/integratord.conf:10:21: unescaped interpolation/);
  assert.match(problem('{"t":"{{& full_log}}"}', 'body_template') ?? '', /unescaped interpolation/);
  assert.is(problem('{{{full_log}}}'), undefined, 'allowed in message text');
});

const problems = suite('templateProblems (what check reports)');
problems('a body that does not render the sample as JSON is an error located at the template', () => {
  const noSeparator = '{"g":[{{#rule.groups}}"{{.}}"{{/rule.groups}}]}';
  const found = templateProblems(inline(noSeparator, 'body_template'), ['body_template'], alert);
  assert.is(found.length, 1);
  assert.equal([found[0]?.file, found[0]?.at, found[0]?.severity], ['/etc/integratord.conf', { line: 10, column: 15 }, 'error']);
  assert.match(found[0]?.message ?? '', /^rendering the sample alert: <body_template> did not render valid JSON/);
  assert.equal(templateProblems(inline('{"t":"{{full_log}}"}', 'body_template'), ['body_template'], alert), []);
  assert.equal(templateProblems(inline(noSeparator, 'body_template'), ['template'], alert), [], 'only the tags the integration uses');
});

text.run();
body.run();
problems.run();
