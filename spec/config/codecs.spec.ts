// Specs for src/config/codecs.ts (io-ts codecs for the text of each <integration> setting, with Wazuh's exact rules and defaults).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import {
  MaxLog,
  MaxLogFromText,
  OptionsFromText,
  RuleIdListFromTexts,
  SecretFromText,
  SregexFromText,
  UnsignedFromText,
  type PreciseFailureValue,
} from '../../src/config/codecs.js';
import { Secret } from '../../src/config/secret.js';

const at = { line: 10, column: 14 };
const text = (t: string) => ({ text: t, textAt: at });
const right = <A>(r: { _tag: string; right?: A }) => {
  assert.ok(isRight(r as never), 'expected a success');
  return r.right as A;
};
const message = (r: unknown) => {
  assert.ok(isLeft(r as never), 'expected a failure');
  return (r as { left: { message?: string }[] }).left[0]?.message ?? '';
};

const unsigned = suite('UnsignedFromText');
unsigned('reads ASCII digits; an empty text is 0 (OS_StrIsNum)', () => {
  assert.is(right(UnsignedFromText.decode(text('42'))), 42);
  assert.is(right(UnsignedFromText.decode(text(''))), 0);
  assert.is(right(UnsignedFromText.decode(text('007'))), 7);
});
unsigned('refuses signs, spaces, decimals and letters', () => {
  for (const bad of ['-1', '+1', ' 1', '1 ', '1.5', '1e3', 'ten']) {
    assert.match(message(UnsignedFromText.decode(text(bad))), 'digits only', bad);
  }
});
unsigned('refuses values beyond unsigned int', () => {
  assert.match(message(UnsignedFromText.decode(text('4294967296'))), 'out of range');
});
unsigned('refuses what is not located text', () => {
  assert.ok(isLeft(UnsignedFromText.decode('42')));
});
unsigned.run();

const maxLog = suite('MaxLogFromText');
maxLog('accepts 165..1024 inclusive', () => {
  assert.is(right(MaxLogFromText.decode(text('165'))), 165);
  assert.is(right(MaxLogFromText.decode(text('1024'))), 1024);
  assert.ok(MaxLog.is(500));
});
maxLog('refuses 164, 1025 and an empty element (0)', () => {
  assert.match(message(MaxLogFromText.decode(text('164'))), 'out of range');
  assert.match(message(MaxLogFromText.decode(text('1025'))), 'out of range');
  assert.match(message(MaxLogFromText.decode(text(''))), 'max_log 0');
  assert.match(message(MaxLogFromText.decode(text('x'))), 'digits only');
});
maxLog.run();

const secret = suite('SecretFromText');
secret('wraps any text, even empty, in a redacting Secret', () => {
  const s = right<Secret>(SecretFromText.decode(text('')));
  assert.instance(s, Secret);
  assert.is(s.reveal(), '');
  assert.is(String(right<Secret>(SecretFromText.decode(text('k')))), '**REDACTED**');
});
secret.run();

const sregex = suite('SregexFromText');
sregex('compiles the pattern once', () => {
  const r = right<{ test(s: string): boolean; pattern: string }>(SregexFromText.decode(text('^sys')));
  assert.is(r.pattern, '^sys');
  assert.ok(r.test('syscheck'));
  assert.ok(SregexFromText.is(r));
});
sregex('refuses a pattern over 20480 characters', () => {
  assert.match(message(SregexFromText.decode(text('x'.repeat(20481)))), 'longer than 20480');
});
sregex.run();

const ruleIds = suite('RuleIdListFromTexts');
ruleIds('appends the ids of every tag', () => {
  assert.equal(right(RuleIdListFromTexts.decode([text('1,2'), text('3')])), [1, 2, 3]);
});
ruleIds.run();

const options = suite('OptionsFromText');
options('parses a JSON object and freezes it', () => {
  const o = right<Record<string, unknown>>(OptionsFromText.decode(text('{"a": [1, 2], "b": {"c": null}}')));
  assert.equal(o, { a: [1, 2], b: { c: null } });
  assert.ok(Object.isFrozen(o));
});
options('refuses JSON that is not an object', () => {
  assert.match(message(OptionsFromText.decode(text('[1]'))), 'got an array');
  assert.match(message(OptionsFromText.decode(text('null'))), 'got null');
  assert.match(message(OptionsFromText.decode(text('"s"'))), 'got string');
});
options('locates invalid JSON at the offending character, across lines', () => {
  const r = OptionsFromText.decode(text('{"a": 1,\n  "b" 2}'));
  assert.ok(isLeft(r));
  const failure = (r as { left: { value: PreciseFailureValue; message?: string }[] }).left[0];
  assert.equal(failure?.value.at, { line: 11, column: 7 });
  assert.match(failure?.message ?? '', 'invalid JSON in <options>');
});
options('explains an empty <options>', () => {
  assert.match(message(OptionsFromText.decode(text(''))), 'an empty <options> makes every Wazuh script exit 7');
});
options.run();
