// Specs for src/config/load.ts (Loads ossec.conf: SAX read, io-ts decode, warnings; every problem located in one pass).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { formatDiagnostic } from '../../src/config/diagnostic.js';
import { loadConfigFile, loadConfigText } from '../../src/config/load.js';
import { fixturePath } from '../helpers/fixture-path.js';

/** `LINE:COL severity` plus a fragment the message must contain. */
type Expected = readonly [string, string];

const expectDiagnostics = async (name: string, expected: readonly Expected[]) => {
  const loaded = await loadConfigFile(fixturePath('ossec-conf', name));
  const got = loaded.diagnostics.map((d) => [`${d.at.line}:${d.at.column} ${d.severity}`, d.message] as const);
  assert.is(got.length, expected.length, `diagnostics of ${name}:\n${loaded.diagnostics.map(formatDiagnostic).join('\n')}`);
  expected.forEach(([where, fragment], i) => {
    const [gotWhere, message] = got[i] as readonly [string, string];
    assert.is(gotWhere, where, `position of diagnostic ${i} (${message})`);
    assert.ok(message.includes(fragment), `'${message}' should contain '${fragment}'`);
  });
  return loaded;
};

const files = suite('loadConfigFile: fixtures with located errors');
files('accepts every tag across two <ossec_config> roots, in file order', async () => {
  const loaded = await expectDiagnostics('valid-all-tags.conf', []);
  assert.ok(loaded.ok);
  assert.equal(loaded.integrations.map((c) => [c.index, c.name]), [[0, 'slack'], [1, 'pagerduty'], [2, 'custom-misp.py']]);
  const [slack, pd, custom] = loaded.integrations;
  assert.is(slack?.hookUrl?.reveal(), 'https://hooks.slack.com/services/T000/B000/XXXX?a=1&b=2');
  assert.is(slack?.level, 10);
  assert.is(slack?.maxLog, 165);
  assert.is(slack?.timeout, 10);
  assert.is(slack?.retries, 3);
  assert.is(pd?.apiKey?.reveal(), 'R0UTINGKEY&amp;1', 'entities are not decoded');
  assert.equal(pd?.ruleIds, [5712, 5710, 31103], 'several <rule_id> tags append');
  assert.is(pd?.group, 'sshd,web,');
  assert.is(pd?.eventLocation?.pattern, '^/var/log|EventChannel');
  assert.ok(pd?.eventLocation?.test('EVENTCHANNEL'));
  assert.is(pd?.maxLog, 1024);
  assert.is(pd?.timeout, 5);
  assert.is(pd?.retries, 0);
  assert.equal(pd?.options, { client: 'Wazuh on manager-1', payload: { severity: 'info' } });
  assert.ok(pd?.optionsText?.includes('\n      "payload"'), 'options text kept verbatim');
  assert.is(custom?.jsonFormat, false);
  assert.is(custom?.alertFormat, undefined);
});
files('names an unknown element with a did-you-mean', async () => {
  await expectDiagnostics('unknown-element.conf', [
    ['5:5 error', 'unknown element <levl> in <integration> (Wazuh 1230); did you mean <level>?'],
    ['6:5 error', 'unknown element <colour>'],
  ]);
});
files('refuses non-numeric values and max_log out of 165..1024', async () => {
  await expectDiagnostics('bad-numbers.conf', [
    ['4:5 error', "<level>: invalid value ' 10': digits only"],
    ['5:5 error', 'max_log 2048 is out of range: Wazuh accepts 165..1024'],
    ['6:5 error', "<timeout>: invalid value 'ten'"],
    ['7:5 error', "<retries>: invalid value '-1'"],
    ['11:5 error', 'max_log 0 is out of range'],
  ]);
});
files('refuses a block without <name> and empty blocks', async () => {
  await expectDiagnostics('missing-name.conf', [
    ['2:3 error', '<integration> has no <name>'],
    ['6:3 error', 'empty <integration> block'],
    ['7:3 error', 'empty <integration> block'],
  ]);
});
files('points at an unclosed element where it opens', async () => {
  await expectDiagnostics('unclosed.conf', [
    ['4:5 error', 'unclosed element <level>: closed by </integration> at 5:3'],
  ]);
});
files('reports every element still open at the end of a truncated file', async () => {
  await expectDiagnostics('truncated.conf', [
    ['1:1 error', 'unclosed element <ossec_config>'],
    ['2:3 error', 'unclosed element <integration>'],
  ]);
});
files('an invalid <options> is no file error: its block decodes, disabled with the located reason', async () => {
  const loaded = await expectDiagnostics('bad-options.conf', []);
  assert.ok(loaded.ok, 'Wazuh starts with a bad <options>: only that block fails');
  const invalid = loaded.integrations.map((c) => [c.name, `${c.invalid?.at.line}:${c.invalid?.at.column}`, c.invalid?.reason ?? '', c.options]);
  assert.equal(invalid.map(([name, at]) => [name, at]), [['slack', '5:33'], ['shuffle', '10:5'], ['pagerduty', '14:14']]);
  assert.match(String(invalid[0]?.[2]), '<options>: invalid JSON in <options>: Bad control character');
  assert.match(String(invalid[1]?.[2]), '<options> must be a JSON object, got an array');
  assert.match(String(invalid[2]?.[2]), 'an empty <options> makes every Wazuh script exit 7');
  assert.equal(invalid.map((i) => i[3]), [undefined, undefined, undefined], 'no options are used');
});
files('still reports an invalid <options> as an error in a block the file refuses anyway', () => {
  const loaded = loadConfigText('<ossec_config><integration><name>slack</name><levl>3</levl><options>None</options></integration></ossec_config>');
  assert.not.ok(loaded.ok);
  assert.equal(loaded.diagnostics.map((d) => [d.severity, d.message.split(':')[0]]), [['error', 'unknown element <levl> in <integration> (Wazuh 1230); did you mean <level>?'], ['error', '<options>']]);
});
files('refuses a root other than <ossec_config>', async () => {
  await expectDiagnostics('wrong-root.conf', [['6:1 error', 'invalid root element <agent_config>']]);
});
files('refuses elements nested inside a setting', async () => {
  await expectDiagnostics('nested.conf', [['4:14 error', '<a> is not allowed inside <options>']]);
});
files('warns where Wazuh silently surprises', async () => {
  const loaded = await expectDiagnostics('warnings.conf', [
    ['5:5 warning', 'level 17 is above 16'],
    ['6:5 warning', "Wazuh ignores part of <rule_id>5712abc,5716</rule_id> ('abc'); ids used: 5712, 5716"],
    ['7:5 warning', "Wazuh compares ' attack' exactly"],
    ['11:5 warning', '<rule_id>0</rule_id> makes a rule_id filter that never matches'],
    ['12:5 warning', 'never matches'],
  ]);
  assert.ok(loaded.ok, 'warnings are not errors');
  assert.is(loaded.integrations.length, 2);
});
files('rejects an unreadable file with code INTEGRATORD_CONFIG', async () => {
  try {
    await loadConfigFile(fixturePath('ossec-conf', 'does-not-exist.conf'));
    assert.unreachable('should have thrown');
  } catch (error) {
    assert.is((error as { code?: string }).code, 'INTEGRATORD_CONFIG');
    assert.match(String((error as Error).message), 'ENOENT');
  }
});
files.run();

