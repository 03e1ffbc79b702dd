// Wakes a waiting follower: fs.watch on the file's directory and on the file, with a poll timer as fallback.

import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { log } from '../telemetry/log.js';
import { errorCode } from '../errors.js';

/**
 * A level-triggered wake-up: an event that arrives while nobody waits is remembered, so the next
 * `wait()` returns at once (no append is missed between a read at EOF and the wait).
 */
export class WakeUp {
  readonly #pollMs: number;
  readonly #path: string;
  #pending = false;
  #resolve: (() => void) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #dirWatcher: FSWatcher | undefined;
  #fileWatcher: FSWatcher | undefined;
  #closed = false;

  /** Watches `path` (its directory for renames and creates, the file for appends). */
  constructor(path: string, pollMs: number) {
    this.#path = path;
    this.#pollMs = pollMs;
  }

  /** Resolves on the next event, or after `pollMs`, or at once if an event came since the last wait. */
  wait(): Promise<void> {
    if (this.#pending || this.#closed) {
      this.#pending = false;
      return Promise.resolve();
    }
    this.#watchDirectory();
    return new Promise((resolve) => {
      this.#resolve = resolve;
      this.#timer = setTimeout(() => this.wake(), this.#pollMs);
    });
  }

  /** Ends the current wait (or makes the next one return at once). */
  wake(): void {
    const resolve = this.#resolve;
    if (!resolve) {
      this.#pending = true;
      return;
    }
    this.#resolve = undefined;
    clearTimeout(this.#timer);
    resolve();
  }

  /** Watches the file now open (a new inode after rotation): appends wake at once. */
  watchFile(): void {
    this.#fileWatcher?.close();
    this.#fileWatcher = this.#tryWatch(this.#path, () => this.wake(), () => (this.#fileWatcher = undefined));
  }

  /** Stops every watcher and ends the current wait; later waits return at once. */
  close(): void {
    this.#closed = true;
    this.#dirWatcher?.close();
    this.#fileWatcher?.close();
    this.#dirWatcher = this.#fileWatcher = undefined;
    this.wake();
  }

  #watchDirectory(): void {
    if (this.#dirWatcher || this.#closed) return;
    const name = basename(this.#path);
    this.#dirWatcher = this.#tryWatch(
      dirname(this.#path),
      (filename) => {
        if (filename === null || filename === name) this.wake();
      },
      () => (this.#dirWatcher = undefined),
    );
  }

  /** fs.watch, or undefined where it fails (missing directory, no inotify watches left): polling still works. */
  #tryWatch(target: string, onEvent: (filename: string | null) => void, onGone: () => void): FSWatcher | undefined {
    if (this.#closed) return undefined;
    try {
      const watcher = watch(target, { persistent: false }, (_event, filename) => onEvent(filename === null ? null : String(filename)));
      watcher.on('error', (error) => {
        log.debug('fs.watch failed; polling instead', { path: target, error: errorCode(error) });
        watcher.close();
        onGone();
        this.wake();
      });
      return watcher;
    } catch (error) {
      log.debug2('fs.watch unavailable; polling', { path: target, error: errorCode(error) });
      return undefined;
    }
  }
}
