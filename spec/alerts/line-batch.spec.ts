// Specs for src/alerts/line-batch.ts: lines of a batch decoded on demand, and one-line batches.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { FileIdentity } from '../../src/alerts/file-identity.js';
import { batchLine, singleLineBatch } from '../../src/alerts/line-batch.js';

const FILE: FileIdentity = { dev: 1, ino: 2, fingerprint: 'f', fingerprintLength: 1 };

const line = suite('batchLine');
line('decodes the i-th line as UTF-8 with its file offsets', () => {
  const bytes = Buffer.from('xx{"a":"é"}\r\n{"b":2}\n');
  const batch = { file: FILE, path: 'p', bytes, base: 1000, marks: [2, 12, 14, 14, 21, 22], count: 2 };
  assert.equal(batchLine(batch, 0), { text: '{"a":"é"}', file: FILE, path: 'p', start: 1002, end: 1014 });
  assert.equal(batchLine(batch, 1), { text: '{"b":2}', file: FILE, path: 'p', start: 1014, end: 1022 });
});
line.run();

const single = suite('singleLineBatch');
single('makes a batch of one line that gives the same line back', () => {
  const source = { text: '{"tail":"ü"}', file: FILE, path: 'p', start: 40, end: 53 };
  const batch = singleLineBatch(source);
  assert.is(batch.count, 1);
  assert.equal(batchLine(batch, 0), source);
});
single.run();
