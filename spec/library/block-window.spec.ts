// Specs for src/library/block-window.ts (one block's window in push mode: bounded, and when it counts as stalled).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { BlockWindow } from '../../src/library/block-window.js';

const window = suite('BlockWindow');

window('is full at its capacity; a taken alert gives its room back', () => {
  const w = new BlockWindow<string>(2, 1000, 0);
  w.add(1, 'a', 0);
  assert.not.ok(w.full);
  w.add(2, 'b', 0);
  assert.ok(w.full);
  assert.is(w.take(1, true, 10), 'a');
  assert.not.ok(w.full);
  assert.is(w.take(1, true, 10), undefined, 'taken once');
});

window('stalls only when full and flagged by mark() after stallMs without progress; progress clears it', () => {
  const w = new BlockWindow<string>(1, 100, 0);
  w.add(1, 'a', 0);
  w.mark(99);
  assert.not.ok(w.stalled, 'not before stallMs');
  w.mark(100);
  assert.ok(w.stalled);
  // A dead letter frees the slot without progress: refilled, the block is stalled again at once.
  w.take(1, false, 150);
  assert.not.ok(w.stalled, 'a window with room is never stalled');
  w.add(2, 'b', 150);
  assert.ok(w.stalled);
  // A delivery is progress: the flag goes, and the clock restarts from it.
  w.take(2, true, 200);
  w.add(3, 'c', 200);
  w.mark(250);
  assert.not.ok(w.stalled);
  assert.is(w.stallsAt, 300);
});

window('work after an idle period counts from its arrival; restart() gives a busy event loop\'s victim a full stallMs again', () => {
  const w = new BlockWindow<string>(1, 100, 0);
  w.add(1, 'a', 5000);
  w.mark(5050);
  assert.not.ok(w.stalled, 'an old quiet period does not count');
  w.restart(5090);
  w.mark(5150);
  assert.not.ok(w.stalled);
  w.mark(5190);
  assert.ok(w.stalled);
});

window.run();
