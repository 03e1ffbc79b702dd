// The shapes every alert line source shares: a line with its byte position, the end marker, rejections.

import { log } from '../telemetry/log.js';
import type { FileIdentity } from './file-identity.js';

/** One complete line of an alerts file, with where it sits (for cursors and rejected-line reports). */
export interface SourceLine {
  /** The line decoded as UTF-8, without its `\n` and without a trailing `\r`. */
  readonly text: string;
  /** Identity of the file the line was read from (shared by every line of that file). */
  readonly file: FileIdentity;
  /** Path the file was opened by (for a rotated file: the path it had when opened, or its archive path). */
  readonly path: string;
  /** Byte offset of the line's first byte (in the decompressed stream for `.gz`). */
  readonly start: number;
  /** Byte offset just after the line's `\n`: where a cursor resumes. */
  readonly end: number;
}

/**
 * What `next()` resolves with once a source has nothing more to give: after `close()` for a follower,
 * after the last file for a replay. Every later `next()` resolves with it too.
 */
export const END_OF_LINES: unique symbol = Symbol('integratord.end-of-lines');
export type EndOfLines = typeof END_OF_LINES;

/** True for the end marker. */
export const isEndOfLines = (value: unknown): value is EndOfLines => value === END_OF_LINES;

/** The pull API of the follower and the replay source. */
export interface LineSource {
  /**
   * The next complete line; waits for one (a follower waits for appends). Resolves with END_OF_LINES
   * when the source is closed or exhausted. Never rejects on I/O errors of the files it reads.
   */
  next(): Promise<SourceLine | EndOfLines>;
  /** Stops the source; a pending `next()` resolves with END_OF_LINES. Idempotent. */
  close(): Promise<void>;
}

/** A line longer than the limit: skipped without being buffered, reported once. */
export interface LineRejection {
  readonly reason: 'overlong';
  readonly file: FileIdentity;
  readonly path: string;
  /** Byte offset of the line's first byte. */
  readonly offset: number;
  /** Length in bytes, `\n` excluded (a `\r` before it counts). */
  readonly length: number;
  /** The first 64 KiB of the line, decoded as UTF-8 (a character cut at the end shows as U+FFFD). */
  readonly head: string;
  /** sha256 (hex) of the line's bytes (`\n` excluded, a `\r` before it included): hashed while skipping. */
  readonly sha256: string;
  /** The limit it broke (bytes). */
  readonly maxLineBytes: number;
}

/** Receives overlong-line reports; must not throw (an exception is logged and ignored). */
export type RejectionHandler = (rejection: LineRejection) => void;

/** `handler` made safe to call from a reader: an exception it throws is logged and ignored; none given: nothing. */
export const guardedRejectionHandler = (handler: RejectionHandler | undefined): RejectionHandler => (rejection) => {
  try {
    handler?.(rejection);
  } catch (error) {
    log.error('onRejected handler threw; ignored', { path: rejection.path, offset: rejection.offset, error: String(error) });
  }
};
