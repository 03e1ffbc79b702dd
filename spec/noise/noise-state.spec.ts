// Specs for src/noise/noise-state.ts (one block's noise control as a state machine: dedup, groups, hourly budget).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { NoiseSettings } from '../../src/config/integration-config.js';
import { keyOf, NoiseState } from '../../src/noise/noise-state.js';

const S = 1000;
const settings = (extra: Partial<NoiseSettings>): NoiseSettings => ({ dedupWindow: 3600, groupWait: 0, groupInterval: 300, ...extra });
const alert = (id: string, rule = '5710', agent = '001', src = '10.0.0.1') => ({ id, timestamp: `t${id}`, rule: { id: rule }, agent: { id: agent }, data: { srcip: src } });
let seq = 0;
const held = (a: ReturnType<typeof alert>) => ({ seq: seq++, alert: a });

const keys = suite('keyOf');
keys('keys by the dotted fields values, a missing one as null', () => {
  assert.equal(keyOf(['rule.id', 'data.srcip', 'data.nope'], alert('1')), { key: '["5710","10.0.0.1",null]', values: { 'rule.id': '5710', 'data.srcip': '10.0.0.1', 'data.nope': null } });
});
keys.run();

const dedup = suite('NoiseState: dedup');
dedup('sends the first alert per key per window and suppresses the rest; the window ends', () => {
  const state = new NoiseState(settings({ dedupBy: ['rule.id'], dedupWindow: 60 }));
  assert.is(state.admit(held(alert('1')), 0).kind, 'send');
  assert.equal(state.admit(held(alert('2')), 59 * S), { kind: 'suppressed', reason: 'dedup', key: '["5710"]' });
  assert.is(state.admit(held(alert('3', '5711')), 59 * S).kind, 'send');
  assert.is(state.admit(held(alert('4')), 60 * S).kind, 'send');
});
dedup('the recorded first alert read again after a restart is sent again, never suppressed (duplicate, not loss)', () => {
  const before = new NoiseState(settings({ dedupBy: ['rule.id'] }));
  before.admit(held(alert('1')), 0);
  const after = new NoiseState(settings({ dedupBy: ['rule.id'] }), before.snapshot(0));
  assert.is(after.admit(held(alert('1')), S).kind, 'send');
  assert.is(after.admit(held(alert('2')), S).kind, 'suppressed');
});
dedup.run();

const groups = suite('NoiseState: groups');
groups('first alert at once, later ones held and due as one digest at the interval; a quiet interval closes the group', () => {
  const state = new NoiseState(settings({ groupBy: ['rule.id'], groupInterval: 300 }));
  assert.is(state.admit(held(alert('1')), 0).kind, 'send');
  assert.equal(state.admit(held(alert('2')), 10 * S), { kind: 'held', reason: 'group', key: '["5710"]' });
  assert.is(state.admit(held(alert('3')), 20 * S).kind, 'held');
  assert.is(state.admit(held(alert('4', '1')), 20 * S).kind, 'send');
  assert.is(state.held, 2);
  assert.is(state.nextDeadline(), 300 * S);
  assert.equal(state.due(299 * S), []);
  const [batch, ...more] = state.due(300 * S);
  assert.equal(more, []);
  assert.equal({ reason: batch?.reason, group: batch?.group, ids: batch?.held.map((h) => h.alert.id) }, { reason: 'group', group: { 'rule.id': '5710' }, ids: ['2', '3'] });
  assert.is(state.held, 0);
  assert.is(state.admit(held(alert('5')), 400 * S).kind, 'held', 'the group is still open: next digest at 600 s');
  assert.equal(state.due(600 * S).map((b) => b.held.length), [1]);
  assert.equal(state.due(900 * S), [], 'nothing new for an interval: closed');
  assert.is(state.admit(held(alert('6')), 901 * S).kind, 'send', 'a closed group starts again');
});
groups('group_wait holds the first alert too, for the wait', () => {
  const state = new NoiseState(settings({ groupBy: ['agent.id'], groupWait: 30, groupInterval: 300 }));
  assert.is(state.admit(held(alert('1')), 0).kind, 'held');
  assert.is(state.admit(held(alert('2')), 5 * S).kind, 'held');
  assert.is(state.nextDeadline(), 30 * S);
  assert.equal(state.due(30 * S).map((b) => b.held.map((h) => h.alert.id)), [['1', '2']]);
});
groups('flushAll returns every held alert whatever the clock', () => {
  const state = new NoiseState(settings({ groupBy: ['rule.id'], maxPerHour: 1 }));
  state.admit(held(alert('1')), 0);
  state.admit(held(alert('2')), 0);
  state.admit(held(alert('3', '9')), 0);
  assert.equal(state.flushAll(0).map((b) => [b.reason, b.held.length]), [['group', 1], ['max_per_hour', 1]]);
  assert.is(state.held, 0);
});
groups.run();

