// STATE/rejected-lines.jsonl: every line that is not an alert, written once even when several blocks reject it.

import { createHash } from 'node:crypto';
import { rename, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { openAppend, writeAll } from '../state/safe-file.js';
import { ensurePrivateDir } from '../state/state-dir.js';
import { log } from '../telemetry/log.js';
import { RateLimitedWarning } from '../telemetry/rate-limited-warning.js';
import type { FileIdentity } from './file-identity.js';
import type { LineRejection } from './source-line.js';
import { errorCode } from '../errors.js';

/** 64 KiB: Wazuh's own line limit; enough to see what a line was. */
export const MAX_RECORDED_LINE_BYTES = 64 * 1024;
/** 4096 lines: far more than the lines in flight across every block; memory stays ~0.5 MB at worst. */
export const DEFAULT_DEDUPE_ENTRIES = 4096;
/**
 * 32 MiB: at least 500 records of the longest kind (64 KiB each). Past it the file is renamed to
 * `.1` (replacing the previous `.1`) and a new one begun: two files at most. Every line recorded is
 * still in the alerts file it was read from (path and offset are in the record) and counted in metrics.
 */
export const DEFAULT_MAX_REJECTED_BYTES = 32 * 1024 * 1024;

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

export interface RejectedLinesOptions {
  readonly dedupeEntries?: number;
  readonly now?: () => Date;
  /** See DEFAULT_MAX_REJECTED_BYTES. */
  readonly maxBytes?: number;
  /** Where records go instead of the file (a dry run: nothing is written to the state directory). */
  readonly sink?: ((record: string) => void) | undefined;
  /** The WARNING about new rejected lines: at most one line per interval (default 60 s) with a count. */
  readonly warnEveryMs?: number;
}

/**
 * Appends rejected lines to `STATE/rejected-lines.jsonl` (or hands them to `sink`). Followers of
 * several blocks read the same file and reject the same lines: a line (device, inode, offset, length)
 * is written once, remembered in a small LRU, and warned about (rate-limited). The file is created
 * 0600, never opened through a symlink, rotated to `.1` at `maxBytes` and reopened by `reopen()`
 * (SIGHUP, after an admin moved it). Write failures are logged with the line's position (never thrown).
 */
export class RejectedLines {
  readonly path: string;
  readonly #dir: string;
  readonly #capacity: number;
  readonly #seen = new Map<string, true>();
  #file: Promise<FileHandle> | undefined;
  #writing: Promise<void> = Promise.resolve();
  readonly #now: () => Date;
  readonly #maxBytes: number;
  readonly #sink: ((record: string) => void) | undefined;
  readonly #warnings: RateLimitedWarning;
  /** Bytes in the open file (its size when opened plus what was written since). */
  #size = 0;

  constructor(stateDir: string, options: RejectedLinesOptions = {}) {
    this.#dir = stateDir;
    this.path = join(stateDir, 'rejected-lines.jsonl');
    this.#capacity = options.dedupeEntries ?? DEFAULT_DEDUPE_ENTRIES;
    this.#now = options.now ?? (() => new Date());
    this.#maxBytes = options.maxBytes ?? DEFAULT_MAX_REJECTED_BYTES;
    this.#sink = options.sink;
    const where = this.#sink ? 'each printed above' : `each kept in ${this.path}`;
    this.#warnings = new RateLimitedWarning(`lines that are not alerts since the last warning (${where}); by reason:`, options.warnEveryMs);
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
    const message = rejected.reason === 'overlong' ? `Overlong JSON alert read from '${rejected.path}'` : `Invalid JSON alert read from '${rejected.path}'`;
    this.#warnings.warn(rejected.reason, message, { offset: rejected.offset, reason: rejected.detail });
    if (this.#sink) this.#sink(`${JSON.stringify(record)}\n`);
    else this.#append(`${JSON.stringify(record)}\n`, rejected);
    return true;
  }

  /** Waits until every recorded line is written. Never rejects. */
  flush(): Promise<void> {
    return this.#writing;
  }

  /** Closes the file after the pending writes: the next record opens the path again (SIGHUP, after logrotate or `mv`). */
  reopen(): Promise<void> {
    this.#writing = this.#writing.then(() => this.#closeFile());
    return this.#writing;
  }

  /** Flushes, logs the warnings held back, and closes the file; a later `record` opens it again. */
  async close(): Promise<void> {
    this.#warnings.flush();
    await this.reopen();
  }

  async #closeFile(): Promise<void> {
    const file = this.#file;
    this.#file = undefined;
    await (await file?.catch(() => undefined))?.close().catch(() => undefined);
  }

  /** The open file (opened, and its size read, on first use). */
  async #handle(): Promise<FileHandle> {
    this.#file ??= ensurePrivateDir(this.#dir)
      .then(() => openAppend(this.path))
      .then(async (handle) => {
        this.#size = (await handle.stat()).size;
        return handle;
      });
    return this.#file.catch((error: unknown) => {
      this.#file = undefined;
      throw error;
    });
  }

  /** Renames the full file to `.1` (the previous `.1` goes) so that the next write begins a new one. */
  async #rotate(): Promise<void> {
    await this.#closeFile();
    await rename(this.path, `${this.path}.1`);
    log.info(`The rejected-lines file reached ${this.#size} bytes: renamed to ${this.path}.1, a new one begun.`);
  }

  #append(text: string, rejected: RejectedLine): void {
    this.#writing = this.#writing.then(async () => {
      try {
        const bytes = Buffer.byteLength(text);
        let file = await this.#handle();
        if (this.#size > 0 && this.#size + bytes > this.#maxBytes) {
          await this.#rotate();
          file = await this.#handle();
        }
        await writeAll(file, text);
        this.#size += bytes;
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
