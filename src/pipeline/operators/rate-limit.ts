// A per-block requests-per-minute limit: the token bucket (alerts/token-bucket.ts) whose requests queue for their turn, never refused.

import { asyncScheduler, defer, of, timer, type Observable, type SchedulerLike } from 'rxjs';
import { TokenBucket } from '../../alerts/token-bucket.js';

/**
 * Tokens refill at `perMinute` per minute up to `burst` (default 1: evenly spaced requests, so no
 * minute-long window ever sees more than `perMinute` — what quota-limited APIs such as
 * VirusTotal's 4/min count). Each `take()` reserves the next token in call order (FIFO) and
 * waits for it on the scheduler's clock. Throws a RangeError on a rate that is not positive.
 */
export class RateLimit {
  readonly #bucket: TokenBucket;
  readonly #scheduler: SchedulerLike;

  constructor(perMinute: number, options: { burst?: number; scheduler?: SchedulerLike } = {}) {
    const scheduler = options.scheduler ?? asyncScheduler;
    this.#scheduler = scheduler;
    this.#bucket = new TokenBucket(perMinute, { per: 'minute', burst: Math.max(1, options.burst ?? 1), now: () => scheduler.now() });
  }

  /** Reserves a token now; the whole ms to wait before using it (0 when one is available). */
  reserve(): number {
    return Math.ceil(this.#bucket.take());
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
