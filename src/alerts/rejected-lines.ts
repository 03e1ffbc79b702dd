// STATE/rejected-lines.jsonl: every line that is not an alert, written once even when several blocks reject it.

import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { openAppend, writeAll } from '../state/safe-file.js';
import { ensurePrivateDir } from '../state/state-dir.js';
import { log } from '../telemetry/log.js';
import type { FileIdentity } from './file-identity.js';
import type { LineRejection } from './source-line.js';
import { errorCode } from '../errors.js';

/** 64 KiB: Wazuh's own line limit; enough to see what a line was. */
export const MAX_RECORDED_LINE_BYTES = 64 * 1024;
/** 4096 lines: far more than the lines in flight across every block; memory stays ~0.5 MB at worst. */
export const DEFAULT_DEDUPE_ENTRIES = 4096;

export type RejectionReasonCode = 'invalid-json' | 'not-an-object' | 'overlong';

/** What the pipeline knows about a rejected line. */
export interface RejectedLine {
  readonly file: FileIdentity;
  readonly path: string;
  readonly offset: number;
  /** Bytes of the line (newline excluded). */
  readonly length: number;
  readonly reason: RejectionReasonCode;
  readonly detail: string;
  /** The line, or its beginning (an overlong line's head). */
  readonly line: string;
  /** sha256 of the whole line when `line` is only its beginning (overlong lines bring it along). */
  readonly sha256?: string;
}

/** One record of the file (written as time, path, offset, length, reason, detail, line, sha256). */
export type RejectedLineRecord = { readonly time: string } & Omit<RejectedLine, 'file'>;

/** Cuts a string to at most `maxBytes` of UTF-8 without splitting a character. */
export const cutUtf8 = (text: string, maxBytes: number): { text: string; cut: boolean } => {
  if (text.length * 3 <= maxBytes || Buffer.byteLength(text, 'utf8') <= maxBytes) return { text, cut: false };
  const bytes = Buffer.from(text, 'utf8');
  let end = maxBytes;
  while (end > 0 && ((bytes[end] as number) & 0xc0) === 0x80) end--;
  return { text: bytes.toString('utf8', 0, end), cut: true };
};

/** The overlong-line report of a follower as a rejected line. */
export const fromOverlong = (rejection: LineRejection): RejectedLine => ({
  file: rejection.file,
  path: rejection.path,
  offset: rejection.offset,
  length: rejection.length,
  reason: 'overlong',
  detail: `line of ${rejection.length} bytes is over max_line_bytes ${rejection.maxLineBytes}`,
  line: rejection.head,
  sha256: rejection.sha256,
});

/**
 * Appends rejected lines to `STATE/rejected-lines.jsonl`. Followers of several blocks read the same
 * file and reject the same lines: a line (device, inode, offset, length) is written once, remembered in
 * a small LRU. The file is created 0600 and never opened through a symlink. Write failures are
 * logged with the line's position (never thrown).
 */
export class RejectedLines {
  readonly path: string;
  readonly #dir: string;
  readonly #capacity: number;
  readonly #seen = new Map<string, true>();
  #file: Promise<FileHandle> | undefined;
  #writing: Promise<void> = Promise.resolve();
  readonly #now: () => Date;

  constructor(stateDir: string, options: { dedupeEntries?: number; now?: () => Date } = {}) {
    this.#dir = stateDir;
    this.path = join(stateDir, 'rejected-lines.jsonl');
    this.#capacity = options.dedupeEntries ?? DEFAULT_DEDUPE_ENTRIES;
    this.#now = options.now ?? (() => new Date());
  }

  /**
   * Records a rejected line; true when it is new (written now), false when another block already
   * recorded it. The caller counts the rejection for its block either way.
   */
  record(rejected: RejectedLine): boolean {
    const { file } = rejected;
    // Not the fingerprint: followers of one file may hold fingerprints of different lengths while it is
    // under 1 KiB. The length tells a line apart from another one at the same offset after a truncation.
    const key = `${file.dev}:${file.ino}:${rejected.offset}:${rejected.length}`;
    if (this.#seen.has(key)) {
      this.#seen.delete(key);
      this.#seen.set(key, true);
      return false;
    }
    this.#seen.set(key, true);
    if (this.#seen.size > this.#capacity) this.#seen.delete(this.#seen.keys().next().value as string);
    const { text, cut } = cutUtf8(rejected.line, MAX_RECORDED_LINE_BYTES);
    const sha256 = rejected.sha256 ?? (cut ? createHash('sha256').update(rejected.line, 'utf8').digest('hex') : undefined);
    const record: RejectedLineRecord = {
      time: this.#now().toISOString(),
      path: rejected.path,
      offset: rejected.offset,
      length: rejected.length,
      reason: rejected.reason,
      detail: rejected.detail,
      line: text,
      ...(sha256 === undefined ? {} : { sha256 }),
    };
    this.#append(`${JSON.stringify(record)}\n`, rejected);
    return true;
  }

  /** Waits until every recorded line is written. Never rejects. */
  flush(): Promise<void> {
    return this.#writing;
  }

  /** Flushes and closes the file; a later `record` opens it again. */
  async close(): Promise<void> {
    await this.flush();
    const file = this.#file;
    this.#file = undefined;
    await (await file?.catch(() => undefined))?.close();
  }

  #append(text: string, rejected: RejectedLine): void {
    this.#writing = this.#writing.then(async () => {
      try {
        this.#file ??= ensurePrivateDir(this.#dir).then(() => openAppend(this.path));
        const file = await this.#file.catch((error: unknown) => {
          this.#file = undefined;
          throw error;
        });
        await writeAll(file, text);
      } catch (error) {
        log.error('cannot write a rejected line to the rejected-lines file', {
          file: this.path,
          path: rejected.path,
          offset: rejected.offset,
          length: rejected.length,
          reason: rejected.reason,
          error: errorCode(error),
        });
      }
    });
  }
}
