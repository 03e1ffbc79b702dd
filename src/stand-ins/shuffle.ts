// A Shuffle webhook stand-in: `/api/v1/hooks/<id>` starts an "execution", misbehaves on demand.

import { randomUUID } from 'node:crypto';
import { startStandIn, type StandIn, type StandInOptions } from './stand-in-server.js';

/**
 * Answers like a Shuffle webhook trigger: POST `/api/v1/hooks/<id>` with JSON → 200
 * `{"success":true,"execution_id":…}`; not JSON → 400 `{"success":false,"reason":…}`; any other
 * path → 404.
 */
export const shuffleAnswer: StandInOptions['answer'] = (request) => {
  if (request.method !== 'POST' || !/^\/api\/v1\/hooks\/[^/?]+/.test(request.url)) return { status: 404, body: { success: false, reason: 'Hook not found' } };
  if (request.json === undefined) return { status: 400, body: { success: false, reason: 'Body is not valid JSON' } };
  return { status: 200, body: { success: true, execution_id: randomUUID() } };
};

/** Starts a Shuffle stand-in on 127.0.0.1. Hook URLs look like `${url}/api/v1/hooks/webhook_x`. */
export const startShuffleStandIn = (options: Omit<StandInOptions, 'answer'> = {}): Promise<StandIn> => startStandIn({ ...options, answer: shuffleAnswer });
