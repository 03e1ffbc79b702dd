// How a MISP `attributes/restSearch` answer is read: the first attribute (or none), and the verdict (429 waits, 401/403 refuse).

import type { HttpResponse, Verdict } from '../delivery/step.js';
import { DEFAULT_RATE_LIMIT_WAIT_MS, retryAfterMs } from '../delivery/retry-after.js';
import { bodyExcerpt } from '../delivery/classify-http.js';
import type { MispMatch } from './misp-event.js';

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u);

const parseJson = (body: string): unknown => {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
};

/**
 * MISP's answer body: `{"response": {"Attribute": [...]}}` → the first attribute's event_id,
 * category, value and type (the script reads `Attribute[0]`), or null for an empty list (and for
 * `{"response": []}`, which older MISP versions send when nothing matches); undefined for anything else.
 */
export const firstAttribute = (body: string): MispMatch | undefined => {
  const json = parseJson(body);
  const response = isRecord(json) ? json['response'] : undefined;
  if (Array.isArray(response) && response.length === 0) return null;
  const attributes = isRecord(response) ? response['Attribute'] : undefined;
  if (!Array.isArray(attributes)) return undefined;
  const first: unknown = attributes[0];
  if (first === undefined) return null;
  if (!isRecord(first)) return undefined;
  return { event_id: first['event_id'], category: first['category'], value: first['value'], type: first['type'] };
};

/** MISP's error text (`message`, else `name`, else the body), shortened and scrubbed of secrets. */
const errorText = (body: string): string => {
  const json = parseJson(body);
  const said = isRecord(json) ? (typeof json['message'] === 'string' ? json['message'] : json['name']) : undefined;
  return bodyExcerpt(typeof said === 'string' ? said : body, 120);
};

/**
 * 2xx with attributes → delivered with the first (or null: nothing known); 200 of another shape →
 * dropped; 429 → retried after Retry-After (else 60 s) with the destination paused; 5xx and 408 →
 * retried; 401, 403 and other answers → dropped with MISP's message (never the key).
 */
export const classifyMisp = (response: HttpResponse, nowMs: number = Date.now()): { verdict: Verdict; match?: MispMatch } => {
  const { status } = response;
  if (status >= 200 && status < 300) {
    const match = firstAttribute(response.body);
    return match === undefined ? { verdict: { kind: 'drop', reason: 'misp answered 200 without response.Attribute' } } : { verdict: { kind: 'delivered' }, match };
  }
  const detail = errorText(response.body);
  const reason = `misp answered ${status}${detail === '' ? '' : `: ${detail}`}`;
  if (status === 429) return { verdict: { kind: 'retry', reason, afterMs: retryAfterMs(response.headers, nowMs) ?? DEFAULT_RATE_LIMIT_WAIT_MS, pause: true } };
  if (status >= 500 || status === 408) return { verdict: { kind: 'retry', reason } };
  return { verdict: { kind: 'drop', reason } };
};
