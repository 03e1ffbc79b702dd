// Specs for src/pipeline/shared-reader.ts: one read for every block at the same place, slow blocks leaving and joining again.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CursorStore } from '../../src/alerts/cursor-store.js';
import { follow } from '../../src/alerts/follow.js';
import { RejectedLines } from '../../src/alerts/rejected-lines.js';
import { ReplaySource } from '../../src/alerts/replay-source.js';
import { Lane } from '../../src/pipeline/lane.js';
import type { Outcome } from '../../src/pipeline/outcome.js';
import { SharedReader, type BatchSource } from '../../src/pipeline/shared-reader.js';
import { createMetrics, type Metrics } from '../../src/telemetry/metrics.js';
import { alertLine } from '../helpers/alert-line.js';
import { blockConfig, type BlockSpec } from '../helpers/block-config.js';
import { captureLog } from '../helpers/capture-log.js';
import { eventually } from '../helpers/eventually.js';
import { gatedDelivery, instantDelivery } from '../helpers/gated-delivery.js';
import { settleFor } from '../helpers/line-sources.js';
import { tempDirSync } from '../helpers/temp-dir.js';

let tmp: { dir: string; remove: () => void };

/** A source that counts its batches. */
const counted = (source: BatchSource) => {
  const counter = { batches: 0 };
  const wrapped: BatchSource = {
    nextBatch: (maxLines) => {
      counter.batches++;
      return source.nextBatch(maxLines);
    },
    close: () => source.close(),
    ...(source.position ? { position: () => source.position!() } : {}),
  };
  return { source: wrapped, counter };
};

