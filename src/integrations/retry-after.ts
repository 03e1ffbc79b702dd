// The wait a Retry-After header asks for, in ms, for the rate-limit verdicts of lookups.

/** Wait when a rate-limited answer has no usable Retry-After, in ms: VirusTotal's public quota is per minute. */
export const DEFAULT_RATE_LIMIT_WAIT_MS = 60_000;

/**
 * Reads `Retry-After` (delta-seconds or an HTTP date; header name in any case) from response headers. Returns the wait in
 * ms (0 for a date in the past), or undefined when the header is missing or unreadable.
 */
export const retryAfterMs = (headers: Readonly<Record<string, string | string[] | undefined>>, now: number = Date.now()): number | undefined => {
  const name = 'retry-after' in headers ? 'retry-after' : Object.keys(headers).find((k) => k.toLowerCase() === 'retry-after');
  const raw = name === undefined ? undefined : headers[name];
  const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  if (value === undefined || value === '') return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
};
