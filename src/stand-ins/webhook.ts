// A generic JSON webhook stand-in: accepts JSON posts, notices repeated Idempotency-Keys.

import { startStandIn, type StandIn, type StandInOptions } from './stand-in-server.js';

/**
 * Answers like a typical alert-ingest endpoint: POST with a JSON body → 200 `{"ok":true}`
 * (`"duplicate":true` when its Idempotency-Key was seen before); not JSON → 400.
 */
export const webhookAnswer = (): StandInOptions['answer'] => {
  const seen = new Set<string>();
  return (request) => {
    if (request.method !== 'POST') return { status: 405, body: { ok: false, error: 'method not allowed' } };
    if (request.json === undefined) return { status: 400, body: { ok: false, error: 'body is not JSON' } };
    const key = request.headers['idempotency-key'];
    if (typeof key === 'string') {
      if (seen.has(key)) return { status: 200, body: { ok: true, duplicate: true } };
      seen.add(key);
    }
    return { status: 200, body: { ok: true } };
  };
};

/** Starts a webhook stand-in on 127.0.0.1. */
export const startWebhookStandIn = (options: Omit<StandInOptions, 'answer'> = {}): Promise<StandIn> => startStandIn({ ...options, answer: webhookAnswer() });
