// A per-block requests-per-minute limit (the token bucket of alerts/token-bucket.ts, or an api_key's shared quota) whose requests queue for their turn, never refused.

import { asyncScheduler, defer, from, mergeMap, of, timer, type Observable, type SchedulerLike } from 'rxjs';
import { TokenBucket } from '../../alerts/token-bucket.js';

/**
 * Tokens refill at `perMinute` per minute up to `burst` (default 1: evenly spaced requests, so no
 * minute-long window ever sees more than `perMinute` — what quota-limited APIs such as
 * VirusTotal's 4/min count). Each `take()` reserves the next token in call order (FIFO) and
 * waits for it on the scheduler's clock. Throws a RangeError on a rate that is not positive.
 */
export class RateLimit {
  readonly #reserve: () => number | Promise<number>;
  readonly #scheduler: SchedulerLike;

  /** `perMinute` tokens of the block's own, or `reserve`: a shared quota saying how long to wait (enrichment-stores.ts). */
  constructor(perMinute: number | (() => number | Promise<number>), options: { burst?: number; scheduler?: SchedulerLike } = {}) {
    const scheduler = options.scheduler ?? asyncScheduler;
    this.#scheduler = scheduler;
    if (typeof perMinute === 'function') this.#reserve = perMinute;
    else {
      const bucket = new TokenBucket(perMinute, { per: 'minute', burst: Math.max(1, options.burst ?? 1), now: () => scheduler.now() });
      this.#reserve = () => Math.ceil(bucket.take());
    }
  }

  /** Reserves a token now; the whole ms to wait before using it (0 when one is available). */
  reserve(): number | Promise<number> {
    return this.#reserve();
  }

  /** Emits once when the caller may send (reserving at subscription), then completes. */
  take(onWait?: (ms: number) => void): Observable<unknown> {
    const after = (wait: number): Observable<unknown> => {
      if (!(wait > 0)) return of(0);
      onWait?.(wait);
      return timer(wait, this.#scheduler);
    };
    return defer(() => {
      const wait = this.reserve();
      return typeof wait === 'number' ? after(wait) : from(wait).pipe(mergeMap(after));
    });
  }
}
