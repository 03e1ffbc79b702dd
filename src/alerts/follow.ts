// The alerts.json follower: lines by byte offset, through rotation, truncation and deletion, losing none.

import { dirname } from 'node:path';
import { log } from '../telemetry/log.js';
import type { ByteReader } from './byte-reader.js';
import type { FileIdentity } from './file-identity.js';
import { errorCode } from '../errors.js';
import { IoErrorLog } from './io-error-log.js';
import type { LineBatch } from './line-batch.js';
import { batchTaker, lineTaker, type Taker } from './line-takers.js';
import { LineBuffer } from './line-buffer.js';
import { LiveFile, type FileChange } from './live-file.js';
import { PresenceLog } from './presence-log.js';
import { DEFAULT_MAX_LINE_BYTES, DEFAULT_POLL_MS, DEFAULT_ROTATE_WAIT_MS, type FollowOptions } from './follow-options.js';
import type { FollowCursor } from './resume-plan.js';
import { RotatedBacklog } from './rotated-backlog.js';
import { RotateWait, type FileStat } from './rotate-wait.js';
import { END_OF_LINES, guardedRejectionHandler, type EndOfLines, type LineSource, type RejectionHandler, type SourceLine } from './source-line.js';
import { WakeUp } from './wake-up.js';

export type { FollowCursor } from './resume-plan.js';

export { DEFAULT_MAX_LINE_BYTES, DEFAULT_POLL_MS, DEFAULT_ROTATE_WAIT_MS, type FollowOptions } from './follow-options.js';

type Current =
  | { readonly kind: 'archive'; readonly reader: ByteReader; readonly identity: FileIdentity; readonly path: string; readonly stat?: FileStat | undefined }
  | { readonly kind: 'live'; readonly file: LiveFile; readonly reader: ByteReader; identity: FileIdentity; readonly path: string };

/**
 * Follows one alerts file. Several followers may read the same file, each with its own offset.
 *
 * `next()` resolves with the next complete line, waiting for appends; after `close()` every pending
 * and later `next()` resolves with END_OF_LINES (it never rejects). Rotation (hard link, rename +
 * create, delete + create): the old file is read through the open handle until it has been idle for
 * `rotateWaitMs` (a lagging writer; so is a plain rotated file a cursor resumes in), then every newer rotated
 * file (several rotations while this follower was behind: alerts.json.2, .1, or several Wazuh days), then
 * the new one from 0; a final line without `\n` in a file that was replaced is emitted as it is. A deleted file is
 * still read (its writer may hold it open) until a new file appears under the name. Truncation in
 * place: a warning, then the file again from 0. I/O errors are logged and retried every `pollMs`.
 */
export class Follower implements LineSource {
  readonly #path: string;
  readonly #startAt: 'end' | 'beginning' | FollowCursor;
  readonly #onRejected: RejectionHandler;
  readonly #lines: LineBuffer;
  readonly #wakeUp: WakeUp;
  #current: Current | undefined;
  /** Rotated files to read before alerts.json (a cursor's, or those rotated past while this follower was behind). */
  readonly #backlog: RotatedBacklog;
  /** Offset for the next opening of the live file: 'end' only before the first one. */
  #liveStart: number | 'end' = 0;
  #started = false;
  #draining = false;
  #closed = false;
  /** next() calls queued or running: the synchronous fast path may only serve when there are none. */
  #queued = 0;
  #chain: Promise<unknown> = Promise.resolve();
  readonly #presence: PresenceLog;
  readonly #singleLines: Taker<SourceLine>;
  readonly #batches: Taker<LineBatch>;
  #batchLines = Infinity;
  readonly #ioErrors: IoErrorLog;
  readonly #rotateWait: RotateWait;
  /** Look at the live file before the next read (after an I/O error). */
  #mustCheck = false;

