// How an AbuseIPDB answer is read: the report, the verdict (429 waits, 401/422 refuse) and the quota headers.

import type { HttpResponse, Verdict } from '../delivery/step.js';
import { DEFAULT_RATE_LIMIT_WAIT_MS, MAX_RETRY_AFTER_MS, retryAfterMs } from '../delivery/retry-after.js';
import { shortText } from './demo-text.js';
import type { AbuseIpdbReport } from './abuseipdb-event.js';

type Headers = HttpResponse['headers'];

const header = (headers: Headers, name: string): string | undefined => {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  const raw = key === undefined ? undefined : headers[key];
  return (Array.isArray(raw) ? raw[0] : raw)?.trim();
};

const integer = (text: string | undefined): number | undefined => (text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined);

/** The daily quota as the answer states it (`X-RateLimit-Limit`, `-Remaining`, `-Reset` in epoch seconds); absent headers are undefined. */
export interface AbuseIpdbQuota {
  readonly limit?: number;
  readonly remaining?: number;
  readonly resetAt?: number;
}

export const readQuota = (headers: Headers): AbuseIpdbQuota => {
  const limit = integer(header(headers, 'x-ratelimit-limit'));
  const remaining = integer(header(headers, 'x-ratelimit-remaining'));
  const resetAt = integer(header(headers, 'x-ratelimit-reset'));
  return { ...(limit === undefined ? {} : { limit }), ...(remaining === undefined ? {} : { remaining }), ...(resetAt === undefined ? {} : { resetAt }) };
};

/** The wait a 429 asks for: Retry-After, else the time until X-RateLimit-Reset, else 60 s; capped like every Retry-After. */
export const quotaWaitMs = (headers: Headers, nowMs: number = Date.now()): number => {
  const after = retryAfterMs(headers, nowMs);
  if (after !== undefined) return after;
  const { resetAt } = readQuota(headers);
  return resetAt === undefined ? DEFAULT_RATE_LIMIT_WAIT_MS : Math.min(MAX_RETRY_AFTER_MS, Math.max(0, resetAt * 1000 - nowMs));
};

const parseJson = (body: string): unknown => {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
};

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u);

/** The first `errors[].detail` of an error body (service text, shortened to `max` characters: it is logged, dead-lettered, written back). */
export const errorDetail = (body: string, max = 120): string | undefined => {
  const json = parseJson(body);
  const first = isRecord(json) && Array.isArray(json['errors']) ? (json['errors'][0] as unknown) : undefined;
  return isRecord(first) && typeof first['detail'] === 'string' ? shortText(first['detail'], max) : undefined;
};

/**
 * 200 with `{"data": {…}}` → delivered with the report; 429 → retry after quotaWaitMs with the
 * destination paused (every lookup of every block using api.abuseipdb.com waits; the alert stays
 * in flight, then in the dead letters redriven automatically, never lost); 5xx → retry; 401, 403,
 * 422 (an address AbuseIPDB refuses) and other answers → drop with the service's detail.
 */
export const classifyAbuseIpdb = (response: HttpResponse, nowMs: number = Date.now()): { verdict: Verdict; report?: AbuseIpdbReport } => {
  const { status } = response;
  if (status === 200) {
    const json = parseJson(response.body);
    const data = isRecord(json) ? json['data'] : undefined;
    return isRecord(data) ? { verdict: { kind: 'delivered' }, report: data } : { verdict: { kind: 'drop', reason: 'abuseipdb answered 200 without a data object' } };
  }
  const detail = errorDetail(response.body);
  const reason = `abuseipdb answered ${status}${detail === undefined ? '' : `: ${detail}`}`;
  if (status === 429) return { verdict: { kind: 'retry', reason, afterMs: quotaWaitMs(response.headers, nowMs), pause: true } };
  if (status >= 500) return { verdict: { kind: 'retry', reason } };
  return { verdict: { kind: 'drop', reason } };
};
