// Shared HTTP classification: status and network errors to a Verdict; integrations add their own rules.

import { HttpError } from './http.js';
import { retryAfterMs } from './retry-after.js';
import type { HttpResponse, Verdict } from './step.js';
import { errorMessage } from '../errors.js';
import { scrubSecrets } from '../telemetry/log.js';
import { scrubSecretPieces } from '../telemetry/secret-pieces.js';

/** Characters of a response body quoted in a reason: enough for `invalid_payload` or a JSON error. */
const REASON_BODY_CHARS = 200;

/**
 * A short, single-line excerpt of what a service or a script said, for reasons and logs: registered
 * secrets are scrubbed from the whole text first, then it is cut to `max` characters — cut first, a
 * token split by the cut would no longer match and its first characters would show. Any run of 8
 * characters of a secret is redacted too (a service that echoes a token cut short).
 */
export const bodyExcerpt = (body: string, max: number = REASON_BODY_CHARS): string => {
  const line = scrubSecretPieces(scrubSecrets(body)).replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
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
    const after = status === 429 || status === 503 ? retryAfterMs(response.headers, nowMs) : undefined;
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
    return never ? { kind: 'drop', reason: error.message, code: error.code } : { kind: 'retry', reason: error.message, code: error.code };
  }
  return { kind: 'retry', reason: errorMessage(error) };
};
