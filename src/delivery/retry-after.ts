// The one Retry-After reader: the wait a response asks for, in ms, capped, for every integration.

/**
 * Longest Retry-After we obey (ms): 15 min. A server asking for more still gets its pause,
 * but one alert must not sit in flight for days because of a bad header.
 */
export const MAX_RETRY_AFTER_MS = 15 * 60 * 1000;

/** Wait when a rate-limited answer has no usable Retry-After, in ms: VirusTotal's public quota is per minute. */
export const DEFAULT_RATE_LIMIT_WAIT_MS = 60_000;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const TIME = String.raw`(\d{2}):(\d{2}):(\d{2})`;
/** RFC 9110 §5.6.7 IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`. */
const IMF_FIXDATE = new RegExp(String.raw`^[a-z]{3}, (\d{2}) ([a-z]{3}) (\d{4}) ${TIME} GMT$`, 'i');
/** The obsolete rfc850-date: `Sunday, 06-Nov-94 08:49:37 GMT`. */
const RFC850_DATE = new RegExp(String.raw`^[a-z]{6,9}, (\d{2})-([a-z]{3})-(\d{2}) ${TIME} GMT$`, 'i');
/** The obsolete asctime-date: `Sun Nov  6 08:49:37 1994` (UTC). */
const ASCTIME_DATE = new RegExp(String.raw`^[a-z]{3} ([a-z]{3}) ([ \d]\d) ${TIME} (\d{4})$`, 'i');

/** ms since the epoch of a valid calendar date and time (UTC), else NaN. */
const utc = (year: number, monthName: string, day: number, hour: number, minute: number, second: number): number => {
  const month = MONTHS.indexOf(monthName.toLowerCase());
  if (month < 0 || hour > 23 || minute > 59 || second > 60) return NaN;
  const ms = Date.UTC(year, month, day, hour, minute, Math.min(second, 59));
  return new Date(ms).getUTCDate() === day ? ms : NaN;
};

/**
 * An HTTP-date in any of RFC 9110's three forms, in ms since the epoch; NaN for anything else
 * (Date.parse alone would read "-5" as a year, or a local time without a zone).
 */
const parseHttpDate = (text: string): number => {
  let m = IMF_FIXDATE.exec(text);
  if (m) return utc(Number(m[3]), m[2]!, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
  m = RFC850_DATE.exec(text);
  if (m) {
    // RFC 9110: a two-digit year more than 50 years in the future is in the past century.
    const yy = Number(m[3]);
    const thisYear = new Date().getUTCFullYear();
    let year = Math.floor(thisYear / 100) * 100 + yy;
    if (year > thisYear + 50) year -= 100;
    return utc(year, m[2]!, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
  }
  m = ASCTIME_DATE.exec(text);
  if (m) return utc(Number(m[6]), m[1]!, Number(m[2]!.trim()), Number(m[3]), Number(m[4]), Number(m[5]));
  return NaN;
};

type Headers = Readonly<Record<string, string | string[] | undefined>>;

/** The first value of header `name` (any case), trimmed; undefined when missing or empty. */
const headerText = (headers: Headers, name: string): string | undefined => {
  const key = name in headers ? name : Object.keys(headers).find((k) => k.toLowerCase() === name);
  const raw = key === undefined ? undefined : headers[key];
  const text = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  return text === '' ? undefined : text;
};

/**
 * A wait given as a number of seconds, possibly fractional, wherever a service carries it (a JSON
 * body's `retry_after`, Discord's `X-RateLimit-Reset-After`): ms clamped to 0..MAX_RETRY_AFTER_MS,
 * rounded up to a whole ms; undefined for anything that is not a finite, non-negative number (or a
 * string holding one).
 */
export const retryAfterSecondsMs = (seconds: unknown): number | undefined => {
  const n = typeof seconds === 'number' ? seconds : typeof seconds === 'string' && /^\d+(\.\d+)?$/.test(seconds.trim()) ? Number(seconds) : NaN;
  if (!Number.isFinite(n) || n < 0) return undefined;
  return Math.min(MAX_RETRY_AFTER_MS, Math.ceil(n * 1000));
};

/** `X-RateLimit-Reset-After` (Discord: fractional seconds until the bucket refills) as a clamped wait in ms. */
export const resetAfterMs = (headers: Headers): number | undefined => retryAfterSecondsMs(headerText(headers, 'x-ratelimit-reset-after'));

/**
 * Reads `Retry-After` (header name in any case; the first of repeated values) as delta-seconds or an
 * HTTP-date. Returns the wait in ms from `nowMs`, clamped to 0..MAX_RETRY_AFTER_MS (a date in the past
 * is 0), or undefined when the header is missing, negative or unreadable — the caller then uses its
 * normal backoff (or its own default wait).
 */
export const retryAfterMs = (headers: Headers, nowMs: number = Date.now()): number | undefined => {
  const text = headerText(headers, 'retry-after');
  if (text === undefined) return undefined;
  let ms: number;
  if (/^\d+$/.test(text)) ms = Number(text) * 1000;
  else {
    const at = parseHttpDate(text);
    if (Number.isNaN(at)) return undefined;
    ms = at - nowMs;
  }
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms));
};
