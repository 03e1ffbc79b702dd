// Where blocks keep their noise state across restarts: an append-only journal per block, compacted now and then; in memory for replays.

import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { fileSafeName } from '../config/block-identity.js';
import { checkStateDir, ensurePrivateDir } from '../state/state-dir.js';
import { openAppend, readStateFile, writeAll, writeFileAtomically } from '../state/safe-file.js';
import type { NoiseEntry } from './noise-journal.js';

/**
 * A block's noise journal by block id. `append` never throws and costs what its changes cost (never
 * the whole state): `whole` is called only to compact, once the journal has grown to twice its last
 * compacted size. `load` returns the journal's lines (parsed; a torn last line skipped), for
 * restoreNoise. `flush` resolves once every append is durable. A shared store for a Wazuh cluster's
 * nodes would implement the same three methods.
 */
export interface NoiseStore {
  load(blockId: string): Promise<readonly unknown[] | undefined>;
  append(blockId: string, changes: readonly NoiseEntry[], whole: () => readonly NoiseEntry[]): void;
  flush(): Promise<void>;
}

/** Journal lines kept before a compaction is due, at least (the memory store), and bytes (the file store). */
export const COMPACT_MIN_LINES = 1000;
export const COMPACT_MIN_BYTES = 1024 * 1024;

/** Keeps journals in memory: replay, library runs and specs (nothing survives the process). */
export class MemoryNoiseStore implements NoiseStore {
  readonly #journals = new Map<string, { lines: NoiseEntry[]; compacted: number }>();
  load(blockId: string): Promise<readonly unknown[] | undefined> {
    return Promise.resolve(this.#journals.get(blockId)?.lines.slice());
  }
  append(blockId: string, changes: readonly NoiseEntry[], whole: () => readonly NoiseEntry[]): void {
    const journal = this.#journals.get(blockId) ?? { lines: [], compacted: 0 };
    this.#journals.set(blockId, journal);
    for (const change of changes) journal.lines.push(change);
    if (journal.lines.length > Math.max(COMPACT_MIN_LINES, 2 * journal.compacted)) {
      journal.lines = [...whole()];
      journal.compacted = journal.lines.length;
    }
  }
  flush(): Promise<void> {
    return Promise.resolve();
  }
}

const linesOf = (text: string): unknown[] => {
  const out: unknown[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    try {
      out.push(JSON.parse(line));
    } catch {
      // A line torn by a crash (kill -9 mid-write), or not ours: skipped.
    }
  }
  return out;
};

/** The snapshot file of versions before the journal (<block id>.json, keys as JSON), as journal lines. */
const legacyLines = (text: string): unknown[] => {
  const hash = (json: string) => createHash('sha256').update(json).digest('base64url').slice(0, 22);
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null) return [];
  const { dedup, groups, hour } = parsed as { dedup?: Record<string, object>; groups?: Record<string, object>; hour?: unknown };
  return [
    ...Object.entries(dedup ?? {}).map(([key, entry]) => ({ ...entry, d: hash(key) })),
    ...Object.entries(groups ?? {}).map(([key, entry]) => ({ ...entry, g: hash(key), values: {} })),
    ...(hour === undefined ? [] : [{ hour }]),
  ];
};

/**
 * STATE/noise/<block id>.journal: one JSON line per change, appended and fsynced (O_APPEND|O_NOFOLLOW,
 * 0600, in a 0700 directory), one write per block at a time (appends made meanwhile join the next
 * write). Past twice its last compacted size (at least COMPACT_MIN_BYTES) it is rewritten atomically
 * with the whole state. Its size is bounded by the block's caps (keys are fixed-size digests, values
 * truncated). A failed write is reported to `onError`; its lines are written with the next append.
 */
export class FileNoiseStore implements NoiseStore {
  readonly #state: string;
  readonly #dir: string;
  readonly #onError: (blockId: string, error: unknown) => void;
  readonly #pending = new Map<string, { lines: string[]; whole: () => readonly NoiseEntry[] }>();
  readonly #sizes = new Map<string, { bytes: number; compacted: number }>();
  readonly #writing = new Map<string, Promise<void>>();

