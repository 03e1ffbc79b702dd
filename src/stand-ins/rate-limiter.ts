// How a stand-in service refuses bursts: a fixed window of N requests, the wait until it resets when over.

export interface RateLimitOptions {
  /** Requests accepted per window (Discord's webhook bucket: 5). */
  readonly limit: number;
  /** Window length in ms (Discord's webhook bucket: 2000). */
  readonly windowMs: number;
}

/**
 * A fixed-window counter, as services keep one per webhook or chat: the first request opens a
 * window of `windowMs`; within it `limit` requests pass (undefined), later ones get the ms left
 * until the window resets (never 0: at least 1) and are not counted. Unlike the daemon's
 * TokenBucket (alerts/token-bucket.ts), which queues, this refuses: it is the service's side.
 */
export const rateLimiter = ({ limit, windowMs }: RateLimitOptions): ((nowMs: number) => number | undefined) => {
  let start = Number.NEGATIVE_INFINITY;
  let used = 0;
  return (nowMs) => {
    if (nowMs >= start + windowMs) {
      start = nowMs;
      used = 0;
    }
    if (used < limit) {
      used += 1;
      return undefined;
    }
    return Math.max(1, start + windowMs - nowMs);
  };
};
