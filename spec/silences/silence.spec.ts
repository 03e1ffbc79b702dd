// Specs for src/silences/silence.ts (a silence: alerts whose fields equal given values are skipped until it expires).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { describeMatchers, describeSilence, findSilence, isActive, parseMatcher, type Silence } from '../../src/silences/silence.js';
import { sampleAlert } from '../helpers/sample-alerts.js';

const NOW = Date.parse('2026-12-01T12:00:00.000Z');
const silenceOf = (extra: Partial<Silence> = {}): Silence => ({
  id: 'a1b2c3d4',
  matchers: [{ field: 'rule.id', value: '5710' }],
  created_at: '2026-12-01T11:00:00.000Z',
  expires_at: '2026-12-01T13:00:00.000Z',
  comment: 'scanner',
  ...extra,
});
const ALERT = { rule: { id: '5710', level: 10, groups: ['sshd'] }, agent: { id: '001', name: 'web-01' }, data: { srcip: '10.0.0.9' }, id: '1.1' };

const matchers = suite('parseMatcher');
matchers('splits FIELD=VALUE at the first =; the value may hold = or be empty', () => {
  assert.equal(parseMatcher('rule.id=5710'), { field: 'rule.id', value: '5710' });
  assert.equal(parseMatcher('data.url=a=b'), { field: 'data.url', value: 'a=b' });
  assert.equal(parseMatcher('agent.name='), { field: 'agent.name', value: '' });
});
matchers('refuses a missing =, an empty field or an empty path segment', () => {
  for (const text of ['rule.id', '=5710', 'rule..id=1', '.rule=1', 'rule.=1']) assert.is(parseMatcher(text), undefined, text);
});
matchers.run();

const finding = suite('findSilence');
finding('matches when every field equals its value exactly (numbers as JSON writes them)', () => {
  const s = silenceOf({ matchers: [{ field: 'rule.id', value: '5710' }, { field: 'data.srcip', value: '10.0.0.9' }, { field: 'rule.level', value: '10' }] });
  assert.is(findSilence([s], ALERT, 'slack-1', NOW), s);
  assert.is(findSilence([s], { ...ALERT, data: { srcip: '10.0.0.90' } }, 'slack-1', NOW), undefined, 'exact, not a prefix');
  assert.is(findSilence([silenceOf({ matchers: [{ field: 'rule.id', value: '571' }] })], ALERT, 'slack-1', NOW), undefined);
});
finding('missing fields, objects and arrays never match', () => {
  for (const field of ['rule.missing', 'rule', 'rule.groups', 'data.srcip.x']) {
    assert.is(findSilence([silenceOf({ matchers: [{ field, value: '' }] })], ALERT, 'b', NOW), undefined, field);
  }
});
finding('works on a real Wazuh alert (the samples: rule 554, a syscheck alert)', () => {
  const real = sampleAlert(1);
  assert.is(findSilence([silenceOf({ matchers: [{ field: 'rule.id', value: '554' }, { field: 'rule.level', value: '5' }] })], real, 'b', NOW)?.id, 'a1b2c3d4');
  assert.is(findSilence([silenceOf()], real, 'b', NOW), undefined);
});
finding('a silence with a block applies to that block only; without, to every block', () => {
  const s = silenceOf({ block: 'slack-1a2b3c4d' });
  assert.is(findSilence([s], ALERT, 'slack-1a2b3c4d', NOW), s);
  assert.is(findSilence([s], ALERT, 'pagerduty-e3b0c442', NOW), undefined);
  assert.is(findSilence([silenceOf()], ALERT, 'pagerduty-e3b0c442', NOW)?.id, 'a1b2c3d4');
});
finding('applies until its expiry, not at or after it', () => {
  const s = silenceOf();
  const expiry = Date.parse(s.expires_at);
  assert.ok(isActive(s, expiry - 1));
  assert.is(findSilence([s], ALERT, 'b', expiry - 1), s);
  assert.not.ok(isActive(s, expiry));
  assert.is(findSilence([s], ALERT, 'b', expiry), undefined);
  assert.is(findSilence([s], ALERT, 'b', expiry + 3_600_000), undefined);
});
finding('the first active silence that matches wins', () => {
  const expired = silenceOf({ id: 'old', expires_at: '2026-12-01T11:30:00.000Z' });
  const other = silenceOf({ id: 'other', matchers: [{ field: 'agent.id', value: '002' }] });
  const hit = silenceOf({ id: 'hit' });
  assert.is(findSilence([expired, other, hit, silenceOf({ id: 'later' })], ALERT, 'b', NOW)?.id, 'hit');
});
finding.run();

const describing = suite('describeSilence');
describing('names the id, the matchers, the expiry and the comment', () => {
  assert.is(describeSilence(silenceOf()), 'silence a1b2c3d4 (rule.id=5710; until 2026-12-01T13:00:00.000Z; "scanner")');
  assert.is(describeMatchers([{ field: 'a', value: 'x y' }, { field: 'b', value: '' }, { field: 'c', value: '1' }]), 'a="x y", b="", c=1');
});
describing.run();
