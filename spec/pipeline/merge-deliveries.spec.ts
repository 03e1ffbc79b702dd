// Specs for src/pipeline/merge-deliveries.ts (mergeMap for deliveries without an Observable per alert).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Subject } from 'rxjs';
import { mergeDeliveries, type DeliverySink } from '../../src/pipeline/merge-deliveries.js';

/** Deliveries that end when the spec says: `finish(input)` emits `input * 10` and ends it. */
const controlled = () => {
  const open = new Map<number, DeliverySink<number>>();
  const started: number[] = [];
  const cancelled: number[] = [];
  return {
    started,
    cancelled,
    open,
    start: (input: number, sink: DeliverySink<number>) => {
      started.push(input);
      open.set(input, sink);
      return () => cancelled.push(input);
    },
    finish(input: number) {
      const sink = open.get(input)!;
      open.delete(input);
      sink.next(input * 10);
      sink.done();
    },
  };
};

const merge = suite('mergeDeliveries');

merge('runs at most `concurrency` at once, starts the next in arrival order as each ends, emits as they come', () => {
  const source = new Subject<number>();
  const d = controlled();
  const out: number[] = [];
  let completed = false;
  source.pipe(mergeDeliveries(d.start, 2)).subscribe({ next: (v) => out.push(v), complete: () => (completed = true) });
  for (const n of [1, 2, 3, 4, 5]) source.next(n);
  assert.equal(d.started, [1, 2]);
  d.finish(2);
  assert.equal(d.started, [1, 2, 3]);
  d.finish(1);
  d.finish(3);
  assert.equal(d.started, [1, 2, 3, 4, 5]);
  source.complete();
  assert.is(completed, false, 'not complete while deliveries run');
  d.finish(5);
  d.finish(4);
  assert.equal(out, [20, 10, 30, 50, 40]);
  assert.is(completed, true);
});

merge('deliveries that end at once (skips) flow through without recursion, however many wait', () => {
  const source = new Subject<number>();
  const out: number[] = [];
  let gate: DeliverySink<number> | undefined;
  const start = (input: number, sink: DeliverySink<number>) => {
    if (input === 0) {
      gate = sink;
      return undefined;
    }
    sink.next(input);
    sink.done();
    return undefined;
  };
  let completed = false;
  source.pipe(mergeDeliveries(start, 1)).subscribe({ next: (v) => out.push(v), complete: () => (completed = true) });
  source.next(0);
  for (let i = 1; i <= 100_000; i++) source.next(i);
  source.complete();
  assert.is(out.length, 0, 'everything waits behind the one running');
  gate!.done();
  assert.is(out.length, 100_000);
  assert.is(out[99_999], 100_000);
  assert.is(completed, true);
});

merge('unsubscribing cancels every running delivery, and none that had ended', () => {
  const source = new Subject<number>();
  const d = controlled();
  const subscription = source.pipe(mergeDeliveries(d.start, 3)).subscribe();
  for (const n of [1, 2, 3, 4]) source.next(n);
  d.finish(2);
  subscription.unsubscribe();
  assert.equal(d.cancelled.sort(), [1, 3, 4]);
});

merge('an error of a delivery errors the output', () => {
  const source = new Subject<number>();
  let failure: unknown;
  source.pipe(mergeDeliveries((_n: number, sink: DeliverySink<number>) => (sink.error(new Error('broken')), undefined), 1)).subscribe({ error: (e: unknown) => (failure = e) });
  source.next(1);
  assert.instance(failure, Error);
});

merge.run();
