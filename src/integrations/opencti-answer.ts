// How an OpenCTI GraphQL answer is read: `data`, or `errors` (sent with HTTP 200), 401 and 429 as verdicts.

import type { HttpResponse, Verdict } from '../delivery/step.js';
import { DEFAULT_RATE_LIMIT_WAIT_MS, retryAfterMs } from '../delivery/retry-after.js';
import { bodyExcerpt } from '../delivery/classify-http.js';

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u);

/** GraphQL error codes that no retry cures: the token, the permissions, the query or its filters. */
const FINAL_CODES = new Set(['AUTH_REQUIRED', 'FORBIDDEN_ACCESS', 'AUTH_FAILURE', 'UNAUTHENTICATED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'FUNCTIONAL_ERROR', 'UNSUPPORTED_ERROR']);

const parseJson = (body: string): unknown => {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
};

/** The first GraphQL error: its code (extensions.code) and message, shortened and scrubbed. */
const firstError = (errors: unknown[]): { code: string; message: string } => {
  const first: unknown = errors[0];
  const code = isRecord(first) ? (isRecord(first['extensions']) ? first['extensions']['code'] : undefined) ?? first['name'] : undefined;
  const message = isRecord(first) && typeof first['message'] === 'string' ? first['message'] : JSON.stringify(first);
  return { code: typeof code === 'string' ? code : 'UNKNOWN', message: bodyExcerpt(message, 120) };
};

/**
 * 2xx with `data` (indicators and stixCyberObservables) → delivered with it; 2xx with `errors` →
 * dropped when the code is final (AUTH_REQUIRED: a wrong token; validation, forbidden …), retried
 * otherwise (OpenCTI's database or engine unavailable); 401/403 → dropped; 429 → retried after
 * Retry-After (else 60 s) with the destination paused; 5xx/408 → retried.
 */
export const classifyOpenCti = (response: HttpResponse, nowMs: number = Date.now()): { verdict: Verdict; data?: unknown } => {
  const { status } = response;
  if (status >= 200 && status < 300) {
    const json = parseJson(response.body);
    const errors = isRecord(json) && Array.isArray(json['errors']) && json['errors'].length > 0 ? json['errors'] : undefined;
    if (errors !== undefined) {
      const { code, message } = firstError(errors);
      const reason = `opencti answered GraphQL error ${code}: ${message}`;
      return { verdict: FINAL_CODES.has(code) ? { kind: 'drop', reason } : { kind: 'retry', reason } };
    }
    const data = isRecord(json) ? json['data'] : undefined;
    return isRecord(data) && isRecord(data['indicators']) && isRecord(data['stixCyberObservables'])
      ? { verdict: { kind: 'delivered' }, data }
      : { verdict: { kind: 'drop', reason: 'opencti answered 200 without data.indicators and data.stixCyberObservables' } };
  }
  const excerpt = bodyExcerpt(response.body, 120);
  const reason = `opencti answered ${status}${excerpt === '' ? '' : `: ${excerpt}`}`;
  if (status === 429) return { verdict: { kind: 'retry', reason, afterMs: retryAfterMs(response.headers, nowMs) ?? DEFAULT_RATE_LIMIT_WAIT_MS, pause: true } };
  if (status >= 500 || status === 408) return { verdict: { kind: 'retry', reason } };
  return { verdict: { kind: 'drop', reason } };
};
