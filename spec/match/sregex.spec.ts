// Specs for src/match/sregex.ts (Wazuh's OS_Match ("sregex"): case-insensitive literal alternatives with ^, $, | and a leading !).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { asciiLower, compileSregex } from '../../src/match/sregex.js';

const matches = (pattern: string, subject: string) => compileSregex(pattern).test(subject);

const plain = suite('compileSregex: literal alternatives');
plain('matches a substring, case-insensitively', () => {
  assert.ok(matches('auth', '/var/log/auth.log'));
  assert.ok(matches('AUTH', '/var/log/auth.log'));
  assert.ok(matches('auth', '/VAR/LOG/AUTH.LOG'));
  assert.not.ok(matches('secure', '/var/log/auth.log'));
});
plain('treats . * \\ and other metacharacters literally', () => {
  assert.not.ok(matches('a.c', 'abc'));
  assert.ok(matches('a.c', 'xa.cx'));
  assert.not.ok(matches('a*', 'aaa'));
  assert.ok(matches('c:\\windows', 'C:\\Windows\\System32'));
});
plain('splits on every | and matches any alternative', () => {
  assert.ok(matches('syscheck|rootcheck', 'rootcheck'));
  assert.ok(matches('syscheck|rootcheck', 'syscheck'));
  assert.not.ok(matches('syscheck|rootcheck', 'EventChannel'));
});
plain.run();

const anchors = suite('compileSregex: ^ and $ anchors');
anchors('^text$ is whole-string equality', () => {
  assert.ok(matches('^syscheck$', 'SysCheck'));
  assert.not.ok(matches('^syscheck$', 'syscheck2'));
  assert.not.ok(matches('^syscheck$', 'xsyscheck'));
});
anchors('^text is a prefix and text$ a suffix', () => {
  assert.ok(matches('^/var/log', '/var/log/secure'));
  assert.not.ok(matches('^/log', '/var/log/secure'));
  assert.ok(matches('.log$', '/var/log/auth.log'));
  assert.not.ok(matches('.log$', '/var/log/auth.log.1'));
});
anchors('^$ matches only the empty string', () => {
  assert.ok(matches('^$', ''));
  assert.not.ok(matches('^$', 'a'));
});
anchors('^ alone and $ alone match everything', () => {
  assert.ok(matches('^', 'anything'));
  assert.ok(matches('$', 'anything'));
  assert.ok(matches('^', ''));
});
anchors.run();

const empty = suite('compileSregex: empty alternatives');
empty('an empty pattern matches every subject', () => {
  assert.ok(matches('', 'x'));
  assert.ok(matches('', ''));
});
empty('a||b matches everything through its empty alternative', () => {
  assert.ok(matches('a||b', 'zzz'));
});
empty('a trailing | matches everything', () => {
  assert.ok(matches('syscheck|', 'EventChannel'));
});
empty.run();

const negation = suite('compileSregex: leading !');
negation('negates the whole expression', () => {
  assert.not.ok(matches('!syscheck', 'syscheck'));
  assert.ok(matches('!syscheck', 'rootcheck'));
});
negation('!a|b means neither a nor b', () => {
  assert.not.ok(matches('!a|b', 'xbx'));
  assert.not.ok(matches('!a|b', 'xax'));
  assert.ok(matches('!a|b', 'zzz'));
});
negation('! alone never matches', () => {
  assert.not.ok(matches('!', 'anything'));
  assert.not.ok(matches('!', ''));
});
negation('only the first ! negates; a second is literal', () => {
  assert.ok(matches('!!x', 'abc'));
  assert.not.ok(matches('!!x', 'a!xb'));
});
negation('! inside an alternative is literal', () => {
  assert.ok(matches('a|!b', 'x!by'));
  assert.not.ok(matches('a|!b', 'xby'));
});
negation.run();

const lower = suite('asciiLower');
lower('folds only ASCII letters, like Wazuh charmap', () => {
  assert.is(asciiLower('ABC-xyz'), 'abc-xyz');
  assert.is(asciiLower('ÉCOLE'), 'École');
  assert.is(asciiLower('ÄÖÜ'), 'ÄÖÜ');
});
lower('non-ASCII letters compare as is (no Unicode case folding)', () => {
  assert.not.ok(matches('straße', 'STRASSE'));
  assert.not.ok(matches('é', 'É'));
  assert.ok(matches('é', 'É-é'));
});
lower.run();
