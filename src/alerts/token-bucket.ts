// A token bucket for replay rate limits: how long to wait before the next alert may go.

/**
 * `rate` tokens per second, holding at most `burst` (default: 100 ms worth, at least 1, so a replay
 * starts smoothly instead of with a one-second burst). `take()` reserves one token and returns the
 * milliseconds to wait before using it (0 when one was available). Pure: the clock is injected.
 */
export class TokenBucket {
  readonly #perMs: number;
  readonly #burst: number;
  readonly #now: () => number;
  #tokens: number;
  #last: number;

  constructor(rate: number, options: { burst?: number; now?: () => number } = {}) {
    if (!(rate > 0) || !Number.isFinite(rate)) throw new RangeError(`rate must be a positive number of alerts per second, got ${rate}`);
    this.#perMs = rate / 1000;
    this.#burst = options.burst ?? Math.max(1, rate / 10);
    this.#now = options.now ?? (() => performance.now());
    this.#tokens = this.#burst;
    this.#last = this.#now();
  }

  /** Reserves one token; resolves nothing, returns the wait in ms (the token is owed meanwhile). */
  take(): number {
    const now = this.#now();
    this.#tokens = Math.min(this.#burst, this.#tokens + (now - this.#last) * this.#perMs);
    this.#last = now;
    this.#tokens -= 1;
    return this.#tokens >= 0 ? 0 : -this.#tokens / this.#perMs;
  }
}
