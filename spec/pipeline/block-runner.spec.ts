// Specs for src/pipeline/block-runner.ts (Runs one block over its own line source: prefilter → parse → deliver → watermark → cursor).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mergeMap, Subject, take, type OperatorFunction } from 'rxjs';
import { CursorStore } from '../../src/alerts/cursor-store.js';
import { RejectedLines } from '../../src/alerts/rejected-lines.js';
import { ReplaySource } from '../../src/alerts/replay-source.js';
import type { LineSource } from '../../src/alerts/source-line.js';
import { compilePrefilter } from '../../src/match/prefilter.js';
import { looksLikeAnObject, runBlock } from '../../src/pipeline/block-runner.js';
import type { Envelope, Outcome } from '../../src/pipeline/outcome.js';
import { createMetrics } from '../../src/telemetry/metrics.js';
import { alertLine } from '../helpers/alert-line.js';
import { blockConfig } from '../helpers/block-config.js';
import { captureLog } from '../helpers/capture-log.js';
import { eventually } from '../helpers/eventually.js';
import { seededRandom } from '../../bench/corpus.js';
import { settleFor } from '../helpers/line-sources.js';
import { tempDirSync } from '../helpers/temp-dir.js';

/** A real replay source over `lines`, counting its next() calls. */
const countedSource = (dir: string, lines: readonly string[]) => {
  const file = join(dir, 'alerts.json');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const real = new ReplaySource([file]);
  const counter = { reads: 0, file };
  const source: LineSource = {
    next: () => {
      counter.reads++;
      return real.next();
    },
    close: () => real.close(),
  };
  return { source, counter };
};

/** A delivery that settles each alert only when the spec says so (in any order). */
const gatedDelivery = () => {
  const pending = new Map<number, { envelope: Envelope; outcome: Subject<Outcome> }>();
  const seen: number[] = [];
  const counts = { finished: 0 };
  const deliver: OperatorFunction<Envelope, Outcome> = mergeMap((envelope) => {
    const outcome = new Subject<Outcome>();
    pending.set(envelope.seq, { envelope, outcome });
    seen.push(envelope.seq);
    return outcome.pipe(take(1));
  });
  const finish = (seq: number) => {
    const p = pending.get(seq);
    if (!p) throw new Error(`seq ${seq} is not in delivery`);
    pending.delete(seq);
    counts.finished++;
    p.outcome.next({ kind: 'delivered', seq, attempts: 1, alert: p.envelope.alert });
  };
  return { deliver, pending, seen, finish, counts };
};

const lineEnds = (lines: readonly string[]) => lines.reduce<number[]>((ends, l) => [...ends, (ends[ends.length - 1] ?? 0) + Buffer.byteLength(l) + 1], []);

const order = suite('runBlock: the cursor');
let tmp: { dir: string; remove: () => void };
order.before.each(() => {
  tmp = tempDirSync('block-runner');
});
order.after.each(() => tmp.remove());

order('commits in line order although outcomes come out of order, and saves that position', async () => {
  const lines = ['A', 'B', 'C', 'D'].map((id) => alertLine(id));
  const ends = lineEnds(lines);
  const { source, counter } = countedSource(tmp.dir, lines);
  const store = new CursorStore(join(tmp.dir, 'state'), { flushMs: 1 });
  const gate = gatedDelivery();
  const run = runBlock({ config: blockConfig(), source, deliver: gate.deliver, metrics: createMetrics(), cursor: { store, key: '0-custom-test' }, window: 10 });
  const emitted: number[] = [];
  let completed = false;
  run.outcomes$.subscribe({ next: (o) => emitted.push(o.seq), complete: () => (completed = true) });
  await eventually(() => gate.pending.size === 4, 'four alerts in delivery');
  assert.is(run.committed(), undefined);
  gate.finish(2);
  gate.finish(3);
  assert.is(run.committed(), undefined, 'A and B still open: nothing committed');
  gate.finish(0);
  assert.is(run.committed()?.offset, ends[0], 'up to A');
  gate.finish(1);
  assert.is(run.committed()?.offset, ends[3], 'B closed the gap: up to D');
  assert.equal(emitted, [2, 3, 0, 1]);
  await eventually(() => completed, 'the end of the source');
  await store.flush();
  const saved = JSON.parse(readFileSync(store.pathOf('0-custom-test'), 'utf8')) as { offset: number; path: string };
  assert.equal([saved.offset, saved.path], [statSync(counter.file).size, counter.file]);
});

