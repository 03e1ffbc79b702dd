// Exponential backoff with full jitter: how long to wait before the next attempt.

/** First backoff ceiling (ms): 0.5 s, short enough for a blip, long enough to let a socket recover. */
export const BACKOFF_BASE_MS = 500;
/** Largest backoff (ms): 30 s, so that a few retries still fit in a couple of minutes. */
export const BACKOFF_CAP_MS = 30_000;

export interface BackoffOptions {
  readonly baseMs?: number;
  readonly capMs?: number;
  /** Uniform in [0, 1); injectable so tests get fixed delays. */
  readonly random?: () => number;
}

/** The ceiling of the wait after the `retry`-th failure (1-based): min(cap, base × 2^(retry-1)). */
export const backoffCeilingMs = (retry: number, options: BackoffOptions = {}): number => {
  const base = options.baseMs ?? BACKOFF_BASE_MS;
  const cap = options.capMs ?? BACKOFF_CAP_MS;
  return Math.min(cap, base * 2 ** Math.max(0, retry - 1));
};

/**
 * Full jitter (AWS architecture blog): a uniform wait in [0, ceiling), so that many alerts
 * failing together do not retry together. Whole milliseconds.
 */
export const backoffMs = (retry: number, options: BackoffOptions = {}): number =>
  Math.floor((options.random ?? Math.random)() * backoffCeilingMs(retry, options));