const cap = suite('NoiseState: max_per_hour');
cap('beyond N messages an hour alerts are held for one digest due when the budget renews', () => {
  const state = new NoiseState(settings({ maxPerHour: 2 }));
  assert.is(state.admit(held(alert('1')), 0).kind, 'send');
  assert.is(state.admit(held(alert('2')), S).kind, 'send');
  assert.equal(state.admit(held(alert('3')), 2 * S), { kind: 'held', reason: 'max_per_hour', key: 'max_per_hour' });
  assert.is(state.admit(held(alert('4')), 3 * S).kind, 'held');
  assert.is(state.nextDeadline(), 3600 * S);
  assert.equal(state.due(3599 * S), []);
  assert.equal(state.admit(held(alert('5')), 3600 * S).kind, 'held', 'the renewal belongs to the held digest');
  const batches = state.due(3600 * S);
  assert.equal(batches.map((b) => [b.reason, b.held.map((h) => h.alert.id)]), [['max_per_hour', ['3', '4', '5']]]);
  assert.is(state.admit(held(alert('6')), 3601 * S).kind, 'send', 'the digest took 1 of the new hour');
  assert.is(state.admit(held(alert('7')), 3602 * S).kind, 'held');
});
cap('a group digest beyond the budget joins the hourly digest', () => {
  const state = new NoiseState(settings({ groupBy: ['rule.id'], groupInterval: 60, maxPerHour: 1 }));
  assert.is(state.admit(held(alert('1')), 0).kind, 'send');
  assert.is(state.admit(held(alert('2')), S).kind, 'held');
  assert.equal(state.due(60 * S), []);
  assert.is(state.held, 1);
  assert.equal(state.due(3600 * S).map((b) => [b.reason, b.held.length]), [['max_per_hour', 1]]);
});
cap.run();

const persist = suite('NoiseState: snapshot');
persist('keeps dedup keys in their window, open groups and the budget; never the held alerts', () => {
  const state = new NoiseState(settings({ dedupBy: ['data.srcip'], dedupWindow: 10, groupBy: ['rule.id'], maxPerHour: 5 }));
  state.admit(held(alert('1')), 0);
  state.admit(held(alert('2', '5710', '001', '10.0.0.2')), 0);
  assert.ok(state.takeChanged());
  assert.not.ok(state.takeChanged());
  const snap = state.snapshot(S);
  assert.equal(snap, { dedup: { '["10.0.0.1"]': { until: 10 * S, firstId: '1' }, '["10.0.0.2"]': { until: 10 * S, firstId: '2' } }, groups: { '["5710"]': { nextAt: 300 * S, firstId: '1' } }, hour: { start: 0, sent: 1 } });
  assert.equal(Object.keys(state.snapshot(11 * S).dedup), [], 'expired keys are dropped');
  const restored = new NoiseState(settings({ groupBy: ['rule.id'], maxPerHour: 5 }), snap);
  assert.equal(restored.admit(held(alert('3')), 2 * S).kind, 'held', 'the open group survives: its first alert is not sent again');
  assert.equal(restored.flushAll(2 * S)[0]?.group, { 'rule.id': '5710' });
});
persist.run();
