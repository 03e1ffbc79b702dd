// The state directory as a trust boundary: created 0700 whatever the umask, refused when unusable or unsafe.

import { chmod, lstat, mkdir, unlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { IntegratordError, errorCode } from '../errors.js';
import { createTempFile } from './safe-file.js';

/** 0700: only the daemon's user may list, plant or replace anything in the state directory. */
export const STATE_DIR_MODE = 0o700;

/** The subdirectories integratord keeps under STATE (each checked like STATE itself). */
export const STATE_SUBDIRECTORIES: readonly string[] = ['cursors', 'dead-letter', 'noise'];


const why: Readonly<Record<string, string>> = {
  ENOTDIR: 'a component of the path is not a directory',
  EEXIST: 'it exists and is not a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
};
const explain = (error: unknown): string => `${errorCode(error)}${why[errorCode(error)] ? `: ${why[errorCode(error)]}` : ''}`;

/**
 * Creates `dir` (and missing parents) with mode 0700 whatever the process umask: mkdir, then chmod of
 * the directories this call created (an operator's existing mode is left alone). Resolves at once when
 * the directory exists. Rejects with the file system error.
 */
export const ensurePrivateDir = async (dir: string): Promise<void> => {
  const target = resolve(dir);
  const first = await mkdir(target, { recursive: true, mode: STATE_DIR_MODE });
  if (first === undefined) return;
  // mkdir's mode goes through the umask, which can only remove bits: set exactly 0700 on what we created.
  for (let path = target; ; path = dirname(path)) {
    await chmod(path, STATE_DIR_MODE);
    if (path === first || path === dirname(path)) break;
  }
};

/**
 * What is wrong with one state directory for the current user, or undefined when it is safe: a
 * directory (not a symlink), owned by this user (or root), neither group- nor world-writable.
 * A planted file or link in a directory someone else can write would be trusted by every command.
 */
const problemOf = async (path: string, optional: boolean, uid: number | undefined): Promise<string | undefined> => {
  let st;
  try {
    st = await lstat(path);
  } catch (error) {
    if (optional && errorCode(error) === 'ENOENT') return undefined;
    return `cannot be read (${explain(error)})`;
  }
  if (st.isSymbolicLink()) return 'is a symbolic link: it must be the directory itself (point --state at the real directory)';
  if (!st.isDirectory()) return 'is not a directory';
  if (uid !== undefined && st.uid !== uid && st.uid !== 0) return `is owned by uid ${st.uid}, not by uid ${uid} that integratord runs as (chown it, or run as its owner)`;
  if ((st.mode & 0o022) !== 0) return `is group- or world-writable (mode ${(st.mode & 0o7777).toString(8).padStart(4, '0')}): anyone who can write there could plant files integratord trusts (chmod go-w it)`;
  return undefined;
};

export interface StateDirOptions {
  /** Subdirectories checked with STATE (default STATE_SUBDIRECTORIES). */
  readonly subdirectories?: readonly string[];
  /** The uid that must own them (default: the process's effective uid; root-owned is accepted too). */
  readonly uid?: number;
}

const dirsOf = (state: string, options: StateDirOptions) => [state, ...(options.subdirectories ?? STATE_SUBDIRECTORIES).map((sub) => join(state, sub))];

/**
 * Checks STATE and each subdirectory that exists, creating nothing (dlq, which only reads and
 * rewrites what is there). Missing directories are fine.
 * @throws IntegratordError (INTEGRATORD_IO) naming the path and what is wrong with it.
 */
export const checkStateDir = async (state: string, options: StateDirOptions = {}): Promise<void> => {
  const uid = options.uid ?? process.geteuid?.();
  for (const path of dirsOf(state, options)) {
    const problem = await problemOf(path, true, uid);
    if (problem !== undefined) throw new IntegratordError('INTEGRATORD_IO', `unsafe state directory: ${path} ${problem}`);
  }
};

/**
 * Before `run` (and a `replay` that writes) starts any block: creates STATE and its subdirectories
 * 0700, checks each as checkStateDir does, and proves each writable by creating and removing a temp
 * file (a read-only mount or directory fails here, not at the first dead letter).
 * @throws IntegratordError (INTEGRATORD_IO) naming the path and what is wrong with it.
 */
export const prepareStateDir = async (state: string, options: StateDirOptions = {}): Promise<void> => {
  const uid = options.uid ?? process.geteuid?.();
  try {
    await ensurePrivateDir(state);
  } catch (error) {
    throw new IntegratordError('INTEGRATORD_IO', `unusable state directory: cannot create ${state} (${explain(error)})`, { cause: error });
  }
  for (const path of dirsOf(state, options)) {
    const before = await problemOf(path, true, uid);
    if (before !== undefined) throw new IntegratordError('INTEGRATORD_IO', `unsafe state directory: ${path} ${before}`);
    try {
      await ensurePrivateDir(path);
      const probe = await createTempFile(join(path, 'write-probe'));
      await probe.handle.close();
      await unlink(probe.path);
    } catch (error) {
      throw new IntegratordError('INTEGRATORD_IO', `unusable state directory: ${path} is not writable (${explain(error)})`, { cause: error });
    }
    const after = await problemOf(path, false, uid);
    if (after !== undefined) throw new IntegratordError('INTEGRATORD_IO', `unsafe state directory: ${path} ${after}`);
  }
};
