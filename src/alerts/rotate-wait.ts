// When a rotated-away alerts file is finished: no write for a rotate-wait (its writer may reopen the new name late).

import { log } from '../telemetry/log.js';

/** What a look at a rotated file's end says: more bytes to read, a writer still at it, or idle long enough to move on. */
export type RotatedFileState = 'grown' | 'writing' | 'idle';

/** The size and last write of a file, as fstat gives them. */
export type FileStat = () => Promise<{ readonly size: number; readonly mtimeMs: number }>;

/**
 * Keeps a follower on a rotated file (renamed or unlinked, its name now another file) until it has
 * been idle for `waitMs`: a writer holding its descriptor (logrotate `create` + a postrotate signal,
 * a rename without `create`) appends until it reopens the name. Idle means: last written `waitMs` ago
 * (its mtime, which also covers a restart during the wait), or — if the clocks disagree — its size
 * seen unchanged for `waitMs`. One instance per follower; `reset()` for each new file.
 */
export class RotateWait {
  readonly #waitMs: number;
  #size = -1;
  #since = 0;
  #waiting = false;

  constructor(waitMs: number) {
    this.#waitMs = waitMs;
  }

  /**
   * Looks at the file at its end (`readPosition`: all of it read). Never rejects: a file that cannot
   * be stat'ed any more counts as idle (nothing more can be read from it).
   */
  async check(stat: FileStat | undefined, readPosition: number, path: string): Promise<RotatedFileState> {
    if (stat === undefined || this.#waitMs <= 0) return 'idle';
    let size: number;
    let mtimeMs: number;
    try {
      ({ size, mtimeMs } = await stat());
    } catch {
      return 'idle';
    }
    if (size > readPosition) return 'grown';
    const now = Date.now();
    if (size !== this.#size) {
      this.#size = size;
      this.#since = now;
    }
    const idle = now - this.#since >= this.#waitMs || now - mtimeMs >= this.#waitMs;
    if (!idle && !this.#waiting) {
      this.#waiting = true;
      log.info(`rotated alerts file still being written; reading it until it has been idle for ${this.#waitMs / 1000} s`, { path, offset: readPosition });
    } else if (idle && this.#waiting) {
      log.info('rotated alerts file idle; reading the next one', { path, offset: readPosition });
    }
    return idle ? 'idle' : 'writing';
  }

  /** Forgets the file looked at (the follower moved on). */
  reset(): void {
    this.#size = -1;
    this.#since = 0;
    this.#waiting = false;
  }
}
