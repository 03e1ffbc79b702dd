// A per-block requests-per-minute limit: a token bucket whose requests queue for their turn, never refused.

import { asyncScheduler, defer, of, timer, type Observable, type SchedulerLike } from 'rxjs';

const MINUTE_MS = 60_000;

/**
 * Tokens refill at `perMinute` per minute up to `burst` (default 1: evenly spaced requests, so no
 * minute-long window ever sees more than `perMinute` — what quota-limited APIs such as
 * VirusTotal's 4/min count). Each `take()` reserves the next token in call order (FIFO) and
 * waits for it on the scheduler's clock.
 */
export class RateLimit {
  readonly #intervalMs: number;
  readonly #burst: number;
  readonly #scheduler: SchedulerLike;
  #tokens: number;
  #at: number;

  constructor(perMinute: number, options: { burst?: number; scheduler?: SchedulerLike } = {}) {
    if (!(perMinute > 0)) throw new RangeError(`requests per minute must be > 0, got ${perMinute}`);
    this.#intervalMs = MINUTE_MS / perMinute;
    this.#burst = Math.max(1, options.burst ?? 1);
    this.#scheduler = options.scheduler ?? asyncScheduler;
    this.#tokens = this.#burst;
    this.#at = this.#scheduler.now();
  }

  /** Reserves a token now; the ms to wait before using it (0 when one is available). */
  reserve(): number {
    const now = this.#scheduler.now();
    this.#tokens = Math.min(this.#burst, this.#tokens + (now - this.#at) / this.#intervalMs);
    this.#at = now;
    this.#tokens -= 1;
    return this.#tokens >= 0 ? 0 : Math.ceil(-this.#tokens * this.#intervalMs);
  }

  /** Emits once when the caller may send (reserving at subscription), then completes. */
  take(onWait?: (ms: number) => void): Observable<unknown> {
    return defer(() => {
      const wait = this.reserve();
      if (wait === 0) return of(0);
      onWait?.(wait);
      return timer(wait, this.#scheduler);
    });
  }
}
