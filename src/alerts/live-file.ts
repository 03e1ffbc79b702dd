// The open alerts.json of a follower: its handle, identity and first bytes, and what happened to its name.

import { open, stat, type FileHandle } from 'node:fs/promises';
import { log } from '../telemetry/log.js';
import { handleReader, readPrefix, type ByteReader } from './byte-reader.js';
import { FINGERPRINT_BYTES, fingerprintOf, type FileIdentity } from './file-identity.js';

/** What happened to the followed file since it was last looked at. */
export type FileChange = 'same' | 'replaced' | 'gone' | 'truncated';

/** 64 KiB: how far back from the end `startAt: 'end'` looks for the start of a line being written. */
const LINE_START_SEARCH_BYTES = 64 * 1024;

/**
 * An opened live file. It keeps its first bytes (up to 1 KiB, the fingerprinted prefix) to notice a
 * truncation even when the file has grown past the reader's offset again before the follower looked.
 */
export class LiveFile {
  readonly path: string;
  readonly handle: FileHandle;
  readonly reader: ByteReader;
  #identity: FileIdentity;
  #prefix: Buffer;

  private constructor(path: string, handle: FileHandle, identity: FileIdentity, prefix: Buffer) {
    this.path = path;
    this.handle = handle;
    this.reader = handleReader(handle);
    this.#identity = identity;
    this.#prefix = prefix;
  }

  /** Opens and identifies `path`; rejects on I/O errors (the handle is closed then). */
  static async open(path: string): Promise<LiveFile> {
    const handle = await open(path, 'r');
    try {
      const { dev, ino, size } = await handle.stat();
      const prefix = await readPrefix(handleReader(handle), Math.min(size, FINGERPRINT_BYTES));
      return new LiveFile(path, handle, { dev, ino, fingerprint: fingerprintOf(prefix), fingerprintLength: prefix.length }, prefix);
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw error;
    }
  }

  get identity(): FileIdentity {
    return this.#identity;
  }

  /** True once the fingerprint covers 1 KiB or everything read so far. */
  identityCovers(readPosition: number): boolean {
    return this.#prefix.length >= FINGERPRINT_BYTES || readPosition <= this.#prefix.length;
  }

  /** Re-reads the prefix (a file opened short has grown, or was truncated); keeps the old identity on errors. */
  async refresh(): Promise<FileIdentity> {
    try {
      const { size } = await this.handle.stat();
      this.#prefix = await readPrefix(this.reader, Math.min(size, FINGERPRINT_BYTES));
      this.#identity = { ...this.#identity, fingerprint: fingerprintOf(this.#prefix), fingerprintLength: this.#prefix.length };
    } catch {
      // The next check reports the error.
    }
    return this.#identity;
  }

  /** Offset of the start of the last line (complete or being written) at the end of the file. */
  async endOffset(): Promise<number> {
    const { size } = await this.handle.stat();
    const window = Math.min(size, LINE_START_SEARCH_BYTES);
    const tail = Buffer.alloc(window);
    const { bytesRead } = await this.handle.read(tail, 0, window, size - window);
    const lastNewline = tail.subarray(0, bytesRead).lastIndexOf(10);
    return lastNewline < 0 && size > window ? size : size - window + lastNewline + 1;
  }

  /** Where to begin: `'end'` (see endOffset), or a saved offset — 0, with a warning, when the file is now shorter. */
  async startOffset(at: number | 'end'): Promise<number> {
    if (at === 'end') return this.endOffset();
    const size = await this.size();
    if (at <= size) return at;
    log.warning('saved offset is past the end of alerts.json (truncated?); reading it from the start', { path: this.path, offset: at, size });
    return 0;
  }

  /** True when the open file (not whatever the name points at now) starts with the bytes `identity` fingerprinted. */
  async matches(identity: FileIdentity): Promise<boolean> {
    if (identity.fingerprintLength === 0) return true;
    try {
      const prefix = await readPrefix(this.reader, identity.fingerprintLength);
      return prefix.length === identity.fingerprintLength && fingerprintOf(prefix) === identity.fingerprint;
    } catch {
      return false;
    }
  }

  /** Current size of the open file. */
  async size(): Promise<number> {
    return (await this.handle.stat()).size;
  }

  /**
   * Compares the name with the open file: another inode under the name (`replaced`), no file under
   * it (`gone`), or the open file shorter than `readPosition` or with other first bytes (`truncated`).
   * Rejects on I/O errors of the open file.
   */
  async check(readPosition: number): Promise<FileChange> {
    try {
      const named = await stat(this.path);
      if (named.ino !== this.#identity.ino || named.dev !== this.#identity.dev) return 'replaced';
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    }
    if ((await this.size()) < readPosition) return 'truncated';
    if (this.#prefix.length > 0) {
      const now = await readPrefix(this.reader, this.#prefix.length);
      if (!now.equals(this.#prefix)) return 'truncated';
    }
    return 'same';
  }

  async close(): Promise<void> {
    await this.handle.close().catch(() => undefined);
  }
}
