// Reads given alert files once from the start (plain or .gz, archives in date order) for `replay`.

import { stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { log } from '../telemetry/log.js';
import { stringField } from './alert.js';
import { compareArchives, parseArchivePath, type ArchiveFile } from './archives.js';
import { openByteReader, type ByteReader } from './byte-reader.js';
import { identify, type FileIdentity } from './file-identity.js';
import { DEFAULT_MAX_LINE_BYTES } from './follow.js';
import { batchLine, type LineBatch } from './line-batch.js';
import { batchTaker, lineTaker, type Taker } from './line-takers.js';
import { LineBuffer } from './line-buffer.js';
import { END_OF_LINES, guardedRejectionHandler, type EndOfLines, type LineSource, type RejectionHandler, type SourceLine } from './source-line.js';
import { TokenBucket } from './token-bucket.js';
import { errorCode } from '../errors.js';

export interface ReplayOptions {
  /** Only alerts with `timestamp` ≥ since. Lines whose timestamp cannot be read pass (the pipeline judges them). */
  readonly since?: Date;
  /** Only alerts with `timestamp` < until. */
  readonly until?: Date;
  /** Alerts per second (a token bucket, see TokenBucket); undefined: as fast as the pipeline pulls. */
  readonly rate?: number;
  readonly maxLineBytes?: number;
  readonly onRejected?: RejectionHandler;
  readonly chunkBytes?: number;
  /** For tests: the clock (ms) and the sleep the rate limit uses. */
  readonly clock?: { now(): number; sleep(ms: number): Promise<void> };
}

/**
 * Where a replay is. `bytes`/`totalBytes` are on-disk sizes: compressed bytes for `.gz` (so the ratio
 * is a fair percentage; line offsets are in the decompressed stream). `totalBytes` is known once the
 * first `next()` has run.
 */
export interface ReplayProgress {
  /** Lines emitted. */
  readonly lines: number;
  /** Lines left out by since/until. */
  readonly skipped: number;
  readonly bytes: number;
  readonly totalBytes: number;
  readonly files: number;
  readonly filesDone: number;
  /** Files that could not be opened or read to their end (each logged as an error). */
  readonly filesFailed: number;
}

/** Wazuh archive names in date order; any other list in the order given. */
export const replayOrder = (paths: readonly string[]): string[] => {
  const archives = paths.map(parseArchivePath);
  if (paths.length === 0 || archives.some((a) => a === undefined)) return [...paths];
  return (archives as ArchiveFile[]).sort(compareArchives).map((a) => a.path);
};

const TIMESTAMP_PREFIX = '{"timestamp":"';

/** Wazuh writes `+0000`; make it ISO 8601 (`+00:00`) before Date.parse. */
const parseTime = (text: string): number => Date.parse(text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));

/** The alert's time in ms, read from the line's start when it is analysisd's, else by a full parse; NaN when unreadable. */
export const alertTime = (text: string): number => {
  if (text.startsWith(TIMESTAMP_PREFIX)) {
    const end = text.indexOf('"', TIMESTAMP_PREFIX.length);
    if (end > 0) {
      const time = parseTime(text.slice(TIMESTAMP_PREFIX.length, end));
      if (!Number.isNaN(time)) return time;
    }
  }
  try {
    const timestamp = stringField(JSON.parse(text), 'timestamp');
    return timestamp === undefined ? NaN : parseTime(timestamp);
  } catch {
    return NaN;
  }
};

/**
 * A LineSource over files read once: `next()` resolves lines in file order and END_OF_LINES after the
 * last file (or after `close()`). A file that cannot be opened or read is logged as an error and skipped
 * (counted in `filesFailed`); it never rejects.
 */
/** How a request takes what is held (one line, or a batch), and keeps what is inside --since/--until. */
interface ReplayTaker<T> extends Taker<T> {
  keep(taken: T): T | undefined;
  count(taken: T): number;
}

export class ReplaySource implements LineSource {
  readonly #paths: readonly string[];
  readonly #since: number;
  readonly #until: number;
  readonly #bucket: TokenBucket | undefined;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #lines: LineBuffer;
  readonly #taking: { readonly lines: Taker<SourceLine>; readonly batches: Taker<LineBatch> };
  #index = 0;
  #current: { reader: ByteReader; identity: FileIdentity; path: string } | undefined;
  #chain: Promise<unknown> = Promise.resolve();
  #closed = false;
  #sizes: number[] | undefined;
  #doneBytes = 0;
  #progress = { lines: 0, skipped: 0, filesDone: 0, filesFailed: 0 };

  constructor(paths: readonly string[], options: ReplayOptions = {}) {
    this.#paths = replayOrder(paths);
    this.#since = options.since?.getTime() ?? -Infinity;
    this.#until = options.until?.getTime() ?? Infinity;
    const clock = options.clock;
    this.#bucket = options.rate === undefined ? undefined : new TokenBucket(options.rate, clock ? { now: () => clock.now() } : {});
    this.#sleep = clock ? (ms) => clock.sleep(ms) : (ms) => sleep(ms);
    const onRejected = guardedRejectionHandler(options.onRejected);
    this.#lines = new LineBuffer({
      maxLineBytes: options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES,
      ...(options.chunkBytes === undefined ? {} : { chunkBytes: options.chunkBytes }),
      onOverlong: (r) => onRejected({ ...r, file: this.#current!.identity, path: this.#current!.path }),
    });
    this.#taking = { lines: lineTaker(this.#lines), batches: batchTaker(this.#lines, () => this.#batchLines) };
  }

