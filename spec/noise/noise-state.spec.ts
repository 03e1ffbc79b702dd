// Specs for src/noise/noise-state.ts (one block's noise control as a state machine: dedup, groups, hourly budget).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { NoiseSettings } from '../../src/config/integration-config.js';
import { keyOf } from '../../src/noise/noise-key.js';
import { NoiseState } from '../../src/noise/noise-state.js';

const S = 1000;
const settings = (extra: Partial<NoiseSettings>): NoiseSettings => ({ dedupWindow: 3600, groupWait: 0, groupInterval: 300, ...extra });
const alert = (id: string, rule = '5710', agent = '001', src = '10.0.0.1') => ({ id, timestamp: `t${id}`, rule: { id: rule }, agent: { id: agent }, data: { srcip: src } });
let seq = 0;
const held = (a: ReturnType<typeof alert>) => ({ seq: seq++, alert: a });

const keys = suite('keyOf');
keys('keys by a fixed-size digest of the dotted fields values (a missing one null, counted), values kept for display', () => {
  const k = keyOf(['rule.id', 'data.srcip', 'data.nope'], alert('1'));
  assert.equal(k.values, { 'rule.id': '5710', 'data.srcip': '10.0.0.1', 'data.nope': null });
  assert.is(k.missing, 1);
  assert.is(k.key.length, 22);
  assert.is.not(keyOf(['data.srcip'], alert('1', '5710', '001', '10.0.0.2')).key, keyOf(['data.srcip'], alert('1')).key);
});
keys('a 200 KB value keys as 22 characters and displays truncated; two values differing past the cut keep apart', () => {
  const big = 'x'.repeat(200_000);
  const a = keyOf(['data.srcip'], alert('1', '5710', '001', `${big}a`));
  const b = keyOf(['data.srcip'], alert('1', '5710', '001', `${big}b`));
  assert.is(a.key.length, 22);
  assert.is.not(a.key, b.key);
  assert.is(String(a.values['data.srcip']).length, 129);
});
keys.run();

const dedup = suite('NoiseState: dedup');
dedup('sends the first alert per key per window and suppresses the rest; the window ends', () => {
  const state = new NoiseState(settings({ dedupBy: ['rule.id'], dedupWindow: 60 }));
  assert.is(state.admit(held(alert('1')), 0).kind, 'send');
  assert.equal(state.admit(held(alert('2')), 59 * S), { kind: 'suppressed', reason: 'dedup', key: keyOf(['rule.id'], alert('2')).key });
  assert.is(state.admit(held(alert('3', '5711')), 59 * S).kind, 'send');
  assert.is(state.admit(held(alert('4')), 60 * S).kind, 'send');
});
dedup('the recorded first alert read again after a restart is sent again, never suppressed (duplicate, not loss)', () => {
  const before = new NoiseState(settings({ dedupBy: ['rule.id'] }));
  before.admit(held(alert('1')), 0);
  const after = new NoiseState(settings({ dedupBy: ['rule.id'] }), { journal: before.takeChanges(), now: 0 });
  assert.is(after.admit(held(alert('1')), S).kind, 'send');
  assert.is(after.admit(held(alert('2')), S).kind, 'suppressed');
});
dedup.run();

