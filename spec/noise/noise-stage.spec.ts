// Specs for src/noise/noise-stage.ts (one block's noise control at run time: clock, timers, persistence).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { VirtualTimeScheduler } from 'rxjs';
import type { NoiseSettings } from '../../src/config/integration-config.js';
import { NoiseStage } from '../../src/noise/noise-stage.js';
import type { DigestBatch } from '../../src/noise/noise-state.js';
import { MemoryNoiseStore } from '../../src/noise/noise-store.js';

const settings = (extra: Partial<NoiseSettings>): NoiseSettings => ({ dedupWindow: 3600, groupWait: 0, groupInterval: 60, groupBy: ['rule.id'], ...extra });
const alert = (id: string, timestamp = '2026-11-27T10:00:00.000+0000') => ({ id, timestamp, rule: { id: '5710' } });
const flushTo = (scheduler: VirtualTimeScheduler, frame: number) => {
  scheduler.maxFrames = frame;
  scheduler.flush();
};

const stage = suite('NoiseStage');
stage('wall clock: a timer on the scheduler sends the digest when the interval ends; the held gauge follows', async () => {
  const scheduler = new VirtualTimeScheduler();
  const held: number[] = [];
  const s = new NoiseStage({ settings: settings({}), blockId: 'b', store: new MemoryNoiseStore(), clock: 'wall', scheduler, onHeld: (n) => held.push(n) });
  await s.ready;
  const due: DigestBatch[] = [];
  s.due$.subscribe((b) => due.push(b));
  assert.is(s.admit({ seq: 0, alert: alert('a') }).admission.kind, 'send');
  assert.is(s.admit({ seq: 1, alert: alert('b') }).admission.kind, 'held');
  assert.is(s.admit({ seq: 2, alert: alert('c') }).admission.kind, 'held');
  flushTo(scheduler, 59_999);
  assert.equal(due, []);
  flushTo(scheduler, 60_000);
  assert.equal(due.map((b) => b.held.map((h) => h.seq)), [[1, 2]]);
  assert.equal(held, [1, 2, 0]);
  s.close();
});
stage('alerts clock: the alerts timestamps pass deadlines; end() returns what is still held', async () => {
  const s = new NoiseStage({ settings: settings({}), blockId: 'b', store: new MemoryNoiseStore(), clock: 'alerts', scheduler: new VirtualTimeScheduler() });
  await s.ready;
  s.admit({ seq: 0, alert: alert('a', '2026-11-27T10:00:00.000+0000') });
  s.admit({ seq: 1, alert: alert('b', '2026-11-27T10:00:30.000+0000') });
  const { due } = s.admit({ seq: 2, alert: alert('c', '2026-11-27T10:01:00.000+0000') });
  assert.equal(due.map((b) => b.held.map((h) => h.seq)), [[1]]);
  assert.equal(s.end().map((b) => b.held.map((h) => h.seq)), [[2]]);
});
stage('saves the state once per burst to its store, and a new stage on the same store resumes the open group', async () => {
  const store = new MemoryNoiseStore();
  const scheduler = new VirtualTimeScheduler();
  const first = new NoiseStage({ settings: settings({}), blockId: 'b', store, clock: 'wall', scheduler });
  await first.ready;
  first.admit({ seq: 0, alert: alert('a') });
  first.admit({ seq: 1, alert: alert('b') });
  await Promise.resolve();
  assert.equal((await store.load('b'))?.groups, { '["5710"]': { nextAt: 60_000, firstId: 'a' } });
  first.close();
  const second = new NoiseStage({ settings: settings({}), blockId: 'b', store, clock: 'wall', scheduler });
  await second.ready;
  assert.is(second.admit({ seq: 1, alert: alert('b') }).admission.kind, 'held', 'the group is open: not a first alert again');
  assert.is(second.admit({ seq: 0, alert: alert('a') }).admission.kind, 'send', 'its first alert read again is sent again (not lost)');
  second.close();
});
stage('beyond maxHeld every held alert is returned at once as digests (memory and re-reads stay bounded)', async () => {
  const s = new NoiseStage({ settings: settings({}), blockId: 'b', store: new MemoryNoiseStore(), clock: 'wall', scheduler: new VirtualTimeScheduler(), maxHeld: 3 });
  await s.ready;
  for (let i = 0; i < 4; i++) assert.equal(s.admit({ seq: i, alert: alert(`x${i}`) }).due, []);
  const { due } = s.admit({ seq: 4, alert: alert('x4') });
  assert.equal(due.map((b) => b.held.length), [4]);
  assert.is(s.held, 0);
  s.close();
});
stage.run();
