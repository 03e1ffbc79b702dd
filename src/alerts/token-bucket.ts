// The one token bucket: how long to wait before the next alert (replay --rate) or request (rate_per_minute) may go.

/**
 * `rate` tokens per second (or per minute with `per: 'minute'`), holding at most `burst` (default:
 * 100 ms worth, at least 1, so a replay starts smoothly instead of with a one-second burst).
 * `take()` reserves one token and returns the milliseconds to wait before using it (0 when one was
 * available; owed tokens queue up in call order). Pure: the clock is injected (a scheduler's `now`
 * in virtual-time specs). Throws a RangeError on a rate that is not a positive finite number.
 */
export class TokenBucket {
  readonly #msPerToken: number;
  readonly #burst: number;
  readonly #now: () => number;
  #tokens: number;
  #last: number;

  constructor(rate: number, options: { burst?: number; now?: () => number; per?: 'second' | 'minute' } = {}) {
    const per = options.per ?? 'second';
    if (!(rate > 0) || !Number.isFinite(rate)) throw new RangeError(`rate must be a positive number per ${per}, got ${rate}`);
    // Kept as ms per token so that 4 per minute is exactly 15000 ms apart.
    this.#msPerToken = (per === 'minute' ? 60_000 : 1000) / rate;
    this.#burst = options.burst ?? Math.max(1, 100 / this.#msPerToken);
    this.#now = options.now ?? (() => performance.now());
    this.#tokens = this.#burst;
    this.#last = this.#now();
  }

  /** Reserves one token; returns the wait in ms (the token is owed meanwhile). */
  take(): number {
    const now = this.#now();
    this.#tokens = Math.min(this.#burst, this.#tokens + (now - this.#last) / this.#msPerToken);
    this.#last = now;
    this.#tokens -= 1;
    return this.#tokens >= 0 ? 0 : -this.#tokens * this.#msPerToken;
  }
}
