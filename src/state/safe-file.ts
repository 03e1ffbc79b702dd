// Opening and writing state files without following symlinks: O_NOFOLLOW opens, random O_EXCL temp files, atomic writes.

import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { open, readdir, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

const { O_APPEND, O_CREAT, O_EXCL, O_NOFOLLOW, O_RDONLY, O_RDWR, O_WRONLY } = constants;

/** 0600: state files hold alerts and positions, for the daemon's user only. */
export const STATE_FILE_MODE = 0o600;

/**
 * Opens `path` with `flags | O_NOFOLLOW`: when its last component is a symbolic link the open fails
 * (code `ELOOP`, the message naming the path) instead of reaching whatever the link points at.
 * Other errors are the file system's (ENOENT, EACCES, ENOSPC…), code kept.
 */
export const openNoFollow = async (path: string, flags: number, mode: number = STATE_FILE_MODE): Promise<FileHandle> => {
  try {
    return await open(path, flags | O_NOFOLLOW, mode);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOOP') throw error;
    throw Object.assign(new Error(`${path} is a symbolic link: refused (ELOOP)`, { cause: error }), { code: 'ELOOP', path });
  }
};

/** The whole content of a state file, never through a symlink. Rejects with ENOENT when there is none. */
export const readStateFile = async (path: string): Promise<Buffer> => {
  const handle = await openNoFollow(path, O_RDONLY);
  try {
    return await handle.readFile();
  } finally {
    await handle.close();
  }
};

/** A file opened for appending (created `mode` when missing; also readable with `read`), never through a symlink. */
export const openAppend = (path: string, options: { readonly mode?: number; readonly read?: boolean } = {}): Promise<FileHandle> =>
  openNoFollow(path, (options.read ? O_RDWR : O_WRONLY) | O_APPEND | O_CREAT, options.mode ?? STATE_FILE_MODE);

/**
 * Writes every byte of `data` at the handle's position (the end, for an append handle). A short write
 * (a disk filling up) is continued; a write that makes no progress rejects. Node's `write()` returns
 * short counts silently, which is how a half-written line would get into a file.
 */
export const writeAll = async (handle: FileHandle, data: string | Uint8Array): Promise<void> => {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let done = 0;
  while (done < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, done, bytes.length - done);
    if (bytesWritten <= 0) throw Object.assign(new Error(`no progress writing ${bytes.length - done} bytes`), { code: 'EIO' });
    done += bytesWritten;
  }
};

/** A new temp file next to `path`: a random name, created O_EXCL|O_NOFOLLOW, mode 0600, open for writing. */
export const createTempFile = async (path: string): Promise<{ readonly path: string; readonly handle: FileHandle }> => {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(8).toString('hex')}.tmp`);
  return { path: temp, handle: await openNoFollow(temp, O_WRONLY | O_CREAT | O_EXCL, STATE_FILE_MODE) };
};

/** The names createTempFile gives: `.NAME.<16 hex>.tmp`. */
const TEMP_NAME = /^\..+\.[0-9a-f]{16}\.tmp$/;

/**
 * Removes the temp files of atomic writes that a crash (kill -9 between create and rename) left in
 * `dir` (not below it); only names createTempFile gives, only regular files. Call it only where no
 * other process writes (the state lock held). The names removed; never rejects (a missing dir: none).
 */
export const removeLeftoverTempFiles = async (dir: string): Promise<string[]> => {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const removed: string[] = [];
  for (const entry of entries) {
    if (!entry.isFile() || !TEMP_NAME.test(entry.name)) continue;
    if (await unlink(join(dir, entry.name)).then(() => true, () => false)) removed.push(entry.name);
  }
  return removed;
};

/** fsync of a directory, so that a rename or a new file in it survives a crash. */
export const fsyncDir = async (dir: string): Promise<void> => {
  const handle = await open(dir, O_RDONLY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
};

/**
 * Replaces `path` with `data` atomically: a random temp file (see createTempFile) written, fsynced,
 * renamed over `path` (a symlink there is replaced, never followed), then the directory fsynced.
 * A crash leaves the old or the new content. Rejects with the file system error; the temp file is removed.
 */
export const writeFileAtomically = async (path: string, data: string | Uint8Array): Promise<void> => {
  const temp = await createTempFile(path);
  try {
    try {
      await writeAll(temp.handle, data);
      await temp.handle.sync();
    } finally {
      await temp.handle.close();
    }
    await rename(temp.path, path);
  } catch (error) {
    await unlink(temp.path).catch(() => undefined);
    throw error;
  }
  await fsyncDir(dirname(path));
};