order('reads ahead at most `window` lines beyond the settled ones (counted next() calls)', async () => {
  const lines = Array.from({ length: 60 }, (_, i) => alertLine(`W${i}`));
  const { source, counter } = countedSource(tmp.dir, lines);
  const gate = gatedDelivery();
  const window = 4;
  let settled = 0;
  let worst = 0;
  const counted: LineSource = {
    next: () => {
      const p = source.next();
      // Counted when the delivery settles, i.e. before the runner gives the credit back.
      worst = Math.max(worst, counter.reads - gate.counts.finished);
      return p;
    },
    close: () => source.close(),
  };
  const run = runBlock({ config: blockConfig(), source: counted, deliver: gate.deliver, metrics: createMetrics(), window });
  let completed = false;
  run.outcomes$.subscribe({ next: () => settled++, complete: () => (completed = true) });
  await eventually(() => gate.pending.size === window, 'a full window');
  await settleFor(30);
  assert.is(counter.reads, window, 'no read beyond the window while nothing settles');
  const random = seededRandom(5);
  while (!completed) {
    await eventually(() => gate.pending.size > 0 || completed, 'an alert in delivery');
    const open = [...gate.pending.keys()];
    const pick = open[Math.floor(random() * open.length)];
    if (pick !== undefined) gate.finish(pick);
  }
  assert.is(settled, 60);
  assert.is(counter.reads, 61, 'every line, then the end');
  assert.is(worst, window, `never more than the window ahead of the settled lines (read ${worst} ahead)`);
  assert.is(run.committed()?.offset, statSync(counter.file).size);
});

order.run();

const classify = suite('runBlock: lines before delivery');
classify.before.each(() => {
  tmp = tempDirSync('block-runner');
});
classify.after.each(() => tmp.remove());

classify('skips what the prefilter proves the block cannot take, without delivery, and counts it', async () => {
  const config = blockConfig({ level: 10 });
  const { source } = countedSource(tmp.dir, [alertLine('H', { level: 12 }), alertLine('L', { level: 3 })]);
  const gate = gatedDelivery();
  const metrics = createMetrics();
  const outcomes: Outcome[] = [];
  const run = runBlock({ config, source, deliver: gate.deliver, metrics, prefilter: compilePrefilter([config], { encoding: 'text' }), window: 8 });
  run.outcomes$.subscribe((o) => outcomes.push(o));
  await eventually(() => outcomes.length === 1 && gate.pending.size === 1, 'L skipped, H in delivery');
  assert.equal(outcomes, [{ kind: 'skipped', seq: 1, reason: 'prefiltered' }]);
  assert.equal(gate.seen, [0]);
  gate.finish(0);
  assert.is((await metrics.linesPrefiltered.get()).values[0]?.value, 1);
  assert.is((await metrics.linesRead.get()).values[0]?.value, 2);
});

classify('parses every line while debug logs are on, so that the filter can say why it skips (-d)', async () => {
  const config = blockConfig({ level: 10 });
  const { source } = countedSource(tmp.dir, [alertLine('L', { level: 3 })]);
  const gate = gatedDelivery();
  const log = captureLog(1);
  try {
    const run = runBlock({ config, source, deliver: gate.deliver, metrics: createMetrics(), prefilter: compilePrefilter([config], { encoding: 'text' }), window: 8 });
    run.outcomes$.subscribe();
    await eventually(() => gate.pending.size === 1, 'L handed to delivery');
    gate.finish(0);
  } finally {
    log.restore();
  }
});

classify('rejects lines that are not alerts: outcome, metric by reason, one record and one warning across blocks', async () => {
  const lines = ['{"broken"', '[1,2]', alertLine('OK')];
  const rejected = new RejectedLines(join(tmp.dir, 'state'));
  const metrics = createMetrics();
  const log = captureLog(0);
  const runOne = async (index: number) => {
    const { source } = countedSource(tmp.dir, lines);
    const gate = gatedDelivery();
    const outcomes: Outcome[] = [];
    runBlock({ config: blockConfig({ index }), source, deliver: gate.deliver, metrics, rejected, window: 8 }).outcomes$.subscribe((o) => outcomes.push(o));
    await eventually(() => outcomes.length === 2 && gate.pending.size === 1, 'two rejections, one alert');
    gate.finish(2);
    return outcomes;
  };
  try {
    const first = await runOne(0);
    assert.equal(first.slice(0, 2), [
      { kind: 'rejected', seq: 0, reason: 'invalid-json' },
      { kind: 'rejected', seq: 1, reason: 'not-an-object' },
    ]);
    await runOne(1);
  } finally {
    log.restore();
  }
  await rejected.close();
  const records = readFileSync(rejected.path, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { offset: number; reason: string; line: string });
  assert.equal(records.map((r) => [r.offset, r.reason, r.line]), [
    [0, 'invalid-json', '{"broken"'],
    [10, 'not-an-object', '[1,2]'],
  ]);
  assert.is(log.lines.filter((l) => l.includes("WARNING: Invalid JSON alert read from '")).length, 2, 'once per line, not per block');
  const byReason = (await metrics.linesRejected.get()).values.map((v) => `${v.labels['block']}:${v.labels['reason']}=${v.value}`).sort();
  assert.equal(byReason, ['0:invalid-json=1', '0:not-an-object=1', '1:invalid-json=1', '1:not-an-object=1']);
});

classify.run();

const shape = suite('looksLikeAnObject');
shape('lets only lines shaped like one object go through the prefilter', () => {
  assert.ok(looksLikeAnObject('{"rule":{"level":3}}'));
  assert.ok(looksLikeAnObject(' {"a":1} \r'));
  assert.not.ok(looksLikeAnObject('{"rule":{"level":3'), 'truncated');
  assert.not.ok(looksLikeAnObject('"rule":{"level":3}}'), 'cut at the start');
  assert.not.ok(looksLikeAnObject('[{"a":1}]'));
  assert.not.ok(looksLikeAnObject(''));
});
shape.run();
