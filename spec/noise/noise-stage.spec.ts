// Specs for src/noise/noise-stage.ts (one block's noise control at run time: clock, timers, persistence).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { VirtualTimeScheduler } from 'rxjs';
import type { NoiseSettings } from '../../src/config/integration-config.js';
import { NoiseStage } from '../../src/noise/noise-stage.js';
import type { DigestBatch } from '../../src/noise/noise-state.js';
import { FileNoiseStore, MemoryNoiseStore } from '../../src/noise/noise-store.js';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tempDirSync } from '../helpers/temp-dir.js';
import type { NoiseEntry } from '../../src/noise/noise-journal.js';

const settings = (extra: Partial<NoiseSettings>): NoiseSettings => ({ dedupWindow: 3600, groupWait: 0, groupInterval: 60, groupBy: ['rule.id'], ...extra });
const alert = (id: string, timestamp = '2026-11-27T10:00:00.000+0000') => ({ id, timestamp, rule: { id: '5710' } });
const flushTo = (scheduler: VirtualTimeScheduler, frame: number) => {
  scheduler.maxFrames = frame;
  scheduler.flush();
};

const capOnly: NoiseSettings = { dedupWindow: 3600, groupWait: 0, groupInterval: 60, maxPerHour: 1 };

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
stage('journals changes on a 1 s cadence (not per alert), only what changed; a new stage on the same store resumes the open group', async () => {
  const appended: number[] = [];
  const store = new MemoryNoiseStore();
  const counting = { load: (id: string) => store.load(id), flush: () => store.flush(), append: (id: string, changes: readonly NoiseEntry[], whole: () => readonly NoiseEntry[]) => (appended.push(changes.length), store.append(id, changes, whole)) };
  const scheduler = new VirtualTimeScheduler();
  const first = new NoiseStage({ settings: settings({ groupBy: ['data.srcip'] }), blockId: 'b', store: counting, clock: 'wall', scheduler });
  await first.ready;
  for (let i = 0; i < 500; i++) first.admit({ seq: i, alert: { ...alert(`a${i}`), data: { srcip: `10.0.${i >> 8}.${i & 255}` } } });
  first.admit({ seq: 500, alert: { ...alert('b0'), data: { srcip: '10.0.0.0' } } });
  assert.equal(appended, [], 'nothing written per alert');
  flushTo(scheduler, 999);
  assert.equal(appended, []);
  flushTo(scheduler, 1000);
  assert.equal(appended, [500], 'one append of the 500 groups opened, once');
  first.close();
  const second = new NoiseStage({ settings: settings({ groupBy: ['data.srcip'] }), blockId: 'b', store, clock: 'wall', scheduler });
  await second.ready;
  assert.is(second.admit({ seq: 500, alert: { ...alert('b0'), data: { srcip: '10.0.0.0' } } }).admission.kind, 'held', 'the group is open: not a first alert again');
  assert.is(second.admit({ seq: 0, alert: { ...alert('a0'), data: { srcip: '10.0.0.0' } } }).admission.kind, 'send', 'its first alert read again is sent again (not lost)');
  second.close();
});
stage('close() (a stop) keeps held alerts held and journals the state; end() (the input ended) returns them', async () => {
  const store = new MemoryNoiseStore();
  const s = new NoiseStage({ settings: capOnly, blockId: 'b', store, clock: 'wall', scheduler: new VirtualTimeScheduler() });
  await s.ready;
  const { durable } = s.admit({ seq: 0, alert: alert('a') });
  assert.ok(durable, 'spending the hourly budget is made durable before the send');
  await durable;
  assert.equal(await store.load('b'), [{ hour: { start: 0, sent: 1 } }]);
  assert.is(s.admit({ seq: 1, alert: alert('b') }).admission.kind, 'held');
  s.close();
  assert.is(s.held, 1, 'still held: not flushed by a stop');
  const again = new NoiseStage({ settings: capOnly, blockId: 'b', store, clock: 'wall', scheduler: new VirtualTimeScheduler() });
  await again.ready;
  assert.is(again.admit({ seq: 1, alert: alert('b') }).admission.kind, 'held', 'read again after the restart: the spent budget holds');
  assert.equal(again.end().map((b) => [b.reason, b.held.length]), [['max_per_hour', 1]]);
});
stage('beyond the caps held alerts come back at once as digests, counted and reported', async () => {
  const reported: string[] = [];
  const s = new NoiseStage({ settings: settings({}), blockId: 'b', store: new MemoryNoiseStore(), clock: 'wall', scheduler: new VirtualTimeScheduler(), limits: { maxHeld: 3 }, onOverflow: (reason, n) => reported.push(`${reason}:${n}`) });
  await s.ready;
  for (let i = 0; i < 4; i++) assert.equal(s.admit({ seq: i, alert: alert(`x${i}`) }).due, []);
  const { due } = s.admit({ seq: 4, alert: alert('x4') });
  assert.equal(due.map((b) => b.held.length), [4]);
  assert.is(s.held, 0);
  assert.equal(reported, ['held:1']);
  s.admit({ seq: 5, alert: { id: 'nokey', timestamp: '2026-11-27T10:00:00.000+0000' } });
  assert.equal(reported, ['held:1', 'missing_key:1']);
  s.close();
});
stage('2,000 alerts with 200 KB keys (dedup and group): the journal on disk stays small, keys digested and values truncated', async () => {
  const tmp = tempDirSync('noise-huge-keys');
  try {
    const scheduler = new VirtualTimeScheduler();
    const store = new FileNoiseStore(tmp.dir);
    const s = new NoiseStage({ settings: settings({ groupBy: ['data.srcip'], dedupBy: ['data.srcip'] }), blockId: 'b', store, clock: 'wall', scheduler });
    await s.ready;
    const pad = 'x'.repeat(200_000);
    for (let i = 0; i < 2000; i++) {
      s.admit({ seq: i, alert: { ...alert(`h${i}`), data: { srcip: `${pad}${i}` } } });
      if (i % 500 === 499) flushTo(scheduler, scheduler.now() + 1000);
    }
    s.close();
    await store.flush();
    const bytes = readdirSync(join(tmp.dir, 'noise')).reduce((n, f) => n + statSync(join(tmp.dir, 'noise', f)).size, 0);
    assert.ok(bytes < 10 * 1024 * 1024, `${bytes} bytes`);
    assert.ok(bytes < 2000 * 1000, `about 2 lines of < 500 bytes per key: ${bytes} bytes`);
  } finally {
    tmp.remove();
  }
});
stage('held alerts of 130 KB: past maxHeldBytes the oldest groups go out early, the bytes held stay under the cap', async () => {
  const s = new NoiseStage({ settings: settings({ groupBy: ['data.srcip'] }), blockId: 'b', store: new MemoryNoiseStore(), clock: 'wall', scheduler: new VirtualTimeScheduler(), limits: { maxHeldBytes: 1024 * 1024 } });
  await s.ready;
  const big = 'y'.repeat(130_000);
  let early = 0;
  for (let i = 0; i < 100; i++) {
    const { due } = s.admit({ seq: i, alert: { ...alert(`b${i}`), data: { srcip: `10.0.0.${i % 20}` }, full_log: big } });
    early += due.reduce((n, b) => n + b.held.length, 0);
    assert.ok(s.state.heldBytes <= 1024 * 1024, `held ${s.state.heldBytes} bytes`);
  }
  assert.is(early + s.held + 20, 100, 'every alert is sent (20 first alerts), sent early, or still held: none dropped');
  assert.ok(early > 0);
  s.close();
});
stage.run();
