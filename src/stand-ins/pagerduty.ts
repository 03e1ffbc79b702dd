// A PagerDuty Events API v2 stand-in: 202 with a dedup_key, 400 for invalid events, 429 on demand.

import { randomUUID } from 'node:crypto';
import { startStandIn, type Reply, type StandIn, type StandInOptions } from './stand-in-server.js';

const SEVERITIES = new Set(['critical', 'error', 'warning', 'info']);
const ACTIONS = new Set(['trigger', 'acknowledge', 'resolve']);

/** PagerDuty's answers, to script misbehaviour with `standIn.script(...)`. */
export const PAGERDUTY_REPLIES = {
  invalid: (errors: readonly string[]): Reply => ({ status: 400, body: { status: 'invalid event', message: 'Event object is invalid', errors } }),
  rateLimited: (seconds?: number): Reply => ({
    status: 429,
    ...(seconds === undefined ? {} : { headers: { 'retry-after': String(seconds) } }),
    body: { status: 'throttle event', message: 'Requests for this service are arriving too quickly.  Please retry later.' },
  }),
  unavailable: { status: 503, body: { status: 'unavailable', message: 'Service temporarily unavailable' } },
} as const;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The problems PagerDuty reports for an event (empty when it is valid). */
export const pagerDutyErrors = (event: unknown): string[] => {
  if (!isObject(event)) return ['Event object is not JSON'];
  const errors: string[] = [];
  if (typeof event['routing_key'] !== 'string' || event['routing_key'] === '') errors.push("'routing_key' is missing or blank");
  if (!ACTIONS.has(String(event['event_action']))) errors.push("'event_action' is missing or invalid");
  if (event['event_action'] === 'trigger') {
    const payload = event['payload'];
    if (!isObject(payload)) errors.push("'payload' is missing or blank");
    else {
      for (const key of ['summary', 'source']) if (typeof payload[key] !== 'string' || payload[key] === '') errors.push(`'payload.${key}' is missing or blank`);
      if (!SEVERITIES.has(String(payload['severity']))) errors.push("'payload.severity' is missing or invalid");
    }
  }
  return errors;
};

/**
 * Answers like events.pagerduty.com: POST `/v2/enqueue` with a valid event → 202
 * `{"status":"success","message":"Event processed","dedup_key":…}` (the event's own key, else a
 * new one); an invalid event → 400 with `errors`; any other path → 404.
 */
export const pagerDutyAnswer: StandInOptions['answer'] = (request) => {
  if (request.method !== 'POST' || request.url.split('?')[0] !== '/v2/enqueue') return { status: 404, body: { status: 'not found', message: 'Not Found' } };
  const errors = pagerDutyErrors(request.json);
  if (errors.length > 0) return PAGERDUTY_REPLIES.invalid(errors);
  const key = (request.json as Record<string, unknown>)['dedup_key'];
  return { status: 202, body: { status: 'success', message: 'Event processed', dedup_key: typeof key === 'string' ? key : randomUUID().replace(/-/g, '') } };
};

/** Starts a PagerDuty stand-in on 127.0.0.1; point a block's hook_url at its `url`. */
export const startPagerDutyStandIn = (options: Omit<StandInOptions, 'answer'> = {}): Promise<StandIn> => startStandIn({ ...options, answer: pagerDutyAnswer });
