// Positional readers over a plain file or the decompressed stream of a .gz file, for the line buffer.

import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';

/** Reads bytes of one file; positions are in the decompressed stream for `.gz`. */
export interface ByteReader {
  /**
   * Reads up to `length` bytes at `position` into `into[at..]`; resolves with the count, 0 at the end.
   * Rejects on I/O errors (and, for `.gz`, on corrupt data or a position behind the last one read).
   */
  read(into: Buffer, at: number, length: number, position: number): Promise<number>;
  /** Bytes consumed from the disk so far (compressed bytes for `.gz`): for progress reports. */
  readonly diskBytes: number;
  close(): Promise<void>;
}

/** `.gz` by name, the way Wazuh names compressed alert archives. */
export const isGzipPath = (path: string): boolean => path.endsWith('.gz');

/** A reader over an open handle; it does not own the handle unless `owned` (then close() closes it). */
export const handleReader = (handle: FileHandle, owned = false): ByteReader => {
  let diskBytes = 0;
  return {
    async read(into, at, length, position) {
      const { bytesRead } = await handle.read(into, at, length, position);
      if (position + bytesRead > diskBytes) diskBytes = position + bytesRead;
      return bytesRead;
    },
    get diskBytes() {
      return diskBytes;
    },
    async close() {
      if (owned) await handle.close();
    },
  };
};

/** 64 KiB: the decompressed chunk size; one chunk is all a gzip reader holds. */
const GZIP_CHUNK_BYTES = 64 * 1024;

/**
 * A sequential reader over the decompressed stream of a `.gz` file (multi-member files included).
 * A position ahead of the stream skips bytes (to resume a cursor); one behind it rejects.
 * With `handle`, that open file is read (and closed with the reader) instead of opening `path`.
 */
export const gzipReader = (path: string, handle?: FileHandle): ByteReader => {
  const source = createReadStream(path, { highWaterMark: GZIP_CHUNK_BYTES, ...(handle ? { fd: handle } : {}) });
  const gunzip = createGunzip({ chunkSize: GZIP_CHUNK_BYTES });
  source.on('error', (error) => gunzip.destroy(error));
  source.pipe(gunzip);
  const chunks = gunzip[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let pending: Buffer | undefined;
  let pendingAt = 0;
  let streamPosition = 0;
  let ended = false;

  const fillPending = async (): Promise<boolean> => {
    while (!ended && (pending === undefined || pendingAt >= pending.length)) {
      const step = await chunks.next();
      if (step.done) ended = true;
      else {
        pending = step.value;
        pendingAt = 0;
      }
    }
    return !ended;
  };

  return {
    async read(into, at, length, position) {
      if (position < streamPosition) throw new RangeError(`gzip stream of ${path} is read sequentially: position ${position} is behind ${streamPosition}`);
      while (position > streamPosition) {
        if (!(await fillPending())) return 0;
        const skip = Math.min(position - streamPosition, (pending as Buffer).length - pendingAt);
        pendingAt += skip;
        streamPosition += skip;
      }
      if (length === 0 || !(await fillPending())) return 0;
      const buffer = pending as Buffer;
      const copied = buffer.copy(into, at, pendingAt, Math.min(buffer.length, pendingAt + length));
      pendingAt += copied;
      streamPosition += copied;
      return copied;
    },
    get diskBytes() {
      return source.bytesRead;
    },
    async close() {
      ended = true;
      source.destroy();
      gunzip.destroy();
    },
  };
};

/** Opens the right reader for a path: gzip by name, else the plain file (owned handle). */
export const openByteReader = async (path: string): Promise<ByteReader> =>
  isGzipPath(path) ? gzipReader(path) : handleReader(await open(path, 'r'), true);

/**
 * Opens the right reader for a path and says which inode it reads: the one the name pointed at when
 * opened, whatever the name points at later (a rotation renaming files meanwhile); a plain file's `stat`
 * reads that inode's size and last write. Rejects on I/O errors.
 */
export const openPinnedReader = async (
  path: string,
): Promise<{ reader: ByteReader; dev: number; ino: number; stat?: () => Promise<{ size: number; mtimeMs: number }> }> => {
  const handle = await open(path, 'r');
  try {
    const { dev, ino } = await handle.stat();
    // `stat`: plain files only (a writer may still append to one just rotated; nobody appends to a .gz).
    return isGzipPath(path) ? { reader: gzipReader(path, handle), dev, ino } : { reader: handleReader(handle, true), dev, ino, stat: () => handle.stat() };
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw error;
  }
};

/** Reads the first `length` bytes (fewer when the stream is shorter). */
export const readPrefix = async (reader: ByteReader, length: number): Promise<Buffer> => {
  const prefix = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const n = await reader.read(prefix, filled, length - filled, filled);
    if (n === 0) break;
    filled += n;
  }
  return filled === length ? prefix : prefix.subarray(0, filled);
};
