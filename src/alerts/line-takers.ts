// How a source takes what its line buffer holds: one line, or a batch of every line (follower and replay alike).

import type { FileIdentity } from './file-identity.js';
import { singleLineBatch, type LineBatch } from './line-batch.js';
import type { LineBuffer } from './line-buffer.js';
import type { SourceLine } from './source-line.js';

/** The file being read: what every line taken from it carries. */
export interface Reading {
  readonly identity: FileIdentity;
  readonly path: string;
}

export interface Taker<T> {
  take(reading: Reading): T | undefined;
  /** The file's last bytes without `\n`, once the file is done. */
  tail(reading: Reading): T | undefined;
}

/** One line at a time (`next()`). */
export const lineTaker = (lines: LineBuffer): Taker<SourceLine> => ({
  take: (r) => lines.take(r.identity, r.path),
  tail: (r) => lines.takeTail(r.identity, r.path),
});

/** Every line held, at most `maxLines()` (`nextBatch()`); a last line without `\n` is a batch of one. */
export const batchTaker = (lines: LineBuffer, maxLines: () => number): Taker<LineBatch> => ({
  take: (r) => lines.takeBatch(r.identity, r.path, maxLines()),
  tail: (r) => {
    const line = lines.takeTail(r.identity, r.path);
    return line && singleLineBatch(line);
  },
});
