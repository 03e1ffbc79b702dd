// Specs for src/match/compile.ts (Compiles one block's filters into a predicate that checks alerts in Wazuh's order).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { compileFilter, groupPieces, type FilterConfig } from '../../src/match/compile.js';
import { compileSregex } from '../../src/match/sregex.js';

const none: FilterConfig = { level: 0, ruleIds: undefined, group: undefined, eventLocation: undefined };
const filter = (f: Partial<FilterConfig>) => compileFilter({ ...none, ...f });
const alert = (rule: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ rule, location: '/var/log/auth.log', ...extra });
const sshd = alert({ level: 10, id: '5712', groups: ['syslog', 'sshd', 'authentication_failures'] });

const rule = suite('compileFilter: the rule block');
rule('passes everything with a rule when no filter is set', () => {
  assert.is(filter({})(sshd), null);
  assert.is(filter({})({ rule: {} }), null);
});
rule('skips an alert without rule, whatever the filters', () => {
  assert.is(filter({})({ location: 'x' }), 'no-rule');
  assert.is(filter({})({ rule: null }), 'no-rule');
  assert.is(filter({})({ rule: 'x' }), 'no-rule');
  assert.is(filter({})(null), 'no-rule');
  assert.is(filter({})([1]), 'no-rule');
});
rule.run();

const location = suite('compileFilter: event_location');
location('matches location with OS_Match', () => {
  assert.is(filter({ eventLocation: compileSregex('auth.log$') })(sshd), null);
  assert.is(filter({ eventLocation: compileSregex('^syscheck$') })(sshd), 'location');
});
location('skips an alert without location when event_location is set', () => {
  assert.is(filter({ eventLocation: compileSregex('') })({ rule: {} }), 'location-missing');
});
location('treats a non-string location as missing (Wazuh crashes)', () => {
  assert.is(filter({ eventLocation: compileSregex('') })({ rule: {}, location: 5 }), 'location-missing');
  assert.is(filter({ eventLocation: compileSregex('') })({ rule: {}, location: null }), 'location-missing');
});
location('an empty event_location matches any alert that has a location', () => {
  assert.is(filter({ eventLocation: compileSregex('') })(alert({}, { location: '' })), null);
});
location('matches an uppercase subject', () => {
  assert.is(filter({ eventLocation: compileSregex('eventchannel') })(alert({}, { location: 'EventChannel' })), null);
});
location.run();

const level = suite('compileFilter: level');
level('passes when rule.level >= level', () => {
  assert.is(filter({ level: 10 })(sshd), null);
  assert.is(filter({ level: 11 })(sshd), 'level');
});
level('skips an alert without rule.level (analysisd omits level 0)', () => {
  assert.is(filter({ level: 1 })(alert({ id: '1' })), 'level-missing');
});
level('reads a string level as 0, like cJSON valueint', () => {
  assert.is(filter({ level: 1 })(alert({ level: '12' })), 'level');
});
level('truncates a fractional level', () => {
  assert.is(filter({ level: 10 })(alert({ level: 9.9 })), 'level');
  assert.is(filter({ level: 10 })(alert({ level: 10.5 })), null);
});
level('compares unsigned as Wazuh does: a negative level passes', () => {
  assert.is(filter({ level: 10 })(alert({ level: -1 })), null);
});
level('level 0 means no level filter', () => {
  assert.is(filter({ level: 0 })(alert({})), null);
});
level.run();

