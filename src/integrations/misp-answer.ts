// How a MISP `attributes/restSearch` answer is read: the first attribute if it is the value, MISP's error, or the verdict (429 waits, 5xx retries).

import type { HttpResponse, Verdict } from '../delivery/step.js';
import { DEFAULT_RATE_LIMIT_WAIT_MS, retryAfterMs } from '../delivery/retry-after.js';
import { bodyExcerpt } from '../delivery/classify-http.js';
import type { MispAnswer, MispAttribute } from './misp-event.js';

/** Longest error text copied into `misp_error_response` (the script copies any length). */
export const MAX_MISP_ERROR_CHARS = 1024;

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u);

const parseJson = (body: string): unknown => {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
};

/**
 * A 200 body read as the script does: `response.Attribute[0]` when its `value` equals the IOC → its
 * value, comment, uuid, timestamp, event_id and Event's org_id, info and threat_level_id (a missing
 * one null); an empty list, another value, or another shape (`{"response": []}` of older MISP) → null.
 */
export const matchingAttribute = (body: string, value: string): MispAttribute | null => {
  const json = parseJson(body);
  const response = isRecord(json) ? json['response'] : undefined;
  const attributes = isRecord(response) ? response['Attribute'] : undefined;
  const first: unknown = Array.isArray(attributes) ? attributes[0] : undefined;
  if (!isRecord(first) || first['value'] !== value) return null;
  const event = isRecord(first['Event']) ? first['Event'] : {};
  const of = (record: Record<string, unknown>, key: string): unknown => record[key] ?? null;
  return {
    value: of(first, 'value'),
    comment: of(first, 'comment'),
    uuid: of(first, 'uuid'),
    timestamp: of(first, 'timestamp'),
    event_id: of(first, 'event_id'),
    event_org_id: of(event, 'org_id'),
    event_info: of(event, 'info'),
    threat_level_id: of(event, 'threat_level_id'),
  };
};

const bounded = (text: unknown): unknown => (typeof text === 'string' ? bodyExcerpt(text, MAX_MISP_ERROR_CHARS) : text);

/**
 * The script's error entry for another status: `message` and `url` of MISP's JSON body ("" when
 * absent), or the body's text as `message` when it is not JSON. Text is bounded and scrubbed of secrets.
 */
export const mispError = (response: HttpResponse): MispAnswer => {
  const json = parseJson(response.body);
  if (json === undefined) return { kind: 'error', status: response.status, message: bounded(response.body), url: '' };
  const record = isRecord(json) ? json : {};
  return { kind: 'error', status: response.status, message: bounded(record['message'] ?? ''), url: bounded(record['url'] ?? '') };
};

/**
 * 2xx (MISP answers 200) → delivered, with the matching attribute or null; 429 → retried after Retry-After (else 60 s)
 * with the destination paused; 5xx and 408 → retried (then dead-lettered: MISP is down); any other
 * status (401, 403, 404 …) → dropped with the script's error entry: its `misp_error_response` event
 * is written, and the alert dead-lettered for a redrive once the key or URL is fixed.
 */
export const classifyMisp = (response: HttpResponse, value: string, nowMs: number = Date.now()): { verdict: Verdict; answer?: MispAnswer } => {
  const { status } = response;
  if (status >= 200 && status < 300) return { verdict: { kind: 'delivered' }, answer: { kind: 'found', match: matchingAttribute(response.body, value) } };
  const detail = bodyExcerpt(response.body, 120);
  const reason = `misp answered ${status}${detail === '' ? '' : `: ${detail}`}`;
  if (status === 429) return { verdict: { kind: 'retry', reason, afterMs: retryAfterMs(response.headers, nowMs) ?? DEFAULT_RATE_LIMIT_WAIT_MS, pause: true } };
  if (status >= 500 || status === 408) return { verdict: { kind: 'retry', reason } };
  return { verdict: { kind: 'drop', reason }, answer: mispError(response) };
};
