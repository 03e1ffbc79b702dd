// Specs for src/cli/stdin-file.ts (Standard input saved to a private temporary file, so that `replay -` reads it like any alert file).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { saveStdin } from '../../src/cli/stdin-file.js';
import { tempDir } from '../helpers/temp-dir.js';

const TEXT = '{"id":"S1"}\n{"id":"S2"}\n';

const saving = suite('saveStdin');
saving('copies standard input to its end into a 0600 file of a new 0700 directory, which remove() deletes', async () => {
  const root = await tempDir();
  try {
    const saved = await saveStdin(Readable.from([Buffer.from(TEXT.slice(0, 5)), Buffer.from(TEXT.slice(5))]), root.path);
    assert.is(readFileSync(saved.path, 'utf8'), TEXT);
    assert.match(saved.path, /\/stdin$/);
    assert.is(statSync(saved.path).mode & 0o777, 0o600);
    assert.is(statSync(dirname(saved.path)).mode & 0o777, 0o700);
    await saved.remove();
    assert.equal(readdirSync(root.path), []);
  } finally {
    await root.remove();
  }
});
saving('names gzip bytes stdin.gz, so that they are read decompressed; an empty input is an empty file', async () => {
  const root = await tempDir();
  try {
    const gz = await saveStdin(Readable.from([gzipSync(TEXT)]), root.path);
    assert.match(gz.path, /\/stdin\.gz$/);
    const empty = await saveStdin(Readable.from([]), root.path);
    assert.match(empty.path, /\/stdin$/);
    assert.is(statSync(empty.path).size, 0);
    await Promise.all([gz.remove(), empty.remove()]);
    assert.equal(readdirSync(root.path), []);
  } finally {
    await root.remove();
  }
});
saving('rejects when standard input fails, and leaves nothing behind', async () => {
  const root = await tempDir();
  try {
    const failing = new Readable({ read() { this.destroy(Object.assign(new Error('EIO'), { code: 'EIO' })); } });
    await saveStdin(failing, root.path).then(
      () => assert.unreachable('should reject'),
      (error: NodeJS.ErrnoException) => assert.is(error.code, 'EIO'),
    );
    assert.equal(readdirSync(root.path), []);
  } finally {
    await root.remove();
  }
});
saving.run();
