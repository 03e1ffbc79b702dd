// Specs for src/alerts/line-buffer.ts (Splits a file's bytes into complete lines with one reusable buffer; overlong lines are skipped unbuffered).

import { createHash } from 'node:crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { ByteReader } from '../../src/alerts/byte-reader.js';
import type { FileIdentity } from '../../src/alerts/file-identity.js';
import { batchLine } from '../../src/alerts/line-batch.js';
import { LineBuffer, REJECTED_HEAD_BYTES } from '../../src/alerts/line-buffer.js';
import type { LineRejection, SourceLine } from '../../src/alerts/source-line.js';

const FILE: FileIdentity = { dev: 1, ino: 2, fingerprint: 'f', fingerprintLength: 1 };

/** A reader over bytes in memory that hands out at most `step` bytes per read (writes arriving in pieces). */
const memoryReader = (bytes: Buffer, step = Infinity): ByteReader & { reads: number } => {
  const reader = {
    reads: 0,
    diskBytes: 0,
    async read(into: Buffer, at: number, length: number, position: number) {
      reader.reads++;
      const n = bytes.copy(into, at, position, Math.min(bytes.length, position + Math.min(length, step)));
      return n;
    },
    async close() {},
  };
  return reader;
};

type Overlong = Omit<LineRejection, 'file' | 'path'>;

const readAll = async (lines: LineBuffer, reader: ByteReader, onLine?: (l: SourceLine) => void): Promise<SourceLine[]> => {
  const out: SourceLine[] = [];
  for (;;) {
    let line = lines.take(FILE, 'p');
    while (line) {
      out.push(line);
      onLine?.(line);
      line = lines.take(FILE, 'p');
    }
    if ((await lines.fill(reader)) === 0) {
      const tail = lines.takeTail(FILE, 'p');
      if (tail) out.push(tail);
      return out;
    }
  }
};

const take = suite('LineBuffer.take: complete lines only');

take('splits on \\n, drops a trailing \\r, keeps offsets of the file, whatever the read size', async () => {
  const text = 'a\r\nbb\n\nccc\r\n';
  for (const step of [1, 2, 3, 5, 100]) {
    const lines = new LineBuffer({ maxLineBytes: 100, chunkBytes: 4, onOverlong: () => assert.unreachable() });
    const got = await readAll(lines, memoryReader(Buffer.from(text), step));
    assert.equal(got.map((l) => [l.text, l.start, l.end]), [['a', 0, 3], ['bb', 3, 6], ['', 6, 7], ['ccc', 7, 12]], `step ${step}`);
  }
});

take('a multi-byte character split between reads decodes whole', async () => {
  const text = Buffer.from('é€😀\n', 'utf8');
  const lines = new LineBuffer({ maxLineBytes: 100, chunkBytes: 4, onOverlong: () => assert.unreachable() });
  const got = await readAll(lines, memoryReader(text, 1));
  assert.equal(got.map((l) => l.text), ['é€😀']);
});

take('takeTail hands out the bytes after the last newline once, as a line ending at the end of the data', async () => {
  const lines = new LineBuffer({ maxLineBytes: 100, onOverlong: () => assert.unreachable() });
  await lines.fill(memoryReader(Buffer.from('x\npartial')));
  assert.is(lines.take(FILE, 'p')?.text, 'x');
  assert.is(lines.take(FILE, 'p'), undefined);
  assert.is(lines.partialBytes, 7);
  const tail = lines.takeTail(FILE, 'p');
  assert.equal([tail?.text, tail?.start, tail?.end], ['partial', 2, 9]);
  assert.is(lines.takeTail(FILE, 'p'), undefined);
});

take('reset forgets held bytes and continues at the given offset', async () => {
  const bytes = Buffer.from('one\ntwo\nthree\n');
  const lines = new LineBuffer({ maxLineBytes: 100, onOverlong: () => assert.unreachable() });
  await lines.fill(memoryReader(bytes));
  lines.reset(8);
  const got = await readAll(lines, memoryReader(bytes));
  assert.equal(got.map((l) => [l.text, l.start]), [['three', 8]]);
});

take.run();

const limits = suite('LineBuffer: overlong lines and bounded memory');

limits('an overlong line is reported once (offset, length, head, sha256) and never held whole', async () => {
  const long = 'L'.repeat(200_000);
  const bytes = Buffer.from(`ok\n${long}\nafter\n`);
  const reports: Overlong[] = [];
  const lines = new LineBuffer({ maxLineBytes: 1000, chunkBytes: 4096, onOverlong: (r) => reports.push(r) });
  let largest = 0;
  const reader = memoryReader(bytes);
  const counting: ByteReader = { ...reader, read: async (...args) => { const n = await reader.read(...args); largest = Math.max(largest, lines.capacity); return n; } };
  const got = await readAll(lines, counting);
  assert.equal(got.map((l) => l.text), ['ok', 'after']);
  assert.is(reports.length, 1);
  assert.equal([reports[0]?.offset, reports[0]?.length, reports[0]?.maxLineBytes], [3, 200_000, 1000]);
  assert.is(reports[0]?.head, long.slice(0, REJECTED_HEAD_BYTES));
  assert.is(reports[0]?.sha256, createHash('sha256').update(long).digest('hex'));
  assert.ok(largest <= 1000 + 4096, `buffer grew to ${largest} bytes for a 200 kB line`);
});