  constructor(path: string, options: FollowOptions = {}) {
    this.#path = path;
    this.#backlog = new RotatedBacklog(path, options.archiveRoot ?? dirname(path));
    this.#startAt = options.startAt ?? 'end';
    this.#onRejected = guardedRejectionHandler(options.onRejected);
    this.#lines = new LineBuffer({
      maxLineBytes: options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES,
      ...(options.chunkBytes === undefined ? {} : { chunkBytes: options.chunkBytes }),
      onOverlong: (r) => this.#onRejected({ ...r, file: this.#current!.identity, path: this.#current!.path }),
    });
    this.#singleLines = lineTaker(this.#lines);
    this.#batches = batchTaker(this.#lines, () => this.#batchLines);
    this.#wakeUp = new WakeUp(path, options.pollMs ?? DEFAULT_POLL_MS);
    this.#ioErrors = new IoErrorLog(path);
    this.#presence = new PresenceLog(path);
    this.#rotateWait = new RotateWait(options.rotateWaitMs ?? DEFAULT_ROTATE_WAIT_MS);
  }

  /** The next complete line; END_OF_LINES once closed. Never rejects. */
  next(): Promise<SourceLine | EndOfLines> {
    return this.#request(this.#singleLines);
  }
  /** The complete lines read so far (at most `maxLines`), as one batch valid until the next call; END_OF_LINES once closed. Never rejects. */
  nextBatch(maxLines = Infinity): Promise<LineBatch | EndOfLines> {
    this.#batchLines = maxLines;
    return this.#request(this.#batches);
  }


  #request<T>(taker: Taker<T>): Promise<T | EndOfLines> {
    if (this.#queued === 0 && !this.#closed && this.#current && this.#identityComplete(this.#current)) {
      const taken = taker.take(this.#current);
      if (taken) return Promise.resolve(taken);
    }
    this.#queued++;
    const result = this.#chain.then(() => this.#produceSafely(taker));
    this.#chain = result;
    return result;
  }

  /** Fixes the start now, not at the first `next()`: plans a cursor, opens the first file (`'end'`: takes its end). Never rejects. */
  ready(): Promise<void> {
    this.#queued++;
    const result = this.#chain.then(async () => {
      try {
        if (!this.#started) await this.#start();
        if (!this.#current && !this.#closed) await this.#openNext();
      } catch (error) {
        log.error('alerts follower failed to start; next() retries', { path: this.#path, error: String(error) });
      } finally {
        this.#queued--;
      }
    });
    this.#chain = result;
    return result;
  }

  /**
   * Where the next line will start: the open file and the offset of the first byte not handed out yet
   * (after `ready()`: the start position). Undefined while no file is open (alerts.json missing).
   */
  position(): { identity: FileIdentity; path: string; offset: number } | undefined {
    const current = this.#current;
    return current ? { identity: current.identity, path: current.path, offset: this.#lines.linePosition } : undefined;
  }

  /** Stops following: a pending `next()` resolves with END_OF_LINES, handles and watchers are released. */
  async close(): Promise<void> {
    if (this.#closed) return this.#chain.then(() => undefined);
    this.#closed = true;
    this.#wakeUp.close();
    await this.#chain.catch(() => undefined);
    await this.#closeCurrent();
    await this.#backlog.close();
  }

  async #produceSafely<T>(taker: Taker<T>): Promise<T | EndOfLines> {
    try {
      for (;;) {
        try {
          return await this.#produce(taker);
        } catch (error) {
          log.error('alerts follower failed unexpectedly; retrying', { path: this.#path, error: String(error) });
          await this.#wakeUp.wait();
        }
      }
    } finally {
      this.#queued--;
    }
  }

  async #produce<T>(taker: Taker<T>): Promise<T | EndOfLines> {
    if (!this.#started) await this.#start();
    for (;;) {
      if (this.#closed) return END_OF_LINES;
      const current = this.#current;
      if (!current) {
        if (!(await this.#openNext())) await this.#wakeUp.wait();
        continue;
      }
      if (!this.#identityComplete(current) && current.kind === 'live') current.identity = await current.file.refresh();
      const taken = taker.take(current);
      if (taken) return taken;
      // Once a read has met the end of the live file, look at the file before reading on: a truncation,
      // even one followed by new writes past our offset, is seen before any of its bytes are read.
      if (current.kind === 'live' && (this.#lines.reachedEnd || this.#mustCheck) && !this.#draining) {
        this.#mustCheck = false;
        await this.#onChange(current, await this.#check(current));
      }
      let read: number;
      try {
        read = await this.#lines.fill(current.reader);
      } catch (error) {
        if (current.kind === 'archive' || this.#draining) {
          log.error('cannot read a rotated alerts file; moving on to the next', { path: current.path, offset: this.#lines.readPosition, error: errorCode(error) });
          await this.#closeCurrent();
          continue;
        }
        this.#ioErrors.failed(error, this.#lines.readPosition);
        this.#mustCheck = true;
        await this.#wakeUp.wait();
        continue;
      }
      if (read > 0) {
        this.#ioErrors.succeeded();
        continue;
      }
      if (current.kind === 'archive' || this.#draining) {
        const stat = current.kind === 'live' ? () => current.file.handle.stat() : current.stat;
        const state = await this.#rotateWait.check(stat, this.#lines.readPosition, current.path);
        if (state === 'writing') await this.#wakeUp.wait();
        if (state !== 'idle') continue;
        const tail = taker.tail(current);
        const replaced = current.kind === 'live' ? { identity: current.identity, offset: this.#lines.readPosition } : undefined;
        await this.#closeCurrent();
        // Every file rotated since the drained one before the file now under the name (a name back on it: read on).
        if (replaced) this.#liveStart = (await this.#backlog.planFrom(replaced, true)) ?? 0;
        if (tail) return tail;
        continue;
      }
      await this.#wakeUp.wait();
    }
  }

  /** Acts on what happened to the live file: drain it (replaced), note it (gone), or read it again from 0 (truncated). */
  async #onChange(current: Current & { kind: 'live' }, change: FileChange): Promise<void> {
    if (change === 'replaced') {
      log.debug('alerts file replaced; reading the old file to its end', { path: current.path, offset: this.#lines.readPosition });
      this.#draining = true;
    } else if (change === 'gone') {
      // Keep reading the open (unlinked) file: its writer may still append; switch once a new file appears.
      this.#presence.gone(this.#lines.readPosition);
    } else if (change === 'truncated') {
      log.warning('alerts file truncated in place; reading it again from the start', { path: current.path, offset: this.#lines.readPosition });
      this.#lines.reset(0);
      current.identity = await current.file.refresh();
    }
  }

  /** Decides where to begin: the live file's end or start, or the cursor's file (maybe an archive). */
  async #start(): Promise<void> {
    this.#started = true;
    const startAt = this.#startAt;
    if (startAt === 'beginning' || startAt === 'end') {
      this.#liveStart = startAt === 'end' ? 'end' : 0;
      return;
    }
    this.#liveStart = (await this.#backlog.planFrom(startAt)) ?? 0;
  }

  /** Opens the next archive of a resume plan, else the live file; false when the live file cannot be opened yet. */
  async #openNext(): Promise<boolean> {
    const step = await this.#backlog.openNext();
    if (step) {
      this.#current = { kind: 'archive', reader: step.reader, identity: step.identity, path: step.path, stat: step.stat };
      this.#lines.reset(step.offset);
      log.info('reading a rotated alerts file', { path: step.path, offset: step.offset });
      return true;
    }
    let file: LiveFile | undefined;
    try {
      file = this.#backlog.takeHeld() ?? (await LiveFile.open(this.#path));
      const offset = await file.startOffset(this.#liveStart);
      this.#current = { kind: 'live', file, reader: file.reader, identity: file.identity, path: this.#path };
      this.#lines.reset(offset);
      this.#wakeUp.watchFile();
      this.#liveStart = 0;
      this.#presence.opened();
      this.#ioErrors.succeeded();
      return true;
    } catch (error) {
      await file?.close();
      if (errorCode(error) !== 'ENOENT') this.#ioErrors.failed(error, this.#lines.readPosition);
      else this.#presence.missing();
      this.#liveStart = 0;
      return false;
    }
  }

  /** The live file's change since the last read; I/O errors are reported and count as no change. */
  async #check(current: Current & { kind: 'live' }): Promise<FileChange> {
    try {
      return await current.file.check(this.#lines.readPosition);
    } catch (error) {
      this.#ioErrors.failed(error, this.#lines.readPosition);
      return 'same';
    }
  }

  #identityComplete(current: Current): boolean {
    return current.kind === 'archive' || current.file.identityCovers(this.#lines.readPosition);
  }

  async #closeCurrent(): Promise<void> {
    const current = this.#current;
    this.#current = undefined;
    this.#draining = false;
    this.#rotateWait.reset();
    if (current?.kind === 'live') await current.file.close();
    else await current?.reader.close().catch(() => undefined);
  }
}

/** Starts following `path` (nothing is read until the first `next()`). */
export const follow = (path: string, options?: FollowOptions): Follower => new Follower(path, options);
