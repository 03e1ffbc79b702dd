// Where blocks keep their noise state across restarts: one small interface, a file-backed and an in-memory implementation.

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileSafeName } from '../config/block-identity.js';
import { readStateFile, writeFileAtomically } from '../state/safe-file.js';
import type { NoiseSnapshot } from './noise-state.js';

/**
 * A block's noise state by block id. `save` never throws and may coalesce (the latest snapshot wins);
 * `flush` resolves once every saved snapshot is written. A shared store for a Wazuh cluster's nodes
 * would implement the same three methods.
 */
export interface NoiseStore {
  /** The block's last saved snapshot; undefined when there is none or it is unreadable (logged by the caller). */
  load(blockId: string): Promise<NoiseSnapshot | undefined>;
  save(blockId: string, snapshot: NoiseSnapshot): void;
  flush(): Promise<void>;
}

/** Keeps snapshots in memory: replay, library runs and specs (nothing survives the process). */
export class MemoryNoiseStore implements NoiseStore {
  readonly #snapshots = new Map<string, NoiseSnapshot>();
  load(blockId: string): Promise<NoiseSnapshot | undefined> {
    return Promise.resolve(this.#snapshots.get(blockId));
  }
  save(blockId: string, snapshot: NoiseSnapshot): void {
    this.#snapshots.set(blockId, snapshot);
  }
  flush(): Promise<void> {
    return Promise.resolve();
  }
}

const isSnapshot = (u: unknown): u is NoiseSnapshot =>
  typeof u === 'object' && u !== null && typeof (u as NoiseSnapshot).dedup === 'object' && typeof (u as NoiseSnapshot).groups === 'object';

/**
 * STATE/noise/<block id>.json, each written atomically (writeFileAtomically: temp file, fsync, rename),
 * never through a symlink. One write per block at a time; saves made meanwhile coalesce into the next
 * write. A failed write is reported to `onError` and retried by the next save or flush. A file that
 * is not a snapshot loads as none (its block starts with empty windows: alerts may be sent again, none lost).
 */
export class FileNoiseStore implements NoiseStore {
  readonly #dir: string;
  readonly #onError: (blockId: string, error: unknown) => void;
  readonly #pending = new Map<string, NoiseSnapshot>();
  readonly #writing = new Map<string, Promise<void>>();

  constructor(stateDir: string, onError: (blockId: string, error: unknown) => void = () => undefined) {
    this.#dir = join(stateDir, 'noise');
    this.#onError = onError;
  }

  #path(blockId: string): string {
    return join(this.#dir, `${fileSafeName(blockId)}.json`);
  }

  async load(blockId: string): Promise<NoiseSnapshot | undefined> {
    try {
      const parsed: unknown = JSON.parse((await readStateFile(this.#path(blockId))).toString('utf8'));
      return isSnapshot(parsed) ? parsed : undefined;
    } catch {
      return undefined;
    }
  }

  save(blockId: string, snapshot: NoiseSnapshot): void {
    this.#pending.set(blockId, snapshot);
    if (!this.#writing.has(blockId)) this.#writing.set(blockId, this.#drain(blockId));
  }

  async flush(): Promise<void> {
    while (this.#writing.size > 0) await Promise.all([...this.#writing.values()]);
  }

  async #drain(blockId: string): Promise<void> {
    try {
      await mkdir(this.#dir, { recursive: true, mode: 0o700 });
      for (let next = this.#pending.get(blockId); next !== undefined; next = this.#pending.get(blockId)) {
        this.#pending.delete(blockId);
        try {
          await writeFileAtomically(this.#path(blockId), `${JSON.stringify(next)}\n`);
        } catch (error) {
          this.#onError(blockId, error);
        }
      }
    } catch (error) {
      this.#onError(blockId, error);
    } finally {
      this.#writing.delete(blockId);
    }
  }
}