const replayOf = (lines: readonly string[], chunkBytes?: number) => {
  const file = join(tmp.dir, `replay-${Math.random()}.json`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return { file, source: new ReplaySource([file], chunkBytes === undefined ? {} : { chunkBytes }) };
};

const laneOf = (metrics: Metrics, spec: BlockSpec, deliver = instantDelivery, window = 64, cursor?: { store: CursorStore; key: string }) => {
  const lane = new Lane({ config: blockConfig(spec), deliver, metrics, window, cursor });
  const outcomes: Outcome[] = [];
  lane.outcomes$.subscribe((o) => outcomes.push(o));
  return { lane, outcomes };
};

const shared = suite('SharedReader: one read for every block');
shared.before.each(() => {
  tmp = tempDirSync('shared-reader');
});
shared.after.each(() => tmp.remove());

shared('reads the file once for three blocks, each taking the alerts its filters want, with exact counts', async () => {
  const lines = Array.from({ length: 300 }, (_, i) => alertLine(`A${i}`, { level: i % 3 === 0 ? 12 : 3, ruleId: i % 5 === 0 ? '5716' : '5712' }));
  const metrics = createMetrics();
  const { source, counter } = counted(replayOf(lines, 4096).source);
  const all = laneOf(metrics, { index: 0 });
  const high = laneOf(metrics, { index: 1, level: 10 });
  const sshd = laneOf(metrics, { index: 2, ruleIds: [5716] });
  const reader = new SharedReader({ metrics });
  reader.add(source, [all.lane, high.lane, sshd.lane]);
  await Promise.all([all.lane.done, high.lane.done, sshd.lane.done]);
  const batches = counter.batches;
  assert.ok(batches > 10 && batches < 200, `batches of lines, once for all (${batches})`);
  assert.is(all.outcomes.length, 300);
  assert.is(high.outcomes.length, 100, 'only the level-12 alerts were parsed for it');
  assert.is(sshd.outcomes.length, 60);
  assert.equal(high.lane.counts, { read: 300, prefiltered: 200, rejected: 0, skipped: 0, suppressed: 0, delivered: 100, deadLettered: 0 });
  assert.equal(sshd.lane.counts.prefiltered + sshd.lane.counts.delivered, 300);
  const prefiltered = (await metrics.linesPrefiltered.get()).values.map((v) => `${v.labels['block']}=${v.value}`).sort();
  assert.equal(prefiltered, ['1=200', '2=240']);
});

shared('commits each block in line order although outcomes come out of order, skipped lines in bulk', async () => {
  const lines = ['A', 'B', 'C', 'D'].map((id) => alertLine(id, { level: id === 'C' ? 2 : 12 }));
  const ends = lines.reduce<number[]>((e, l) => [...e, (e[e.length - 1] ?? 0) + Buffer.byteLength(l) + 1], []);
  const metrics = createMetrics();
  const gate = gatedDelivery();
  const store = new CursorStore(join(tmp.dir, 'state'), { flushMs: 1 });
  const block = laneOf(metrics, { level: 10 }, gate.deliver, 64, { store, key: 'k' });
  const { file, source } = replayOf(lines);
  new SharedReader({ metrics }).add(source, [block.lane]);
  await eventually(() => gate.pending.size === 3, 'A, B, D in delivery; C settled unseen');
  assert.is(block.lane.committed()?.offset, 0);
  gate.finish(1);
  assert.is(block.lane.committed()?.offset, 0, 'A still open');
  gate.finish(0);
  assert.is(block.lane.committed()?.offset, ends[2], 'A, B and the skipped C');
  gate.finish(2);
  await block.lane.done;
  assert.is(block.lane.committed()?.offset, statSync(file).size);
  await store.flush();
  assert.is((JSON.parse(readFileSync(store.pathOf('k'), 'utf8')) as { offset: number }).offset, statSync(file).size);
});

shared('reads on only while every block has room, never beyond its window', async () => {
  const lines = Array.from({ length: 80 }, (_, i) => alertLine(`W${i}`));
  const metrics = createMetrics();
  const gate = gatedDelivery();
  const block = laneOf(metrics, {}, gate.deliver, 4);
  const { source, counter } = counted(replayOf(lines, 512).source);
  new SharedReader({ metrics }).add(source, [block.lane]);
  await eventually(() => gate.pending.size >= 4, 'a full window');
  await settleFor(30);
  const before = counter.batches;
  await settleFor(30);
  assert.is(counter.batches, before, 'no read while the window is full');
  assert.is(gate.pending.size, 4, 'never beyond the window');
  while (block.outcomes.length < 80) {
    await eventually(() => gate.pending.size > 0, 'an alert in delivery');
    gate.finishAll();
  }
  await block.lane.done;
});

shared('rejects lines that are not alerts for every block: one record each, one warning (rate-limited), a metric per block', async () => {
  const lines = ['{"broken"', '[1,2]', alertLine('OK')];
  const rejected = new RejectedLines(join(tmp.dir, 'state'));
  const metrics = createMetrics();
  const log = captureLog(0);
  const a = laneOf(metrics, { index: 0, level: 10 });
  const b = laneOf(metrics, { index: 1 });
  try {
    new SharedReader({ metrics, rejected }).add(replayOf(lines).source, [a.lane, b.lane]);
    await Promise.all([a.lane.done, b.lane.done]);
    await rejected.close();
  } finally {
    log.restore();
  }
  assert.equal(a.outcomes.slice(0, 2), [
    { kind: 'rejected', seq: 0, reason: 'invalid-json' },
    { kind: 'rejected', seq: 1, reason: 'not-an-object' },
  ]);
  const records = readFileSync(rejected.path, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { offset: number; reason: string });
  assert.equal(records.map((r) => [r.offset, r.reason]), [[0, 'invalid-json'], [10, 'not-an-object']]);
  // Rate-limited: the first at once, the second counted in one line (written by close()).
  assert.is(log.lines.filter((l) => l.includes('WARNING: Invalid JSON alert read from')).length, 1);
  assert.is(log.lines.filter((l) => l.includes('WARNING: 1 more lines that are not alerts') && l.includes('not-an-object=1')).length, 1, log.lines.join(''));
  const byReason = (await metrics.linesRejected.get()).values.map((v) => `${v.labels['block']}:${v.labels['reason']}=${v.value}`).sort();
  assert.equal(byReason, ['0:invalid-json=1', '0:not-an-object=1', '1:invalid-json=1', '1:not-an-object=1']);
});

shared('counts an overlong line for each block, records it once and warns once', async () => {
  const rejected = new RejectedLines(join(tmp.dir, 'state'));
  const metrics = createMetrics();
  const lanes = [laneOf(metrics, { index: 0 }).lane, laneOf(metrics, { index: 1 }).lane];
  const reader = new SharedReader({ metrics, rejected });
  const file = join(tmp.dir, 'long.json');
  writeFileSync(file, `${alertLine('LONG').replace('spec alert LONG', 'x'.repeat(600))}\n${alertLine('SHORT')}\n`);
  const log = captureLog(0);
  try {
    let source: ReplaySource | undefined;
    source = new ReplaySource([file], { maxLineBytes: 400, onRejected: reader.overlongHandler(() => source) });
    reader.add(source, lanes);
    await Promise.all(lanes.map((l) => l.done));
  } finally {
    log.restore();
  }
  await rejected.close();
  const values = (await metrics.linesRejected.get()).values.map((v) => `${v.labels['block']}:${v.labels['reason']}=${v.value}`).sort();
  assert.equal(values, ['0:overlong=1', '1:overlong=1']);
  assert.is(log.lines.filter((l) => l.includes('WARNING: Overlong JSON alert read from')).length, 1);
  assert.is(lanes[0]?.counts.delivered, 1);
});

shared.run();

const apart = suite('SharedReader: a block that falls behind');
apart.before.each(() => {
  tmp = tempDirSync('shared-reader');
});
apart.after.each(() => tmp.remove());

apart('reads on its own while its service holds it back, the others keep going, and it joins them again once caught up', async () => {
  const alerts = join(tmp.dir, 'alerts.json');
  writeFileSync(alerts, '');
  const metrics = createMetrics();
  const stuck = gatedDelivery();
  const slow = laneOf(metrics, { index: 0 }, stuck.deliver, 4);
  const fast = laneOf(metrics, { index: 1 });
  const reopened: number[] = [];
  const reader = new SharedReader({
    metrics,
    reopen: async (at, onRejected) => {
      reopened.push(at.offset);
      const f = follow(alerts, { startAt: { identity: at.identity, offset: at.offset, path: at.path }, pollMs: 10, onRejected });
      await f.ready();
      return f;
    },
  });
  const first = follow(alerts, { startAt: 'beginning', pollMs: 10 });
  await first.ready();
  reader.add(first, [slow.lane, fast.lane]);
  try {
    for (let round = 0; round < 5; round++) {
      appendFileSync(alerts, `${Array.from({ length: 20 }, (_, i) => alertLine(`R${round}-${i}`)).join('\n')}\n`);
      await settleFor(25);
    }
    await eventually(() => fast.outcomes.length === 100, 'the fast block got every alert while the slow one waits');
    assert.ok(reopened.length >= 1, 'the slow block left for a reader of its own');
    assert.is(reader.groups, 2);
    assert.ok(slow.outcomes.length < 100);
    // The service comes back: the slow block catches up and reads with the others again.
    while (slow.outcomes.length < 100) {
      await eventually(() => stuck.pending.size > 0 || slow.outcomes.length === 100, 'slow block deliveries');
      stuck.finishAll();
    }
    appendFileSync(alerts, `${alertLine('after')}\n`);
    await eventually(() => reader.groups === 1, 'one reader again');
    appendFileSync(alerts, `${alertLine('joined')}\n`);
    await eventually(() => fast.outcomes.length === 102, 'the fast block gets the new alerts');
    await eventually(() => stuck.pending.size + slow.outcomes.length === 102, 'and so does the slow one');
    stuck.finishAll();
    await eventually(() => slow.outcomes.length === 102, 'every alert, once, for both');
    const ids = (o: Outcome[]) => o.map((x) => (x.kind === 'delivered' ? (x.alert['id'] as string) : '?'));
    assert.equal(new Set(ids(slow.outcomes)).size, 102, 'no alert twice, none missing');
    assert.equal(new Set(ids(fast.outcomes)).size, 102);
  } finally {
    await reader.close();
  }
});

apart.run();
