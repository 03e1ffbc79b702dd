// One durable cursor per <integration> block in STATE/cursors/<block id>.json, written atomically and throttled.

import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { readStateFile, removeLeftoverTempFiles, writeFileAtomically } from '../state/safe-file.js';
import { ensurePrivateDir } from '../state/state-dir.js';
import { log } from '../telemetry/log.js';
import type { FileIdentity } from './file-identity.js';
import { errorCode } from '../errors.js';

/**
 * 100 ms: at most ten fsync'd writes per block per second, so a crash replays (duplicates) at most
 * ~100 ms of deliveries beyond the in-flight window. Measured by the kill -9 reliability spec:
 * 1000 ms left ~4,000 duplicates per kill at 4k deliveries/s; 100 ms costs ~3% CPU; writing on every
 * settle doubles the CPU of a replay.
 */
export const DEFAULT_FLUSH_MS = 100;

/** A position to save: the block's low watermark. */
export interface CursorPosition {
  readonly identity: FileIdentity;
  readonly path: string;
  readonly offset: number;
}

/** The file format (version 1). */
export interface StoredCursor extends CursorPosition {
  readonly version: 1;
  /** ISO 8601 time of the write. */
  readonly updatedAt: string;
}

/** A block's cursor key: its id (config/block-identity.ts), so that moving or editing other blocks keeps it. */
export const cursorKey = (block: { readonly id: string }): string => block.id;

/**
 * The key of versions before block ids: `${index}-${name}` with the name made filename-safe
 * (`custom-x/y` → `custom-x_y`), at most 100 characters. Only to find files to migrate.
 */
export const legacyCursorKey = (index: number, name: string): string => `${index}-${name.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100)}`;

/**
 * The subdirectory of `STATE/cursors/` for the cursors of `alertsFile`: none for the default
 * alerts.json (where cursors always were), else the first 12 hex digits of sha256 of its absolute
 * path, so that a one-off `run --alerts OTHER` never overwrites the cursors of alerts.json.
 */
export const cursorScope = (alertsFile: string, defaultAlertsFile: string): string | undefined => {
  const file = resolve(alertsFile);
  return file === resolve(defaultAlertsFile) ? undefined : createHash('sha256').update(file).digest('hex').slice(0, 12);
};

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

const isStoredCursor = (v: unknown): v is StoredCursor => {
  if (typeof v !== 'object' || v === null) return false;
  const c = v as Record<string, unknown>;
  const id = c['identity'] as Record<string, unknown> | null | undefined;
  return (
    c['version'] === 1 &&
    typeof c['path'] === 'string' &&
    isCount(c['offset']) &&
    typeof id === 'object' &&
    id !== null &&
    isCount(id['dev']) &&
    isCount(id['ino']) &&
    typeof id['fingerprint'] === 'string' &&
    isCount(id['fingerprintLength'])
  );
};

interface Slot {
  pending: CursorPosition | undefined;
  lastWrite: number;
  timer: NodeJS.Timeout | undefined;
  writing: Promise<void>;
  /** The error of the last failed write, until a write succeeds. */
  lastError: string | undefined;
}

/** What `flush()` could not write: the cursors a restart would not resume from. */
export interface CursorFlushReport {
  readonly unsaved: readonly { readonly key: string; readonly path: string; readonly offset: number; readonly error: string }[];
}

/**
 * Cursors of every block under `STATE/cursors/` (or a scope under it). `save()` is cheap and may be called per line: the
 * latest position is written at most once every `flushMs` per block (a random O_EXCL temp file, fsync,
 * rename, fsync of the directory; a symlink is never followed), so a crash leaves the previous or the new cursor, never a torn one. Write
 * failures are logged and retried on the next save or flush; nothing here throws.
 */
export class CursorStore {
  readonly #dir: string;
  readonly #flushMs: number;
  readonly #slots = new Map<string, Slot>();
  #dirReady: Promise<void> | undefined;

  /** `scope`: a subdirectory of `STATE/cursors/` (see cursorScope). */
  constructor(stateDir: string, options: { flushMs?: number; scope?: string | undefined } = {}) {
    this.#dir = options.scope === undefined ? join(stateDir, 'cursors') : join(stateDir, 'cursors', options.scope);
    this.#flushMs = options.flushMs ?? DEFAULT_FLUSH_MS;
  }

