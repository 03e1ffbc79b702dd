// A run of complete lines handed out at once, as positions in the read buffer: nothing decoded until asked.

import type { FileIdentity } from './file-identity.js';
import type { SourceLine } from './source-line.js';

/**
 * Lines of one file, as they sit in the source's read buffer. `marks` holds three buffer indexes per
 * line: its first byte, the end of its text (`\r\n` or `\n` excluded) and the byte after its `\n`.
 * `bytes` is the source's own buffer: valid only until the next call on the source, so a batch is
 * consumed synchronously (decode what must be kept). Empty batches are never handed out.
 */
export interface LineBatch {
  readonly file: FileIdentity;
  readonly path: string;
  readonly bytes: Buffer;
  /** File offset of `bytes[0]`. */
  readonly base: number;
  readonly marks: readonly number[];
  /** Lines in the batch (`marks.length / 3`). */
  readonly count: number;
}

/** The `i`-th line of a batch as a SourceLine (decoded as UTF-8). */
export const batchLine = (batch: LineBatch, i: number): SourceLine => {
  const m = batch.marks;
  const at = i * 3;
  return {
    text: batch.bytes.toString('utf8', m[at], m[at + 1]),
    file: batch.file,
    path: batch.path,
    start: batch.base + (m[at] as number),
    end: batch.base + (m[at + 2] as number),
  };
};

/** A batch of one line (a file's last line without `\n`, a line of a source that has no batches). */
export const singleLineBatch = (line: SourceLine): LineBatch => {
  const bytes = Buffer.from(line.text, 'utf8');
  return { file: line.file, path: line.path, bytes, base: line.start, marks: [0, bytes.length, line.end - line.start], count: 1 };
};