const text = suite('loadConfigText: Wazuh XML rules');
const one = (inner: string) => loadConfigText(`<ossec_config><integration><name>custom-x</name>${inner}</integration></ossec_config>`);
text('keeps content verbatim: no trimming, no entity decoding, a bare & is fine', () => {
  const c = one('<group> a&b &lt; </group>').integrations[0];
  assert.is(c?.group, ' a&b &lt; ');
});
text('an empty element is an empty string, and an empty <level> is 0', () => {
  const c = one('<api_key></api_key><level></level>').integrations[0];
  assert.is(c?.apiKey?.reveal(), '');
  assert.is(c?.level, 0);
});
text('later tags overwrite earlier ones, except rule_id', () => {
  const loaded = one('<group>a</group><group>b</group><rule_id>1</rule_id><rule_id>2</rule_id>');
  assert.is(loaded.integrations[0]?.group, 'b');
  assert.equal(loaded.integrations[0]?.ruleIds, [1, 2]);
  assert.ok(loaded.diagnostics.some((d) => d.severity === 'warning' && d.message.includes('<group> appears more than once')));
});
text('alert_format compares its first 4 characters with json, case-sensitively', () => {
  assert.is(one('<alert_format>json</alert_format>').integrations[0]?.jsonFormat, true);
  assert.is(one('<alert_format>jsonx</alert_format>').integrations[0]?.jsonFormat, true);
  assert.is(one('<alert_format>JSON</alert_format>').integrations[0]?.jsonFormat, false);
  assert.is(one('<alert_format>jso</alert_format>').integrations[0]?.jsonFormat, false);
});
text('rule_id text without any number leaves the filter off', () => {
  const loaded = one('<rule_id>abc</rule_id>');
  assert.is(loaded.integrations[0]?.ruleIds, undefined);
  assert.ok(loaded.diagnostics.some((d) => d.message.includes('no rule id could be read')));
});
text('rule_id 0 keeps an active filter', () => {
  assert.equal(one('<rule_id>0</rule_id>').integrations[0]?.ruleIds, [0]);
});
text('other sections, comments and the XML declaration are ignored', () => {
  const loaded = loadConfigText('<?xml version="1.0"?><!-- c --><ossec_config><syscheck><frequency>1</frequency></syscheck><!-- <integration> --></ossec_config>');
  assert.ok(loaded.ok);
  assert.is(loaded.integrations.length, 0);
});
text('an <integration> outside <ossec_config> is not read', () => {
  const loaded = loadConfigText('<ossec_config><x><integration><name>slack</name></integration></x></ossec_config>');
  assert.is(loaded.integrations.length, 0);
});
text('an event_location longer than 20480 characters is refused', () => {
  const loaded = one(`<event_location>${'a'.repeat(20481)}</event_location>`);
  assert.not.ok(loaded.ok);
  assert.ok(loaded.diagnostics[0]?.message.includes('longer than 20480'));
});
text('a value beyond unsigned int is refused', () => {
  assert.not.ok(one('<level>4294967296</level>').ok);
  assert.ok(one('<timeout>4294967295</timeout>').ok);
});
text('errors never print a secret value', () => {
  const loaded = loadConfigText(`<ossec_config>
    <integration><name>slack</name><hook_url> https://hooks.slack.com/services/SECRET-TOKEN </hook_url></integration>
    <integration><name>pagerduty</name><api_key>SECRET-KEY</api_key><level>SECRET-KEY</level><bogus/></integration>
  </ossec_config>`);
  const all = loaded.diagnostics.map(formatDiagnostic).join('\n');
  assert.ok(all.includes('<hook_url> has spaces'));
  assert.ok(all.includes('unknown element <bogus>'));
  assert.not.ok(all.includes('SECRET-TOKEN'));
  assert.ok(all.includes("<level>: invalid value 'SECRET-KEY'"), 'a non-secret field shows its value');
});
text('a configuration with errors yields no blocks at all', () => {
  const loaded = loadConfigText('<ossec_config><integration><name>custom-a</name></integration><integration><level>x</level><name>custom-b</name></integration></ossec_config>');
  assert.not.ok(loaded.ok);
  assert.is(loaded.integrations.length, 0);
});
text.run();
