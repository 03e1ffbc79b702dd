// Specs for src/alerts/line-takers.ts: one line or a batch taken from a line buffer, the unterminated tail included.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { FileIdentity } from '../../src/alerts/file-identity.js';
import { batchLine } from '../../src/alerts/line-batch.js';
import { LineBuffer } from '../../src/alerts/line-buffer.js';
import { batchTaker, lineTaker } from '../../src/alerts/line-takers.js';

const FILE: FileIdentity = { dev: 1, ino: 2, fingerprint: 'f', fingerprintLength: 1 };
const reading = { identity: FILE, path: 'p' };
const filled = async (text: string) => {
  const lines = new LineBuffer({ maxLineBytes: 1000, onOverlong: () => undefined });
  const bytes = Buffer.from(text);
  await lines.fill({ diskBytes: 0, read: async (into, at, length, position) => bytes.copy(into, at, position, Math.min(bytes.length, position + length)), close: async () => undefined });
  return lines;
};

const takers = suite('line takers');
takers('lineTaker takes one line at a time, then the tail', async () => {
  const taker = lineTaker(await filled('{"a":1}\n{"b":2}\n{"tail"'));
  assert.equal([taker.take(reading)?.text, taker.take(reading)?.text, taker.take(reading)], ['{"a":1}', '{"b":2}', undefined]);
  assert.equal(taker.tail(reading), { text: '{"tail"', file: FILE, path: 'p', start: 16, end: 23 });
});
takers('batchTaker takes at most maxLines per batch, and the tail as a batch of one', async () => {
  let max = 2;
  const taker = batchTaker(await filled('1\n2\n3\n4\nlast'), () => max);
  assert.is(taker.take(reading)?.count, 2);
  max = 10;
  const rest = taker.take(reading);
  assert.equal(rest && [batchLine(rest, 0).text, batchLine(rest, 1).text, rest.count], ['3', '4', 2]);
  const tail = taker.tail(reading);
  assert.equal(tail && [batchLine(tail, 0), tail.count], [{ text: 'last', file: FILE, path: 'p', start: 8, end: 12 }, 1]);
});
takers.run();
