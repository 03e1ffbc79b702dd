// A Slack incoming-webhook stand-in: `ok`, `invalid_payload`, `no_service`, rate limits on demand.

import { startStandIn, type Reply, type StandIn, type StandInOptions } from './stand-in-server.js';

/** Slack's answers, to script misbehaviour with `standIn.script(...)`. */
export const SLACK_REPLIES = {
  ok: { status: 200, body: 'ok' },
  invalidPayload: { status: 400, body: 'invalid_payload' },
  noText: { status: 400, body: 'no_text' },
  invalidToken: { status: 403, body: 'invalid_token' },
  noService: { status: 404, body: 'no_service' },
  channelIsArchived: { status: 410, body: 'channel_is_archived' },
  rollupError: { status: 500, body: 'rollup_error' },
  rateLimited: (seconds: number): Reply => ({ status: 429, headers: { 'retry-after': String(seconds) }, body: 'rate_limited' }),
} as const;

const hasMessage = (json: unknown): boolean =>
  typeof json === 'object' && json !== null && ('text' in json || 'attachments' in json || 'blocks' in json);

/**
 * Answers like hooks.slack.com: POST `/services/…` with a JSON message (text, attachments or
 * blocks) → 200 `ok`; not JSON → 400 `invalid_payload`; no message → 400 `no_text`; any other
 * path → 404 `no_service`.
 */
export const slackAnswer: StandInOptions['answer'] = (request) => {
  if (request.method !== 'POST' || !request.url.startsWith('/services/')) return SLACK_REPLIES.noService;
  if (request.json === undefined) return SLACK_REPLIES.invalidPayload;
  return hasMessage(request.json) ? SLACK_REPLIES.ok : SLACK_REPLIES.noText;
};

/** Starts a Slack stand-in on 127.0.0.1 (port 0 unless given). Hook URLs look like `${url}/services/T/B/x`. */
export const startSlackStandIn = (options: Omit<StandInOptions, 'answer'> = {}): Promise<StandIn> => startStandIn({ ...options, answer: slackAnswer });
