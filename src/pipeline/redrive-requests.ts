// `dlq redrive` while a daemon owns the state directory: the command asks, the daemon (the one owner) redrives and answers.

import { randomBytes } from 'node:crypto';
import { readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { readStateFile, writeFileAtomically } from '../state/safe-file.js';
import { ensurePrivateDir } from '../state/state-dir.js';
import type { RedriveResult } from './redrive.js';

/** STATE/redrive-requests/: `<id>.request.json` written by `dlq redrive`, `<id>.result.json` by the daemon. */
export const requestsDir = (state: string): string => join(state, 'redrive-requests');

export interface RedriveRequest {
  readonly id: string;
  /** Block ids whose files are redriven; undefined: every file. */
  readonly blocks?: readonly string[];
}

const REQUEST = /^([0-9a-f]{16})\.request\.json$/;

/** Writes a request (atomically, 0600); resolves with its id. */
export const requestRedrive = async (state: string, blocks: readonly string[] | undefined): Promise<string> => {
  const dir = requestsDir(state);
  await ensurePrivateDir(dir);
  const id = randomBytes(8).toString('hex');
  await writeFileAtomically(join(dir, `${id}.request.json`), JSON.stringify(blocks === undefined ? {} : { blocks }));
  return id;
};

/** The requests waiting (the daemon's side), oldest name order; unreadable ones are removed and skipped. */
export const pendingRedriveRequests = async (state: string): Promise<RedriveRequest[]> => {
  let names: string[];
  try {
    names = await readdir(requestsDir(state));
  } catch {
    return [];
  }
  const requests: RedriveRequest[] = [];
  for (const name of names.sort()) {
    const id = REQUEST.exec(name)?.[1];
    if (id === undefined) continue;
    const path = join(requestsDir(state), name);
    try {
      const value = JSON.parse((await readStateFile(path)).toString('utf8')) as { blocks?: unknown };
      const blocks = Array.isArray(value.blocks) ? value.blocks.filter((b): b is string => typeof b === 'string') : undefined;
      requests.push(blocks === undefined ? { id } : { id, blocks });
    } catch {
      await unlink(path).catch(() => undefined);
    }
  }
  return requests;
};

/** The daemon's answer: the results, written atomically; the request is removed. */
export const answerRedriveRequest = async (state: string, id: string, results: readonly RedriveResult[]): Promise<void> => {
  await writeFileAtomically(join(requestsDir(state), `${id}.result.json`), JSON.stringify(results));
  await unlink(join(requestsDir(state), `${id}.request.json`)).catch(() => undefined);
};

/**
 * Waits for the daemon's answer to request `id` (polled every 100 ms) and removes it; undefined when
 * `alive()` turns false first (the daemon stopped: the request is withdrawn) or after `timeoutMs`.
 */
export const awaitRedriveResult = async (state: string, id: string, alive: () => boolean, timeoutMs: number): Promise<RedriveResult[] | undefined> => {
  const result = join(requestsDir(state), `${id}.result.json`);
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const results = JSON.parse((await readStateFile(result)).toString('utf8')) as RedriveResult[];
      await unlink(result).catch(() => undefined);
      return results;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (!alive() || Date.now() > until) {
      await unlink(join(requestsDir(state), `${id}.request.json`)).catch(() => undefined);
      return undefined;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};