const groups = suite('NoiseState: groups');
groups('first alert at once, later ones held and due as one digest at the interval; a quiet interval closes the group', () => {
  const state = new NoiseState(settings({ groupBy: ['rule.id'], groupInterval: 300 }));
  assert.is(state.admit(held(alert('1')), 0).kind, 'send');
  assert.equal(state.admit(held(alert('2')), 10 * S), { kind: 'held', reason: 'group', key: keyOf(['rule.id'], alert('2')).key });
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
  assert.equal(state.flushAll().map((b) => [b.reason, b.held.length]), [['group', 1], ['max_per_hour', 1]]);
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
persist('journals only what changed (one line per key), never the held alerts; a new state restores from the lines', () => {
  const state = new NoiseState(settings({ dedupBy: ['data.srcip'], dedupWindow: 10, groupBy: ['rule.id'], maxPerHour: 5 }));
  state.admit(held(alert('1')), 0);
  state.admit(held(alert('2', '5710', '001', '10.0.0.2')), 0);
  const lines = state.takeChanges();
  assert.equal(state.takeChanges(), [], 'taken once');
  const dedupKey = keyOf(['data.srcip'], alert('1')).key;
  const groupKey = keyOf(['rule.id'], alert('1')).key;
  assert.equal(
    lines.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    [
      { d: keyOf(['data.srcip'], alert('2', '5710', '001', '10.0.0.2')).key, until: 10 * S, firstId: '2' },
      { d: dedupKey, until: 10 * S, firstId: '1' },
      { g: groupKey, nextAt: 300 * S, firstId: '1', values: { 'rule.id': '5710' } },
      { hour: { start: 0, sent: 1 } },
    ].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
  );
  assert.not.ok(JSON.stringify(lines).includes('"alert"'));
  assert.equal(state.entries(11 * S).filter((e) => 'd' in e), [], 'expired keys are left out of a compaction');
  const restored = new NoiseState(settings({ groupBy: ['rule.id'], maxPerHour: 5 }), { journal: lines, now: S });
  assert.equal(restored.admit(held(alert('3')), 2 * S).kind, 'held', 'the open group survives: its first alert is not sent again');
  assert.equal(restored.flushAll()[0]?.group, { 'rule.id': '5710' });
});
persist('values read back are clamped to the configured windows; later lines win; malformed lines are skipped', () => {
  const key = keyOf(['data.srcip'], alert('1')).key;
  const journal = [{ d: key, until: 4_102_444_800_000 }, 'junk', { d: 42 }, { hour: { start: 0, sent: 1e9 } }];
  const state = new NoiseState(settings({ dedupBy: ['data.srcip'], dedupWindow: 60, maxPerHour: 3 }), { journal, now: 0 });
  assert.equal(state.entries(0), [{ d: key, until: 60 * S }, { hour: { start: 0, sent: 3 } }]);
  assert.is(state.admit(held(alert('2')), 60 * S).kind, 'held', 'the planted key lasts one window, not until 2100 (then the cap holds)');
  const gone = new NoiseState(settings({ dedupBy: ['data.srcip'] }), { journal: [{ d: key, until: 10 * S }, { d: key, gone: true }], now: 0 });
  assert.equal(gone.entries(0), []);
});
persist.run();

const cost = suite('NoiseState: cost per alert');
/** Entries touched by 200 admissions of new keys, then 200 of keys seen, with `open` keys open already (virtual time). */
const opsWith = (open: number) => {
  const state = new NoiseState(settings({ dedupBy: ['data.srcip'], groupBy: ['data.srcip'], dedupWindow: 3600, groupInterval: 300, maxPerHour: 1_000_000 }), { limits: { maxKeys: 1_000_000 } });
  for (let i = 0; i < open; i++) state.admit(held(alert(`o${i}`, '1', '001', `old-${i}`)), 0);
  const before = state.operations;
  for (let i = 0; i < 200; i++) {
    state.due(S);
    state.admit(held(alert(`n${i}`, '1', '001', `new-${i}`)), S);
  }
  for (let i = 0; i < 200; i++) {
    state.due(2 * S);
    state.admit(held(alert(`r${i}`, '1', '001', `new-${i}`)), 2 * S);
    state.relieve();
    state.nextDeadline();
  }
  const changes = state.takeChanges().length;
  return { operations: state.operations - before, held: state.held, changes: changes - 2 * open };
};
cost('entries touched per admission are the same with 1, 1,000 and 100,000 open keys', () => {
  const one = opsWith(1);
  assert.ok(one.operations > 0);
  assert.equal(opsWith(1_000), one);
  assert.equal(opsWith(100_000), one);
});
cost.run();

const caps = suite('NoiseState: caps (nothing dropped)');
caps('beyond maxKeys the dedup key whose window ends first is forgotten: its next alert is sent, counted', () => {
  const state = new NoiseState(settings({ dedupBy: ['data.srcip'], dedupWindow: 60 }), { limits: { maxKeys: 2 } });
  for (const [i, ip] of ['a', 'b', 'c'].entries()) assert.is(state.admit(held(alert(`${i}`, '1', '1', ip)), i * S).kind, 'send');
  assert.equal(state.openKeys, { dedup: 2, groups: 0 });
  assert.is(state.overflow.keys, 1);
  assert.is(state.admit(held(alert('x', '1', '1', 'a')), 4 * S).kind, 'send', 'a was forgotten: sent again, not lost');
  assert.is(state.admit(held(alert('y', '1', '1', 'c')), 4 * S).kind, 'suppressed');
});
caps('a group forgotten beyond maxKeys sends its held alerts early (relieve)', () => {
  const state = new NoiseState(settings({ groupBy: ['data.srcip'] }), { limits: { maxKeys: 1 } });
  state.admit(held(alert('1', '1', '1', 'a')), 0);
  state.admit(held(alert('2', '1', '1', 'a')), S);
  assert.is(state.admit(held(alert('3', '1', '1', 'b')), 2 * S).kind, 'send');
  assert.equal(state.relieve().map((b) => b.held.map((h) => h.alert.id)), [['2']]);
  assert.is(state.held, 0);
});
caps('beyond maxHeldBytes the groups held longest go out early as digests until under the cap; then the hourly digest', () => {
  const state = new NoiseState(settings({ groupBy: ['data.srcip'], maxPerHour: 3 }), { limits: { maxHeldBytes: 250 } });
  for (const ip of ['a', 'b', 'c']) state.admit(held(alert(`first-${ip}`, '1', '1', ip)), 0);
  for (const ip of ['a', 'b', 'c']) assert.is(state.admit({ seq: seq++, alert: alert(`next-${ip}`, '1', '1', ip), bytes: 100 }, S).kind, 'held');
  assert.is(state.heldBytes, 300);
  assert.equal(state.relieve().map((b) => b.held.map((h) => h.alert.id)), [['next-a']]);
  assert.equal([state.held, state.heldBytes, state.overflow.held], [2, 200, 1]);
  assert.is(state.admit({ seq: seq++, alert: alert('capped', '1', '1', 'd'), bytes: 100 }, 2 * S).kind, 'held');
  assert.equal(state.relieve().map((b) => [b.reason, b.held.length]), [['group', 1]]);
  assert.is(state.held, 2);
});
caps.run();
