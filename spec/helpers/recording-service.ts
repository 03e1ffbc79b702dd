// A loopback stand-in that answers like Slack, PagerDuty, Shuffle or a webhook (by path) and logs each request's alert id and time.

import { webhookAnswer } from '../../src/stand-ins/webhook.js';
import { pagerDutyAnswer } from '../../src/stand-ins/pagerduty.js';
import { shuffleAnswer } from '../../src/stand-ins/shuffle.js';
import { slackAnswer } from '../../src/stand-ins/slack.js';
import { startStandIn, type ReceivedRequest, type Reply, type StandIn } from '../../src/stand-ins/stand-in-server.js';

/** One request as the receiver saw it: small, so that tens of thousands fit (bodies are not kept). */
export interface Receipt {
  /** The path without the query: tells the blocks apart. */
  readonly path: string;
  /** The alert id the payload carries (see alertIdOf). */
  readonly id: string | undefined;
  /** Date.now() when the request was complete. */
  readonly at: number;
  /** The status answered. */
  readonly status: number;
}

const member = (value: unknown, key: string): unknown =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;

/**
 * The alert id in a request body, whichever integration sent it: webhook and Shuffle `id`,
 * Slack `attachments[0].ts`, PagerDuty `dedup_key`. Undefined when there is none.
 */
export const alertIdOf = (request: Pick<ReceivedRequest, 'json'>): string | undefined => {
  const json = request.json;
  const attachments = member(json, 'attachments');
  const candidates = [member(json, 'dedup_key'), Array.isArray(attachments) ? member(attachments[0], 'ts') : undefined, member(json, 'id')];
  const found = candidates.find((c) => typeof c === 'string');
  return found as string | undefined;
};

const webhook = webhookAnswer();

/** Answers like the service its path belongs to: `/services/…` Slack, `/v2/enqueue` PagerDuty, `/api/v1/hooks/…` Shuffle, else a JSON webhook. */
export const serviceAnswer = (request: ReceivedRequest): Reply => {
  if (request.url.startsWith('/services/')) return slackAnswer(request);
  if (request.url.startsWith('/v2/enqueue')) return pagerDutyAnswer(request);
  if (request.url.startsWith('/api/v1/hooks/')) return shuffleAnswer(request);
  return webhook(request);
};

export interface RecordingService {
  readonly standIn: StandIn;
  readonly url: string;
  readonly receipts: Receipt[];
  /** Receipts of one path (one block). */
  of(path: string): Receipt[];
  close(): Promise<void>;
}

/**
 * Starts the stand-in on 127.0.0.1 (`port` 0: any free one). `answer` decides each reply
 * (default serviceAnswer); every request is logged as a Receipt before it is answered.
 */
export const startRecordingService = async (
  options: { readonly port?: number; readonly answer?: (request: ReceivedRequest, receipts: readonly Receipt[]) => Reply } = {},
): Promise<RecordingService> => {
  const receipts: Receipt[] = [];
  const answer = options.answer ?? serviceAnswer;
  const standIn = await startStandIn({
    port: options.port ?? 0,
    keep: 0,
    answer: (request) => {
      const reply = answer(request, receipts);
      receipts.push({ path: request.url.split('?')[0]!, id: alertIdOf(request), at: request.receivedAt, status: reply.status });
      return reply;
    },
  });
  return {
    standIn,
    url: standIn.url,
    receipts,
    of: (path) => receipts.filter((r) => r.path === path),
    close: () => standIn.close(),
  };
};
