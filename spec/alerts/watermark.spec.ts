// Specs for src/alerts/watermark.ts (A block's low watermark: the position after the last line whose outcome, and every earlier one's, is final).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { FileIdentity } from '../../src/alerts/file-identity.js';
import { Watermark } from '../../src/alerts/watermark.js';
import { seededRandom } from '../../bench/corpus.js';

const OLD: FileIdentity = { dev: 1, ino: 10, fingerprint: 'o', fingerprintLength: 1 };
const NEW: FileIdentity = { dev: 1, ino: 11, fingerprint: 'n', fingerprintLength: 1 };
const line = (file: FileIdentity, end: number) => ({ file, path: '/a/alerts.json', end });

const mark = suite('Watermark');

mark('nothing is committed until the first line settles; then its end', () => {
  const w = new Watermark();
  assert.is(w.committed(), undefined);
  w.track(0, line(OLD, 10));
  assert.is(w.committed(), undefined);
  w.settle(0);
  assert.equal(w.committed(), { identity: OLD, path: '/a/alerts.json', offset: 10 });
  assert.is(w.committedSeq(), 0);
});

mark('commits the highest seq whose predecessors are all settled, whatever the settle order', () => {
  const w = new Watermark();
  for (let seq = 0; seq < 5; seq++) w.track(seq, line(OLD, (seq + 1) * 10));
  w.settle(2);
  w.settle(1);
  assert.is(w.committed(), undefined, 'seq 0 is still in flight');
  w.settle(0);
  assert.is(w.committed()?.offset, 30);
  w.settle(4);
  assert.is(w.committed()?.offset, 30);
  w.settle(3);
  assert.is(w.committed()?.offset, 50);
  assert.is(w.inFlight, 0);
});

mark("across a rotation, a new file's line commits only after every line of the old file", () => {
  const w = new Watermark();
  w.track(0, line(OLD, 100));
  w.track(1, line(OLD, 200));
  w.track(2, line(NEW, 50));
  w.settle(0);
  w.settle(2);
  assert.equal([w.committed()?.identity, w.committed()?.offset], [OLD, 100]);
  w.settle(1);
  assert.equal([w.committed()?.identity, w.committed()?.offset], [NEW, 50]);
});

mark('settling twice or an already committed seq does nothing; wiring bugs throw', () => {
  const w = new Watermark();
  w.track(5, line(OLD, 1));
  assert.is(w.committedSeq(), 4);
  w.settle(5);
  w.settle(5);
  assert.is(w.committedSeq(), 5);
  assert.throws(() => w.settle(6), /never tracked/);
  assert.throws(() => w.track(7, line(OLD, 2)), /expected 6/);
});

mark('a million lines, 64 unsettled at a time, settled out of order: memory holds only the unsettled ones', () => {
  const w = new Watermark();
  const random = seededRandom(1);
  const inFlight: number[] = [];
  let maxInFlight = 0;
  let next = 0;
  while (next < 1_000_000 || inFlight.length > 0) {
    while (next < 1_000_000 && inFlight.length < 64) {
      w.track(next, line(next < 500_000 ? OLD : NEW, next + 1));
      inFlight.push(next++);
    }
    const [seq] = inFlight.splice(Math.floor(random() * inFlight.length), 1);
    w.settle(seq as number);
    maxInFlight = Math.max(maxInFlight, w.inFlight);
  }
  assert.equal([w.committed()?.identity, w.committed()?.offset, w.committedSeq()], [NEW, 1_000_000, 999_999]);
  assert.ok(maxInFlight <= 64);
});

mark('a line stuck unsettled while a million others settle keeps only itself in memory, and holds the commit', () => {
  const w = new Watermark();
  w.track(0, line(OLD, 1));
  w.settle(0);
  w.track(1, line(OLD, 2));
  for (let seq = 2; seq < 1_000_000; seq++) {
    w.track(seq, line(NEW, seq + 1));
    w.settle(seq);
  }
  assert.is(w.inFlight, 1);
  assert.equal([w.committed()?.offset, w.committedSeq()], [1, 0]);
  w.settle(1);
  assert.equal([w.committed()?.identity, w.committed()?.offset], [NEW, 1_000_000]);
});

mark('advance moves past lines settled unseen: committed up to them once every tracked line before is settled', () => {
  const w = new Watermark();
  const at = (offset: number) => ({ identity: OLD, path: '/a/alerts.json', offset });
  w.advance(at(100));
  assert.is(w.committed()?.offset, 100, 'nothing tracked: where the skipped lines end');
  w.track(0, line(OLD, 150));
  w.advance(at(400));
  assert.is(w.committed()?.offset, 100, 'the tracked line holds the cursor back');
  w.advance(at(500));
  w.track(1, line(OLD, 600));
  w.settle(0);
  assert.is(w.committed()?.offset, 500, 'past the skipped lines, up to the open one');
  w.settle(1);
  w.advance(at(900));
  assert.is(w.committed()?.offset, 900);
  assert.is(w.inFlight, 0);
});

mark.run();