limits('an overlong final line without newline is reported by takeTail', async () => {
  const reports: Overlong[] = [];
  const lines = new LineBuffer({ maxLineBytes: 10, chunkBytes: 8, onOverlong: (r) => reports.push(r) });
  const got = await readAll(lines, memoryReader(Buffer.from('a\n0123456789abcdef')));
  assert.equal(got.map((l) => l.text), ['a']);
  assert.equal([reports[0]?.offset, reports[0]?.length], [2, 16]);
});

limits('a line exactly maxLineBytes long passes; one byte more is rejected', async () => {
  const reports: Overlong[] = [];
  const lines = new LineBuffer({ maxLineBytes: 5, chunkBytes: 4, onOverlong: (r) => reports.push(r) });
  const got = await readAll(lines, memoryReader(Buffer.from('12345\n123456\nz\n')));
  assert.equal(got.map((l) => l.text), ['12345', 'z']);
  assert.equal(reports.map((r) => r.length), [6]);
});

limits('a 20 MB backlog is read with one chunk of memory; a long line grows it, then it shrinks back', async () => {
  const line = `${'{"rule":{"level":5},"full_log":"'.padEnd(900, 'x')}"}`;
  const long = `{"full_log":"${'y'.repeat(300_000)}"}`;
  const backlog = Buffer.from(`${`${line}\n`.repeat(11_000)}${long}\n${`${line}\n`.repeat(11_000)}`);
  const lines = new LineBuffer({ maxLineBytes: 1024 * 1024, chunkBytes: 64 * 1024, onOverlong: () => assert.unreachable() });
  const capacities: number[] = [];
  const got = await readAll(lines, memoryReader(backlog), () => capacities.push(lines.capacity));
  assert.is(got.length, 22_001);
  assert.is(got[11_000]?.text, long);
  assert.ok(Math.max(...capacities.slice(0, 11_000)) === 64 * 1024, 'one chunk before the long line');
  assert.ok(Math.max(...capacities) < 300_000 + 2 * 64 * 1024, 'the long line plus about one chunk');
  assert.is(capacities[capacities.length - 1], 64 * 1024, 'back to one chunk after it');
});

limits.run();

const batches = suite('LineBuffer.takeBatch');
const readBatches = async (lines: LineBuffer, reader: ByteReader, maxLines?: number): Promise<SourceLine[]> => {
  const out: SourceLine[] = [];
  for (;;) {
    for (let batch = lines.takeBatch(FILE, 'p', maxLines); batch; batch = lines.takeBatch(FILE, 'p', maxLines)) {
      assert.ok(batch.count > 0 && (maxLines === undefined || batch.count <= maxLines));
      for (let i = 0; i < batch.count; i++) out.push(batchLine(batch, i));
    }
    if ((await lines.fill(reader)) === 0) {
      const tail = lines.takeTail(FILE, 'p');
      if (tail) out.push(tail);
      return out;
    }
  }
};
batches('hands out the same lines, positions and overlong reports as take(), CRLF and split reads included', async () => {
  const text = ['{"a":1}', 'x'.repeat(300), '{"b":"é"}\r', '', '{"c":3}', 'y'.repeat(500), 'tail'].join('\n');
  for (const step of [7, 64, Infinity]) {
    const overlongOne: Overlong[] = [];
    const overlongBatch: Overlong[] = [];
    const one = await readAll(new LineBuffer({ maxLineBytes: 200, chunkBytes: 128, onOverlong: (r) => overlongOne.push(r) }), memoryReader(Buffer.from(text), step));
    const batch = await readBatches(new LineBuffer({ maxLineBytes: 200, chunkBytes: 128, onOverlong: (r) => overlongBatch.push(r) }), memoryReader(Buffer.from(text), step));
    assert.equal(batch, one, `read step ${step}`);
    assert.equal(overlongBatch, overlongOne);
    assert.is(overlongOne.length, 2);
  }
});
batches('holds at most maxLines lines per batch', async () => {
  const text = Array.from({ length: 50 }, (_, i) => `{"n":${i}}`).join('\n') + '\n';
  const lines = await readBatches(new LineBuffer({ maxLineBytes: 1000, onOverlong: () => undefined }), memoryReader(Buffer.from(text)), 3);
  assert.is(lines.length, 50);
  assert.is(lines[49]?.text, '{"n":49}');
});
batches.run();
