// Shared HTTP classification: status and network errors to a Verdict; integrations add their own rules.

import { HttpError } from './http.js';
import type { HttpResponse, Verdict } from './step.js';

/**
 * Longest Retry-After we obey (ms): 15 min. A server asking for more still gets its pause,
 * but one alert must not sit in flight for days because of a bad header.
 */
export const MAX_RETRY_AFTER_MS = 15 * 60 * 1000;
/** Characters of a response body quoted in a reason: enough for `invalid_payload` or a JSON error. */
const REASON_BODY_CHARS = 200;

const header = (response: Pick<HttpResponse, 'headers'>, name: string): string | undefined => {
  const value = response.headers[name] ?? response.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * Reads `Retry-After` as delta-seconds or an HTTP-date; ms to wait from `nowMs`, clamped to
 * 0..MAX_RETRY_AFTER_MS; undefined when absent or unreadable.
 */
export const retryAfterMs = (value: string | undefined, nowMs: number = Date.now()): number | undefined => {
  if (value === undefined) return undefined;
  const text = value.trim();
  let ms: number;
  if (/^\d+$/.test(text)) ms = Number(text) * 1000;
  else {
    // An HTTP-date always names its day or month; Date.parse alone would take "-5" as a year.
    if (!/[a-z]/i.test(text)) return undefined;
    const at = Date.parse(text);
    if (Number.isNaN(at)) return undefined;
    ms = at - nowMs;
  }
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms));
};

/** A short, single-line excerpt of a response body for reasons and logs. */
export const bodyExcerpt = (body: string): string => {
  const line = body.replace(/\s+/g, ' ').trim();
  return line.length > REASON_BODY_CHARS ? `${line.slice(0, REASON_BODY_CHARS)}…` : line;
};

/** `HTTP 404: no_service` — status and what the service said. */
export const statusReason = (response: Pick<HttpResponse, 'status' | 'body'>): string => {
  const excerpt = bodyExcerpt(response.body);
  return excerpt === '' ? `HTTP ${response.status}` : `HTTP ${response.status}: ${excerpt}`;
};

/**
 * The common rules: 2xx delivered; 408, 429 and 5xx except 501 retried; any other status
 * (4xx, 501, 1xx/3xx left unanswered) dropped. A `Retry-After` on 429 or 503 becomes an exact
 * wait (`afterMs`) and pauses the destination for every block (`pause`).
 */
export const classifyHttp = (response: HttpResponse, nowMs: number = Date.now()): Verdict => {
  const { status } = response;
  if (status >= 200 && status < 300) return { kind: 'delivered', detail: `HTTP ${status}` };
  const reason = statusReason(response);
  if (status === 408 || status === 429 || (status >= 500 && status !== 501 && status < 600)) {
    const after = status === 429 || status === 503 ? retryAfterMs(header(response, 'retry-after'), nowMs) : undefined;
    return after === undefined ? { kind: 'retry', reason } : { kind: 'retry', reason, afterMs: after, pause: true };
  }
  return { kind: 'drop', reason };
};

/**
 * A send that got no answer: every network failure and timeout is retried, except a URL or a
 * header that can never work (dropped). Never includes the URL in the reason.
 */
export const classifyError = (error: unknown): Verdict => {
  if (error instanceof HttpError) {
    const never = error.code === 'HTTP_INVALID_URL' || error.code === 'HTTP_INVALID_HEADER';
    return never ? { kind: 'drop', reason: error.message } : { kind: 'retry', reason: error.message };
  }
  return { kind: 'retry', reason: error instanceof Error ? error.message : String(error) };
};
