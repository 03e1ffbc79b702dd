// A WARNING that bad input can repeat at line rate, logged at most once a minute with a count of the ones held back.

import { log } from './log.js';

/** 60 s: an admin sees the problem at once and then one line a minute, not one per bad line. */
export const DEFAULT_WARNING_INTERVAL_MS = 60_000;

/**
 * The first warning is logged at once; the next ones within `intervalMs` are only counted (by a key,
 * e.g. the reason), and one line with the counts is logged when the interval ends — then a new
 * interval starts, so at most one line per interval. `flush()` logs what is held back now (shutdown).
 * The timer is unref'd: it never keeps the process alive.
 */
export class RateLimitedWarning {
  readonly #summary: string;
  readonly #intervalMs: number;
  readonly #held = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;

  /** `summary`: the message of the count line (`N more …` is prefixed); its fields are the counts by key. */
  constructor(summary: string, intervalMs = DEFAULT_WARNING_INTERVAL_MS) {
    this.#summary = summary;
    this.#intervalMs = intervalMs;
  }

  /** Logs `message` now if no warning was logged this interval, else counts it under `key`. */
  warn(key: string, message: string, fields: Record<string, unknown>): void {
    if (this.#timer !== undefined) {
      this.#held.set(key, (this.#held.get(key) ?? 0) + 1);
      return;
    }
    log.warning(message, fields);
    this.#start();
  }

  /** Logs the count line now if warnings are held back, and ends the interval. */
  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#logHeld();
  }

  #start(): void {
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.#logHeld()) this.#start();
    }, this.#intervalMs);
    this.#timer.unref();
  }

  #logHeld(): boolean {
    if (this.#held.size === 0) return false;
    const counts = Object.fromEntries(this.#held);
    const total = [...this.#held.values()].reduce((a, b) => a + b, 0);
    this.#held.clear();
    log.warning(`${total} more ${this.#summary}`, counts);
    return true;
  }
}