const group = suite('compileFilter: group');
group('matches any exact comma piece', () => {
  assert.is(filter({ group: 'syscheck,sshd' })(sshd), null);
  assert.is(filter({ group: 'syscheck' })(sshd), 'group');
});
group('is case-sensitive and never a substring match', () => {
  assert.is(filter({ group: 'SSHD' })(sshd), 'group');
  assert.is(filter({ group: 'ssh' })(sshd), 'group');
  assert.is(filter({ group: 'authentication' })(sshd), 'group');
});
group('a trailing comma (syscheck,) is harmless', () => {
  assert.is(filter({ group: 'sshd,' })(sshd), null);
});
group('spaces after commas are kept: "web, sshd" looks for " sshd"', () => {
  assert.is(filter({ group: 'web, sshd' })(sshd), 'group');
  assert.is(filter({ group: 'web, sshd' })(alert({ groups: [' sshd'] })), null);
});
group('skips an alert without rule.groups or with a non-array', () => {
  assert.is(filter({ group: 'sshd' })(alert({ level: 3 })), 'group');
  assert.is(filter({ group: 'sshd' })(alert({ groups: 'sshd' })), 'group');
});
group('ignores non-string entries of rule.groups (Wazuh crashes)', () => {
  assert.is(filter({ group: 'sshd' })(alert({ groups: [null, 5, 'sshd'] })), null);
  assert.is(filter({ group: 'sshd' })(alert({ groups: [null, 5] })), 'group');
});
group('an empty group never matches', () => {
  assert.is(filter({ group: '' })(sshd), 'group');
  assert.is(filter({ group: '' })(alert({ groups: [''] })), 'group');
});
group('an empty middle piece matches an empty group name, as in Wazuh', () => {
  assert.is(filter({ group: 'a,,b' })(alert({ groups: [''] })), null);
});
group.run();

const pieces = suite('groupPieces');
pieces('drops only a trailing empty piece', () => {
  assert.equal(groupPieces('a,b'), ['a', 'b']);
  assert.equal(groupPieces('syscheck,'), ['syscheck']);
  assert.equal(groupPieces(''), []);
  assert.equal(groupPieces('a,,b'), ['a', '', 'b']);
  assert.equal(groupPieces(','), ['']);
});
pieces.run();

const ruleId = suite('compileFilter: rule_id');
ruleId('matches any configured id', () => {
  assert.is(filter({ ruleIds: [5710, 5712] })(sshd), null);
  assert.is(filter({ ruleIds: [5710] })(sshd), 'rule-id');
});
ruleId('compares rule.id with C atoi', () => {
  assert.is(filter({ ruleIds: [12] })(alert({ id: '12ab' })), null);
  assert.is(filter({ ruleIds: [5712] })(alert({ id: ' 05712' })), null);
  assert.is(filter({ ruleIds: [5712] })(alert({ id: '' })), 'rule-id');
});
ruleId('skips an alert without rule.id', () => {
  assert.is(filter({ ruleIds: [5712] })(alert({ level: 3 })), 'rule-id-missing');
});
ruleId('treats a numeric rule.id as missing (Wazuh crashes)', () => {
  assert.is(filter({ ruleIds: [5712] })(alert({ id: 5712 })), 'rule-id-missing');
});
ruleId('<rule_id>0</rule_id> never matches, not even id "0"', () => {
  assert.is(filter({ ruleIds: [0] })(alert({ id: '0' })), 'rule-id');
  assert.is(filter({ ruleIds: [0] })(alert({ id: 'abc' })), 'rule-id');
});
ruleId('0 among other ids is ignored, as in Wazuh', () => {
  assert.is(filter({ ruleIds: [0, 5712] })(sshd), null);
});
ruleId('an id beyond int32 never matches (no atoi wrap-around)', () => {
  assert.is(filter({ ruleIds: [5712] })(alert({ id: '4294972008' })), 'rule-id');
});
ruleId.run();

const order = suite('compileFilter: order');
order('reports the first failing filter in Wazuh order location → level → group → rule_id', () => {
  const all = filter({ eventLocation: compileSregex('nope'), level: 15, group: 'x', ruleIds: [1] });
  assert.is(all(sshd), 'location');
  const noLocation = filter({ level: 15, group: 'x', ruleIds: [1] });
  assert.is(noLocation(sshd), 'level');
  assert.is(filter({ group: 'x', ruleIds: [1] })(sshd), 'group');
  assert.is(filter({ group: 'sshd', ruleIds: [1] })(sshd), 'rule-id');
});
order.run();
