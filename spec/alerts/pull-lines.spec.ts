// Specs for src/alerts/pull-lines.ts (An Observable of lines pulled from a source on credit: at most `window` unreleased lines at any time).

import { firstValueFrom, lastValueFrom, Observable, defer, mergeMap, finalize, toArray, take, timer, map } from 'rxjs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { pullLines, type Numbered } from '../../src/alerts/pull-lines.js';
import { END_OF_LINES, type EndOfLines } from '../../src/alerts/source-line.js';

/** A source of `count` numbers that counts how often it was pulled. */
const countingSource = (count: number) => {
  const source = {
    reads: 0,
    next: (): Promise<number | EndOfLines> => {
      if (source.reads >= count) return Promise.resolve(END_OF_LINES);
      return Promise.resolve(source.reads++);
    },
  };
  return source;
};

const pull = suite('pullLines');

pull('emits every value in source order numbered from 0, and completes at END_OF_LINES', async () => {
  const source = countingSource(5);
  const { lines$, release } = pullLines(source.next, { window: 2 });
  const got = await lastValueFrom(lines$.pipe(map((l) => (release(), l)), toArray()));
  assert.equal(got, [0, 1, 2, 3, 4].map((n) => ({ seq: n, value: n })));
});

pull('a 1M-line source with a slow consumer is not buffered: reads never exceed releases + window', async () => {
  const source = countingSource(1_000_000);
  const window = 8;
  const { lines$, release } = pullLines(source.next, { window });
  let released = 0;
  let worst = 0;
  const countedRelease = () => {
    released++;
    release();
  };
  const done = await lastValueFrom(
    lines$.pipe(
      mergeMap((line) => {
        worst = Math.max(worst, source.reads - released);
        return timer(1).pipe(
          map(() => line),
          finalize(countedRelease),
        );
      }, 4),
      take(200),
      toArray(),
    ),
  );
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.is(done.length, 200);
  assert.ok(worst <= window, `at most ${window} unreleased lines were read (worst ${worst})`);
  assert.ok(source.reads <= released + window + 1, `${source.reads} reads for ${released} releases: nothing read ahead after unsubscribing`);
});

pull('a block with concurrency C and window C pulls a 200k-line source through in order, never more than C ahead', async () => {
  const source = countingSource(200_000);
  const concurrency = 16;
  const { lines$, release } = pullLines(source.next, { window: concurrency });
  let released = 0;
  let worst = 0;
  let expected = 0;
  let outOfOrder = 0;
  await lastValueFrom(
    lines$.pipe(
      mergeMap((line: Numbered<number>) => {
        if (line.seq !== expected++ || line.value !== line.seq) outOfOrder++;
        worst = Math.max(worst, source.reads - released);
        return defer(() => Promise.resolve(line)).pipe(
          finalize(() => {
            released++;
            release();
          }),
        );
      }, concurrency),
    ),
    { defaultValue: undefined },
  );
  assert.equal([expected, outOfOrder, released], [200_000, 0, 200_000]);
  assert.ok(worst <= concurrency, `worst ${worst}`);
});

pull('release() beyond the lines emitted is ignored (no credit hoarding)', async () => {
  const source = countingSource(100);
  const { lines$, release } = pullLines(source.next, { window: 1 });
  for (let i = 0; i < 50; i++) release();
  const got: number[] = [];
  const subscription = lines$.subscribe((l) => got.push(l.seq));
  await new Promise((resolve) => setTimeout(resolve, 20));
  subscription.unsubscribe();
  assert.equal(got, [0]);
});

pull('an error of the source (rejected or thrown) errors the stream', async () => {
  const rejecting = pullLines(() => Promise.reject(new Error('disk on fire')), { window: 1 });
  const error = await firstValueFrom(rejecting.lines$).catch((e: Error) => e);
  assert.match(String(error), /disk on fire/);
  const throwing = pullLines((): Promise<number> => { throw new Error('sync'); }, { window: 1 });
  assert.match(String(await firstValueFrom(throwing.lines$).catch((e: Error) => e)), /sync/);
});

pull('one subscriber at a time; after it ends a new subscription starts again from seq 0', async () => {
  const source = countingSource(1_000);
  const { lines$ } = pullLines(source.next, { window: 4 });
  const first = lines$.subscribe();
  const second = await firstValueFrom(lines$).catch((e: Error) => e);
  assert.match(String(second), /already has a subscriber/);
  first.unsubscribe();
  const again = await firstValueFrom(lines$);
  assert.is(again.seq, 0);
});

pull('is an Observable (composes with pipe)', () => {
  assert.instance(pullLines(countingSource(0).next, { window: 1 }).lines$, Observable);
});

pull.run();