  constructor(stateDir: string, onError: (blockId: string, error: unknown) => void = () => undefined) {
    this.#state = stateDir;
    this.#dir = join(stateDir, 'noise');
    this.#onError = onError;
  }

  #path(blockId: string, ext = 'journal'): string {
    return join(this.#dir, `${fileSafeName(blockId)}.${ext}`);
  }

  async load(blockId: string): Promise<readonly unknown[] | undefined> {
    // A restarted block (reload) reads what its previous run journaled at its stop.
    if (this.#writing.has(blockId) || this.#pending.has(blockId)) await this.flush();
    try {
      await this.#checkDir();
      const text = (await readStateFile(this.#path(blockId))).toString('utf8');
      this.#sizes.set(blockId, { bytes: Buffer.byteLength(text), compacted: 0 });
      return linesOf(text);
    } catch {
      try {
        return legacyLines((await readStateFile(this.#path(blockId, 'json'))).toString('utf8'));
      } catch {
        return undefined;
      }
    }
  }

  append(blockId: string, changes: readonly NoiseEntry[], whole: () => readonly NoiseEntry[]): void {
    const pending = this.#pending.get(blockId) ?? { lines: [], whole };
    pending.whole = whole;
    for (const change of changes) pending.lines.push(`${JSON.stringify(change)}\n`);
    this.#pending.set(blockId, pending);
    if (!this.#writing.has(blockId)) this.#writing.set(blockId, this.#drain(blockId));
  }

  async flush(): Promise<void> {
    // Lines left by a failed write are tried once more here (stop), then reported again if they fail.
    for (const blockId of this.#pending.keys()) if (!this.#writing.has(blockId)) this.#writing.set(blockId, this.#drain(blockId));
    while (this.#writing.size > 0) await Promise.all([...this.#writing.values()]);
  }

  async #drain(blockId: string): Promise<void> {
    try {
      await ensurePrivateDir(this.#dir);
      await this.#checkDir();
      for (let next = this.#pending.get(blockId); next !== undefined; next = this.#pending.get(blockId)) {
        this.#pending.delete(blockId);
        try {
          await this.#write(blockId, next.lines, next.whole);
        } catch (error) {
          this.#onError(blockId, error);
          // Kept for the next append (bounded: a later compaction writes the whole state instead).
          const later = this.#pending.get(blockId);
          if (later === undefined) this.#pending.set(blockId, { lines: [], whole: next.whole });
          this.#sizes.set(blockId, { bytes: Number.POSITIVE_INFINITY, compacted: 0 });
          break;
        }
      }
    } catch (error) {
      this.#onError(blockId, error);
    } finally {
      this.#writing.delete(blockId);
    }
  }

  /** noise/ under the state-directory rules (a directory, ours, not group- or world-writable, not a symlink): else nothing is read or written. */
  #checkDir(): Promise<void> {
    return checkStateDir(this.#state, { subdirectories: ['noise'] });
  }

  async #write(blockId: string, lines: readonly string[], whole: () => readonly NoiseEntry[]): Promise<void> {
    const size = this.#sizes.get(blockId) ?? { bytes: 0, compacted: 0 };
    const text = lines.join('');
    const bytes = Buffer.byteLength(text);
    if (size.bytes + bytes > Math.max(COMPACT_MIN_BYTES, 2 * size.compacted)) {
      const all = whole()
        .map((e) => `${JSON.stringify(e)}\n`)
        .join('');
      await writeFileAtomically(this.#path(blockId), all);
      const written = Buffer.byteLength(all);
      this.#sizes.set(blockId, { bytes: written, compacted: written });
      return;
    }
    if (bytes === 0) return;
    const handle = await openAppend(this.#path(blockId));
    try {
      await writeAll(handle, text);
      await handle.datasync();
    } finally {
      await handle.close();
    }
    this.#sizes.set(blockId, { bytes: size.bytes + bytes, compacted: size.compacted });
  }
}
