// Specs for src/alerts/byte-reader.ts (Positional readers over a plain file or the decompressed stream of a .gz file, for the line buffer).

import { renameSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { gzipReader, handleReader, isGzipPath, openByteReader, openPinnedReader, readPrefix } from '../../src/alerts/byte-reader.js';
import { expectRejection } from '../helpers/expect-rejection.js';
import { tempDirSync } from '../helpers/temp-dir.js';

const content = Buffer.from(Array.from({ length: 5000 }, (_, i) => `line ${i}\n`).join(''));

const readAll = async (reader: Awaited<ReturnType<typeof openByteReader>>, from = 0): Promise<Buffer> => {
  const parts: Buffer[] = [];
  let position = from;
  for (;;) {
    const chunk = Buffer.alloc(1000);
    const n = await reader.read(chunk, 0, chunk.length, position);
    if (n === 0) return Buffer.concat(parts);
    parts.push(chunk.subarray(0, n));
    position += n;
  }
};

const plain = suite('handleReader / openByteReader: plain files');

plain('reads at any position and counts the bytes read from disk', async () => {
  const { dir, remove } = tempDirSync('byte-reader');
  try {
    const path = join(dir, 'a.json');
    writeFileSync(path, content);
    const reader = await openByteReader(path);
    assert.equal(await readAll(reader, 100), content.subarray(100));
    assert.is(reader.diskBytes, content.length);
    await reader.close();
    const handle = await open(path, 'r');
    const borrowed = handleReader(handle);
    assert.equal(await readPrefix(borrowed, 10), content.subarray(0, 10));
    await borrowed.close();
    assert.is((await handle.stat()).size, content.length, 'a borrowed handle stays open');
    await handle.close();
  } finally {
    remove();
  }
});

plain.run();

const gzip = suite('gzipReader: the decompressed stream of a .gz');

gzip('positions are in the decompressed stream; a position ahead skips; multi-member files read through', async () => {
  const { dir, remove } = tempDirSync('byte-reader');
  try {
    const path = join(dir, 'a.json.gz');
    writeFileSync(path, Buffer.concat([gzipSync(content.subarray(0, 20_000)), gzipSync(content.subarray(20_000))]));
    assert.ok(isGzipPath(path));
    const reader = await openByteReader(path);
    assert.equal(await readAll(reader, 12_345), content.subarray(12_345));
    assert.ok(reader.diskBytes > 0 && reader.diskBytes < content.length, 'compressed bytes were counted');
    await reader.close();
  } finally {
    remove();
  }
});

gzip('reading behind the stream position rejects; a corrupt or missing file rejects', async () => {
  const { dir, remove } = tempDirSync('byte-reader');
  try {
    const path = join(dir, 'a.json.gz');
    writeFileSync(path, gzipSync(content));
    const reader = gzipReader(path);
    await readPrefix(reader, 100);
    await expectRejection(() => reader.read(Buffer.alloc(10), 0, 10, 5), /sequential/);
    await reader.close();
    const corrupt = join(dir, 'corrupt.json.gz');
    writeFileSync(corrupt, 'not gzip at all');
    await expectRejection(() => readPrefix(gzipReader(corrupt), 10));
    await expectRejection(() => readPrefix(gzipReader(join(dir, 'missing.gz')), 10), /ENOENT/);
  } finally {
    remove();
  }
});

gzip.run();

const pinned = suite('openPinnedReader: the inode the name pointed at when opened');

pinned('reads the file opened (plain or .gz) and says its inode, even after the name moved to another file', async () => {
  const { dir, remove } = tempDirSync('byte-reader');
  try {
    for (const name of ['a.json.1', 'a.json.2.gz']) {
      const path = join(dir, name);
      writeFileSync(path, name.endsWith('.gz') ? gzipSync(content) : content);
      const inode = statSync(path).ino;
      const opened = await openPinnedReader(path);
      renameSync(path, `${path}.moved`);
      writeFileSync(path, name.endsWith('.gz') ? gzipSync('other\n') : 'other\n');
      assert.is(opened.ino, inode, name);
      assert.is(opened.dev, statSync(`${path}.moved`).dev);
      assert.equal(await readAll(opened.reader), content, `${name}: the content of the file opened, not of the new one`);
      await opened.reader.close();
    }
    await expectRejection(() => openPinnedReader(join(dir, 'missing.json')), /ENOENT/);
  } finally {
    remove();
  }
});

pinned.run();
