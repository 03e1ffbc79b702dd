// Which file a position belongs to: device, inode and a fingerprint of the first bytes (survives gzip).

import { createHash } from 'node:crypto';
import { stat, type FileHandle } from 'node:fs/promises';
import { gzipReader, handleReader, isGzipPath, openByteReader, readPrefix } from './byte-reader.js';

/** 1 KiB: about one alert, enough to tell two alert files apart (each starts with a ms timestamp and id). */
export const FINGERPRINT_BYTES = 1024;
/** 32 hex characters (128 bits) of the sha256: collision-free in practice, shorter cursor files. */
const FINGERPRINT_HEX_CHARS = 32;

/**
 * A file as a cursor remembers it. `fingerprint` hashes the first `fingerprintLength` bytes
 * (`min(size, 1024)` when identified), so a file that has grown since is checked by hashing the same
 * length of the candidate. For a `.gz` file the bytes are those of the decompressed stream.
 */
export interface FileIdentity {
  readonly dev: number;
  readonly ino: number;
  readonly fingerprint: string;
  readonly fingerprintLength: number;
}

/** The fingerprint of some bytes: sha256, hex, first 32 characters. */
export const fingerprintOf = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex').slice(0, FINGERPRINT_HEX_CHARS);

/**
 * Identifies an open file (by its handle: the inode, whatever its name is now) or a path.
 * A path ending in `.gz` is fingerprinted on its decompressed bytes, so that it matches the plain
 * file it was compressed from. Rejects on I/O errors (ENOENT, EACCES, corrupt gzip).
 */
export const identify = async (target: FileHandle | string): Promise<FileIdentity> => {
  if (typeof target !== 'string') {
    const { dev, ino, size } = await target.stat();
    const prefix = await readPrefix(handleReader(target), Math.min(size, FINGERPRINT_BYTES));
    return { dev, ino, fingerprint: fingerprintOf(prefix), fingerprintLength: prefix.length };
  }
  const { dev, ino } = await stat(target);
  const reader = isGzipPath(target) ? gzipReader(target) : await openByteReader(target);
  try {
    const prefix = await readPrefix(reader, FINGERPRINT_BYTES);
    return { dev, ino, fingerprint: fingerprintOf(prefix), fingerprintLength: prefix.length };
  } finally {
    await reader.close();
  }
};

/**
 * True when the file at `path` starts with the bytes `identity` fingerprinted (it hashes the same
 * length of the candidate; `.gz` is decompressed). An identity of an empty file has no fingerprint
 * and matches any file. Never rejects: an unreadable or shorter file does not match.
 */
export const matchesFingerprint = async (path: string, identity: FileIdentity): Promise<boolean> => {
  if (identity.fingerprintLength === 0) return true;
  let reader;
  try {
    reader = await openByteReader(path);
    const prefix = await readPrefix(reader, identity.fingerprintLength);
    return prefix.length === identity.fingerprintLength && fingerprintOf(prefix) === identity.fingerprint;
  } catch {
    return false;
  } finally {
    await reader?.close().catch(() => undefined);
  }
};