  /**
   * Removes the temp files a kill -9 left in `STATE/cursors/` and its scope directories (a cursor is
   * written to a temp file, then renamed). Only while the state lock is held: nothing else writes
   * cursors then. Logs what it removed; never rejects.
   */
  static async removeLeftovers(stateDir: string): Promise<void> {
    const root = join(stateDir, 'cursors');
    const scopes = await readdir(root, { withFileTypes: true }).catch(() => []);
    const dirs = [root, ...scopes.filter((e) => e.isDirectory()).map((e) => join(root, e.name))];
    for (const dir of dirs) {
      const removed = await removeLeftoverTempFiles(dir);
      if (removed.length > 0) log.info(`Removed ${removed.length} cursor temp file(s) left by an interrupted write.`, { dir });
    }
  }

  /** The file a key is stored in. */
  pathOf(key: string): string {
    return join(this.#dir, `${key}.json`);
  }

  /** The saved cursor, or undefined when there is none or it is unreadable/corrupt (then a warning is logged). */
  async load(key: string): Promise<StoredCursor | undefined> {
    const path = this.pathOf(key);
    let text: string;
    try {
      text = (await readStateFile(path)).toString('utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') log.warning('cannot read a saved cursor; starting without it', { path, error: errorCode(error) });
      return undefined;
    }
    try {
      const value: unknown = JSON.parse(text);
      if (isStoredCursor(value)) return value;
    } catch {
      // reported below
    }
    log.warning('saved cursor is corrupt; starting without it', { path });
    return undefined;
  }

  /** Records the block's latest position; written now if the last write is `flushMs` old, else when it is. */
  save(key: string, position: CursorPosition): void {
    const slot = this.#slot(key);
    slot.pending = position;
    if (slot.timer) return;
    const delay = Math.max(0, slot.lastWrite + this.#flushMs - Date.now());
    slot.timer = setTimeout(() => {
      slot.timer = undefined;
      void this.#write(key, slot);
    }, delay);
    slot.timer.unref();
  }

  /**
   * Writes every pending position now and waits for all writes (shutdown). Never rejects: resolves
   * with the cursors whose latest position could not be written (empty when every one was saved).
   */
  async flush(): Promise<CursorFlushReport> {
    const slots = [...this.#slots];
    await Promise.all(
      slots.map(([key, slot]) => {
        clearTimeout(slot.timer);
        slot.timer = undefined;
        return this.#write(key, slot);
      }),
    );
    const unsaved = slots.flatMap(([key, slot]) =>
      slot.pending === undefined ? [] : [{ key, path: this.pathOf(key), offset: slot.pending.offset, error: slot.lastError ?? 'not written' }],
    );
    return { unsaved };
  }

  #slot(key: string): Slot {
    let slot = this.#slots.get(key);
    if (!slot) {
      slot = { pending: undefined, lastWrite: 0, timer: undefined, writing: Promise.resolve(), lastError: undefined };
      this.#slots.set(key, slot);
    }
    return slot;
  }

  /** Chains after the slot's previous write so that two writes of one key never overlap. */
  #write(key: string, slot: Slot): Promise<void> {
    slot.writing = slot.writing.then(async () => {
      const position = slot.pending;
      if (!position) return;
      slot.pending = undefined;
      slot.lastWrite = Date.now();
      const stored: StoredCursor = { version: 1, identity: position.identity, path: position.path, offset: position.offset, updatedAt: new Date(slot.lastWrite).toISOString() };
      try {
        await this.#writeAtomically(this.pathOf(key), `${JSON.stringify(stored)}\n`);
        slot.lastError = undefined;
      } catch (error) {
        slot.lastError = errorCode(error);
        log.warning('cannot save a cursor; will retry', { path: this.pathOf(key), offset: position.offset, error: errorCode(error) });
        slot.pending ??= position;
      }
    });
    return slot.writing;
  }

  async #writeAtomically(path: string, text: string): Promise<void> {
    this.#dirReady ??= ensurePrivateDir(this.#dir);
    await this.#dirReady.catch((error: unknown) => {
      this.#dirReady = undefined;
      throw error;
    });
    await writeFileAtomically(path, text);
  }
}
