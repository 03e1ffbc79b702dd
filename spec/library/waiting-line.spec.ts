// Specs for src/library/waiting-line.ts (the FIFO of alerts waiting for room, with live counts per kind).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { WaitingLine, type Waiting } from '../../src/library/waiting-line.js';

const entry = (alert: string, kind: Waiting['kind'] = 'send'): Waiting => ({ alert, kind, cancelled: false, admit: () => undefined, refuse: () => undefined });

const line = suite('WaitingLine');

line('first in, first out; cancelled entries are skipped and no longer counted', () => {
  const l = new WaitingLine();
  const [a, b, c] = [entry('a'), entry('b', 'taken'), entry('c')];
  for (const e of [a, b, c]) l.push(e);
  assert.equal([l.size, l.live.send, l.live.taken], [3, 2, 1]);
  assert.ok(l.cancel(a));
  assert.not.ok(l.cancel(a), 'cancelled once');
  assert.equal([l.size, l.live.send], [2, 1]);
  assert.is(l.shift()?.alert, 'b');
  assert.not.ok(l.cancel(b), 'an admitted entry cannot be cancelled');
  assert.equal(l.drain().map((e) => e.alert), ['c']);
  assert.is(l.size, 0);
  assert.is(l.shift(), undefined);
});

line('stays O(1) and correct over 100,000 entries (compacts as it goes)', () => {
  const l = new WaitingLine();
  for (let n = 0; n < 100_000; n++) l.push(entry(String(n)));
  let expected = 0;
  for (let e = l.shift(); e !== undefined; e = l.shift()) assert.is(e.alert, String(expected++));
  assert.is(expected, 100_000);
});

line.run();