  /** The files in the order they are read. */
  get paths(): readonly string[] {
    return this.#paths;
  }

  /** The next line, or END_OF_LINES after the last file or `close()`. Never rejects. */
  next(): Promise<SourceLine | EndOfLines> {
    return this.#request(this.#singleLines);
  }

  /** The lines read so far (at most `maxLines`; one when `rate` is set), as one batch valid until the next call; END_OF_LINES after the last file. */
  nextBatch(maxLines = Infinity): Promise<LineBatch | EndOfLines> {
    this.#batchLines = this.#bucket ? 1 : maxLines;
    return this.#request(this.#batches);
  }

  #batchLines = Infinity;

  readonly #singleLines: ReplayTaker<SourceLine> = {
    take: (current) => this.#taking.lines.take(current),
    tail: (current) => this.#taking.lines.tail(current),
    keep: (line) => {
      if (this.#inRange(alertTime(line.text))) return line;
      this.#progress.skipped++;
      return undefined;
    },
    count: () => 1,
  };

  readonly #batches: ReplayTaker<LineBatch> = {
    take: (current) => this.#taking.batches.take(current),
    tail: (current) => this.#taking.batches.tail(current),
    keep: (batch) => {
      const marks: number[] = [];
      for (let i = 0; i < batch.count; i++) {
        if (this.#inRange(alertTime(batchLine(batch, i).text))) marks.push(...batch.marks.slice(i * 3, i * 3 + 3));
        else this.#progress.skipped++;
      }
      return marks.length === 0 ? undefined : { ...batch, marks, count: marks.length / 3 };
    },
    count: (batch) => batch.count,
  };

  #inRange(time: number): boolean {
    return !(time < this.#since || time >= this.#until);
  }

  #request<T>(taker: ReplayTaker<T>): Promise<T | EndOfLines> {
    const result = this.#chain.then(() => this.#produce(taker));
    this.#chain = result.catch(() => undefined);
    return result.catch((error: unknown) => {
      log.error('replay failed unexpectedly; ending it', { error: String(error) });
      this.#closed = true;
      return END_OF_LINES;
    });
  }

  progress(): ReplayProgress {
    const sizes = this.#sizes ?? [];
    return {
      ...this.#progress,
      bytes: this.#doneBytes + (this.#current?.reader.diskBytes ?? 0),
      totalBytes: sizes.reduce((a, b) => a + b, 0),
      files: this.#paths.length,
    };
  }

  /** Stops reading; pending and later `next()` resolve with END_OF_LINES. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#chain;
    await this.#current?.reader.close().catch(() => undefined);
    this.#current = undefined;
  }

  async #produce<T>(taker: ReplayTaker<T>): Promise<T | EndOfLines> {
    this.#sizes ??= await Promise.all(this.#paths.map((p) => stat(p).then((s) => s.size, () => 0)));
    for (;;) {
      if (this.#closed) return END_OF_LINES;
      const current = this.#current;
      if (!current) {
        if (this.#index >= this.#paths.length) return END_OF_LINES;
        await this.#open(this.#paths[this.#index++] as string);
        continue;
      }
      let taken = taker.take(current);
      if (!taken) {
        let read = 0;
        try {
          read = await this.#lines.fill(current.reader);
        } catch (error) {
          this.#progress.filesFailed++;
          log.error('cannot read a replayed file to its end; going on with the next', { path: current.path, offset: this.#lines.readPosition, error: errorCode(error) });
        }
        if (read > 0) continue;
        taken = taker.tail(current);
        await this.#finishFile();
        if (!taken) continue;
      }
      const kept = this.#since === -Infinity && this.#until === Infinity ? taken : taker.keep(taken);
      if (kept === undefined) continue;
      const wait = this.#bucket?.take() ?? 0;
      if (wait > 0) await this.#sleep(wait);
      this.#progress.lines += taker.count(kept);
      return kept;
    }
  }

  async #open(path: string): Promise<void> {
    try {
      const identity = await identify(path);
      this.#current = { reader: await openByteReader(path), identity, path };
      this.#lines.reset(0);
      log.debug('replaying a file', { path });
    } catch (error) {
      this.#progress.filesFailed++;
      log.error('cannot open a file to replay; skipping it', { path, error: errorCode(error) });
    }
  }

  async #finishFile(): Promise<void> {
    const current = this.#current;
    this.#current = undefined;
    this.#progress.filesDone++;
    this.#doneBytes += this.#sizes?.[this.#index - 1] ?? current?.reader.diskBytes ?? 0;
    await current?.reader.close().catch(() => undefined);
  }
}
