// Specs for src/pipeline/dry-run-output.ts: dry-run lines gathered into few writes, in order, none held past a turn.

import { setImmediate as nextTurn } from 'node:timers/promises';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DRY_RUN_CHUNK_CHARS, lineOutput } from '../../src/pipeline/dry-run-output.js';

const output = suite('lineOutput');

output('lines come out in order, each with its newline, in one write per turn of the event loop', async () => {
  const writes: string[] = [];
  const out = lineOutput((chunk) => writes.push(chunk));
  out.write('a');
  out.write('{"b":1}');
  assert.equal(writes, []);
  await nextTurn();
  assert.equal(writes, ['a\n{"b":1}\n']);
  out.write('c');
  await nextTurn();
  assert.equal(writes, ['a\n{"b":1}\n', 'c\n']);
});

output('a chunk is written as soon as it reaches 64 KiB; flush writes the rest at once and nothing twice', async () => {
  const writes: string[] = [];
  const out = lineOutput((chunk) => writes.push(chunk));
  const line = 'x'.repeat(999);
  const count = Math.ceil((3 * DRY_RUN_CHUNK_CHARS) / 1000) + 7;
  for (let i = 0; i < count; i++) out.write(line);
  assert.is(writes.length, 3);
  for (const w of writes) assert.ok(w.length >= DRY_RUN_CHUNK_CHARS && w.length < DRY_RUN_CHUNK_CHARS + 1000);
  out.flush();
  assert.is(writes.length, 4);
  assert.is(writes.join(''), `${line}\n`.repeat(count));
  await nextTurn();
  out.flush();
  assert.is(writes.length, 4);
});

output.run();
