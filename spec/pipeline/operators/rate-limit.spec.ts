// Specs for src/pipeline/operators/rate-limit.ts (A per-block requests-per-minute limit: a token bucket whose requests queue for their turn, never refused).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { concatMap, from, map, mergeMap } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { RateLimit } from '../../../src/pipeline/operators/rate-limit.js';

const testScheduler = () => new TestScheduler((actual, expected) => assert.equal(actual, expected));

const limit = suite('RateLimit.take');
limit('spaces requests evenly: 4 per minute lets one through every 15 s, in call order', () => {
  const ts = testScheduler();
  ts.run(({ expectObservable }) => {
    const rl = new RateLimit(4, { scheduler: ts });
    const times = from(['a', 'b', 'c']).pipe(mergeMap((x) => rl.take().pipe(map(() => x))));
    expectObservable(times).toBe('a 14999ms b 14999ms (c|)');
  });
});
limit('lets a burst through at once, then refills', () => {
  const ts = testScheduler();
  ts.run(({ expectObservable }) => {
    const rl = new RateLimit(60, { burst: 2, scheduler: ts });
    const times = from(['a', 'b', 'c']).pipe(mergeMap((x) => rl.take().pipe(map(() => x))));
    expectObservable(times).toBe('(ab) 996ms (c|)');
  });
});
limit('does not wait after a quiet period and reports waits', () => {
  const ts = testScheduler();
  ts.run(({ cold, expectObservable }) => {
    const rl = new RateLimit(6, { scheduler: ts });
    const waits: number[] = [];
    const times = cold('a 30s b 1s c|').pipe(concatMap((x) => rl.take((ms) => waits.push(ms)).pipe(map(() => x))));
    expectObservable(times).toBe('a 30s b 9999ms (c|)');
    ts.flush();
    assert.equal(waits, [8999], "c came 1001 ms after b");
  });
});
limit('waits what a shared quota says, answered now or later (a store over the network)', async () => {
  const answers: (number | Promise<number>)[] = [0, 40, Promise.resolve(30)];
  const rl = new RateLimit(() => answers.shift() ?? 0);
  const waits: number[] = [];
  const started = Date.now();
  for (let i = 0; i < 3; i++) await new Promise<void>((done) => rl.take((ms) => waits.push(ms)).subscribe({ complete: done }));
  assert.equal(waits, [40, 30]);
  assert.ok(Date.now() - started >= 65, 'both waits were kept');
});
limit('refuses a non-positive rate at construction', () => {
  for (const rate of [0, -1, Number.NaN]) assert.throws(() => new RateLimit(rate), /positive number per minute/);
});
limit.run();
