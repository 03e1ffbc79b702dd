// One daemon per state directory: STATE/integratord.lock, created O_EXCL, holds the pid of the daemon that owns it.

import { constants } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { IntegratordError, errorCode } from '../errors.js';
import { log } from '../telemetry/log.js';
import { createTempFile, openNoFollow, readStateFile, writeAll } from './safe-file.js';

const { O_CREAT, O_EXCL, O_WRONLY } = constants;

/** The lock's name under STATE. */
export const LOCK_FILE = 'integratord.lock';
/** 20 looks: a contended start (another daemon taking over the same stale lock) settles in a few ms. */
const MAX_LOOKS = 20;
/** 50 ms: how long a lock without its pid yet (being written) or a takeover in progress is waited for. */
const SETTLE_MS = 50;

export interface StateLock {
  /** STATE/integratord.lock */
  readonly path: string;
  /** Removes the lock if it is still this process's. Never rejects; idempotent. */
  release(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** True when a process with this pid exists (EPERM: it exists but belongs to another user). */
const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

type Holder = { readonly kind: 'gone' } | { readonly kind: 'pid'; readonly pid: number } | { readonly kind: 'unreadable'; readonly text: string };

const parse = (text: string): Holder => (/^[1-9]\d{0,9}\n?$/.test(text) ? { kind: 'pid', pid: Number(text.trim()) } : { kind: 'unreadable', text });

/** Who holds the lock file; a file still without its pid (just created) is given SETTLE_MS to get it. */
const holderOf = async (path: string): Promise<Holder> => {
  for (let look = 0; ; look++) {
    let text: string;
    try {
      text = (await readStateFile(path)).toString('utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'gone' };
      throw error;
    }
    if (text !== '' || look > 0) return parse(text);
    await sleep(SETTLE_MS);
  }
};

const same = (a: Holder, b: Holder): boolean => (a.kind === 'pid' && b.kind === 'pid' ? a.pid === b.pid : a.kind === b.kind && (a.kind !== 'unreadable' || (b.kind === 'unreadable' && a.text === b.text)));

/** Creates `path` holding our pid; false when it exists already. */
const createWithPid = async (path: string): Promise<boolean> => {
  let handle;
  try {
    handle = await openNoFollow(path, O_WRONLY | O_CREAT | O_EXCL);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    await writeAll(handle, `${process.pid}\n`);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await unlink(path).catch(() => undefined);
    throw error;
  }
  await handle.close();
  return true;
};

/**
 * Replaces a stale lock (seen holding `stale`) by ours. Under a second O_EXCL file, so that two
 * daemons that both found the same stale lock never both take it: the one that gets the guard
 * checks the lock is still the stale one and renames its own over it; the other looks again.
 */
const takeOver = async (path: string, stale: Holder): Promise<boolean> => {
  const guard = `${path}.takeover`;
  if (!(await createWithPid(guard))) {
    const other = await holderOf(guard);
    if (other.kind === 'pid' && other.pid !== process.pid && isRunning(other.pid)) await sleep(SETTLE_MS);
    else await unlink(guard).catch(() => undefined); // left by a process that died mid-takeover
    return false;
  }
  try {
    if (!same(await holderOf(path), stale)) return false;
    const temp = await createTempFile(path);
    try {
      await writeAll(temp.handle, `${process.pid}\n`);
      await temp.handle.sync();
      await temp.handle.close();
      await rename(temp.path, path);
    } catch (error) {
      await temp.handle.close().catch(() => undefined);
      await unlink(temp.path).catch(() => undefined);
      throw error;
    }
    const was = stale.kind === 'pid' ? `pid ${stale.pid}, which is no longer running` : 'no process (it holds no pid)';
    log.warning(`Took over the state directory lock ${path}: it was left by ${was}.`);
    return true;
  } finally {
    await unlink(guard).catch(() => undefined);
  }
};

/**
 * Takes STATE/integratord.lock for this process: created O_EXCL with our pid. A lock whose pid is
 * not running (a crash, kill -9), or is our own pid (a container restarted with the same pid), is
 * taken over with a warning. The state directory must exist (prepareStateDir).
 * @throws IntegratordError (INTEGRATORD_IO) `state directory … is in use by pid N` when a running
 * process holds it, or when the lock cannot be written.
 */
export const acquireStateLock = async (state: string): Promise<StateLock> => {
  const path = join(state, LOCK_FILE);
  try {
    for (let look = 0; look < MAX_LOOKS; look++) {
      if (await createWithPid(path)) return held(path);
      const holder = await holderOf(path);
      if (holder.kind === 'gone') continue;
      if (holder.kind === 'pid' && holder.pid !== process.pid && isRunning(holder.pid)) {
        throw new IntegratordError('INTEGRATORD_IO', `state directory ${state} is in use by pid ${holder.pid} (another integratord; lock ${path}). Stop it, or give this one its own --state.`);
      }
      if (await takeOver(path, holder)) return held(path);
    }
  } catch (error) {
    if (error instanceof IntegratordError) throw error;
    throw new IntegratordError('INTEGRATORD_IO', `cannot take the state directory lock ${path} (${errorCode(error)})`, { cause: error });
  }
  throw new IntegratordError('INTEGRATORD_IO', `cannot take the state directory lock ${path}: it kept changing (several integratord starting at once?)`);
};

/**
 * The pid of the running process that holds STATE/integratord.lock (a daemon), or undefined when the
 * lock is free, stale or ours. For commands that must leave the state to its owner while it runs.
 */
export const lockHolder = async (state: string): Promise<number | undefined> => {
  const holder = await holderOf(join(state, LOCK_FILE)).catch(() => undefined);
  return holder?.kind === 'pid' && holder.pid !== process.pid && isRunning(holder.pid) ? holder.pid : undefined;
};

/** True while a process with this pid runs (for a command waiting on a daemon). */
export const processRunning = (pid: number): boolean => isRunning(pid);

const held = (path: string): StateLock => {
  let released: Promise<void> | undefined;
  return {
    path,
    release: () =>
      (released ??= (async () => {
        const holder = await holderOf(path).catch(() => undefined);
        if (holder?.kind === 'pid' && holder.pid === process.pid) await unlink(path).catch(() => undefined);
      })()),
  };
};
