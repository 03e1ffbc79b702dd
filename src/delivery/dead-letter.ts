// Dead letters: alerts a block gave up on, one durable JSON line each, per block, for `integratord dlq`.

import { constants } from 'node:fs';
import { readdir, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { createTempFile, fsyncDir, openAppend, openNoFollow, readStateFile, writeAll } from '../state/safe-file.js';
import { ensurePrivateDir } from '../state/state-dir.js';
import { fileSafeName } from '../config/block-identity.js';
import { parseLine, serialise, type DeadLetterEntry, type DeadLetterRecord } from './dead-letter-record.js';

export type { DeadLetterDigest, DeadLetterEntry, DeadLetterRecord } from './dead-letter-record.js';

/** Where the block pipeline writes; resolves once the record is on disk (fsync). */
export interface DeadLetterSink {
  append(record: DeadLetterRecord): Promise<void>;
}

/** One block's file; `id` is the block id it was written for (it may match no current block: orphaned). */
export interface DeadLetterFile {
  readonly id: string;
  readonly path: string;
}

const FILE_PATTERN = /^(.+)\.jsonl$/;

const exists = async (path: string): Promise<boolean> =>
  stat(path).then(
    () => true,
    () => false,
  );

/**
 * The dead-letter files of one state directory: `STATE/dead-letter/<block id>.jsonl`.
 * Appends are serialised per file and fsynced; rewrites (dlq redrive/drop) go through a
 * random O_EXCL temp file and a rename; no file is ever opened through a symlink, and keep lines appended meanwhile by a running daemon.
 */
export class DeadLetterStore implements DeadLetterSink {
  readonly dir: string;
  readonly #queues = new Map<string, Promise<unknown>>();
  readonly #checked = new Set<string>();
  readonly #stamp: (record: DeadLetterRecord) => DeadLetterRecord;

  /** `stamp` completes each appended record (its redrive schedule: pipeline/redrive-schedule.ts); default as it comes. */
  constructor(stateDir: string, options: { readonly stamp?: (record: DeadLetterRecord) => DeadLetterRecord } = {}) {
    this.dir = join(stateDir, 'dead-letter');
    this.#stamp = options.stamp ?? ((record) => record);
  }

  /** A record as `append` writes it (schedule stamped): for rewrites of records sent again. */
  stamp(record: DeadLetterRecord): DeadLetterRecord {
    return this.#stamp(record);
  }

  /** The file of a block, by its id. */
  fileFor(id: string): string {
    return join(this.dir, `${id}.jsonl`);
  }

  /** Where versions before block ids kept the block's records (`<index>-<name>.jsonl`): only to migrate them. */
  legacyFileFor(block: number, integration: string): string {
    return join(this.dir, `${block}-${fileSafeName(integration)}.jsonl`);
  }

  #serial<T>(path: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#queues.get(path) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    this.#queues.set(path, settled);
    void settled.then(() => {
      if (this.#queues.get(path) === settled) this.#queues.delete(path);
    });
    return next;
  }

  /**
   * Appends one record as a JSON line (registered secrets scrubbed from its reason) and fsyncs it
   * (and the directory when the file is new). Never through a symlink (O_NOFOLLOW); a new file is 0600.
   * A failed write leaves no half-written line: the file is cut back to its size before the write.
   * Rejects with the file system error (disk full, permissions): the caller retries it.
   */
  append(record: DeadLetterRecord): Promise<void> {
    return this.appendMany([record]);
  }

  /**
   * Appends records of ONE block (the same `block_id`), each stamped, with a single write and fsync, as
   * `append` does for one: all are on disk when it resolves, none is when it rejects.
   */
  appendMany(given: readonly DeadLetterRecord[]): Promise<void> {
    const records = given.map((r) => this.#stamp(r));
    const first = records[0];
    if (first === undefined) return Promise.resolve();
    const path = this.fileFor(first.block_id);
    if (records.some((r) => r.block_id !== first.block_id)) return Promise.reject(new Error('appendMany takes the records of one block'));
    return this.#serial(path, async () => {
      await ensurePrivateDir(this.dir);
      const created = !(await exists(path));
      const handle = await openAppend(path, { read: true });
      try {
        const { size } = await handle.stat();
        let prefix = '';
        if (size > 0 && !this.#checked.has(path)) {
          // A crash mid-append leaves a line without its newline: never glue a record onto it.
          const last = Buffer.alloc(1);
          await handle.read(last, 0, 1, size - 1);
          if (last[0] !== 10) prefix = '\n';
        }
        try {
          await writeAll(handle, `${prefix}${records.map((r) => `${serialise(r)}\n`).join('')}`);
          await handle.sync();
        } catch (error) {
          // Disk full mid-line: cut the partial line off (if that fails too, look at the last byte next time).
          await handle.truncate(size).catch(() => this.#checked.delete(path));
          throw error;
        }
        this.#checked.add(path);
      } finally {
        await handle.close();
      }
      if (created) await fsyncDir(this.dir);
    });
  }

  /** Every dead-letter file, by id; none when the directory does not exist. */
  async files(): Promise<DeadLetterFile[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return names
      .map((name) => ({ name, match: FILE_PATTERN.exec(name) }))
      .filter((x): x is { name: string; match: RegExpExecArray } => x.match !== null)
      .map(({ name, match }) => ({ id: match[1] as string, path: join(this.dir, name) }))
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  /** The lines of one file, in order; unreadable lines come back with `record: undefined`. */
  async entries(path: string): Promise<DeadLetterEntry[]> {
    let text: string;
    try {
      text = (await readStateFile(path)).toString('utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map(parseLine);
  }

  /**
   * The complete lines of one file from byte `from` on (appended since it was last read), and the
   * byte after the last complete line (where to read from next time) with the file's inode.
   */
  async tail(path: string, from: number): Promise<{ readonly entries: DeadLetterEntry[]; readonly end: number; readonly ino: number }> {
    const handle = await openNoFollow(path, constants.O_RDONLY);
    try {
      const { size, ino } = await handle.stat();
      if (size <= from) return { entries: [], end: from, ino };
      const bytes = Buffer.alloc(size - from);
      const { bytesRead } = await handle.read(bytes, 0, bytes.length, from);
      const complete = bytes.subarray(0, bytes.subarray(0, bytesRead).lastIndexOf(10) + 1);
      const entries = complete.toString('utf8').split('\n').filter((line) => line.trim() !== '').map(parseLine);
      return { entries, end: from + complete.length, ino };
    } finally {
      await handle.close();
    }
  }

  /** The readable records of every file (of one block when its `id` is given), in file order. */
  async records(id?: string): Promise<DeadLetterRecord[]> {
    const files = (await this.files()).filter((f) => id === undefined || f.id === id);
    const all = await Promise.all(files.map((f) => this.entries(f.path)));
    return all.flat().flatMap((e) => (e.record ? [e.record] : []));
  }

  /**
   * Rewrites one file: `update` returns the record to keep (the same or a new one) or undefined
   * to remove it; it also gets the record's line as stored (a stable key for the record). Unreadable lines are kept as they are. Lines appended by another process while
   * this runs are carried over. Deletes the file when nothing is left. Resolves with the counts.
   */
  rewrite(path: string, update: (record: DeadLetterRecord, line: string) => DeadLetterRecord | undefined): Promise<{ kept: number; removed: number }> {
    return this.#serial(path, async () => {
      let original: Buffer;
      try {
        original = await readStateFile(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kept: 0, removed: 0 };
        throw error;
      }
      const entries = original
        .toString('utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map(parseLine);
      let removed = 0;
      const lines: string[] = [];
      for (const entry of entries) {
        if (!entry.record) {
          lines.push(entry.line);
          continue;
        }
        const next = update(entry.record, entry.line);
        if (next === undefined) removed += 1;
        else lines.push(next === entry.record ? entry.line : serialise(next));
      }
      const temp = await createTempFile(path);
      try {
        const handle = temp.handle;
        try {
          await writeAll(handle, lines.map((l) => `${l}\n`).join(''));
          // A running daemon may have appended since we read: carry those lines over.
          const current = await stat(path);
          if (current.size > original.length) {
            const source = await openNoFollow(path, constants.O_RDONLY);
            try {
              const extra = Buffer.alloc(current.size - original.length);
              await source.read(extra, 0, extra.length, original.length);
              await writeAll(handle, extra);
              lines.push(...extra.toString('utf8').split('\n').filter((l) => l.trim() !== ''));
            } finally {
              await source.close();
            }
          }
          await handle.sync();
        } finally {
          await handle.close();
        }
        if (lines.length === 0) {
          await unlink(temp.path);
          await unlink(path);
        } else {
          await rename(temp.path, path);
        }
      } catch (error) {
        await unlink(temp.path).catch(() => undefined);
        throw error;
      }
      await fsyncDir(this.dir);
      return { kept: lines.length, removed };
    });
  }
}
