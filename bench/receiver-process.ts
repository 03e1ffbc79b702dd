// Child-process entry of the benchmark receiver: the webhook stand-in, timing each request it receives.
// Started by receiver.ts with fork(); talks to its parent over the IPC channel only.

import { startStandIn } from '../src/stand-ins/stand-in-server.js';
import { webhookAnswer } from '../src/stand-ins/webhook.js';
import { WRITTEN_AT_KEY } from './append-writer.js';
import { percentile, wallMicros } from './bench-env.js';
import type { ReceiverCommand, ReceiverReply, ReceiverStats } from './receiver.js';

/** Header a sender may set to its send time (wall-clock µs); see send-stamp.mjs. */
const SENT_AT_HEADER = 'x-bench-sent-at';

const answer = webhookAnswer();
let count = 0;
let rejected = 0;
let first = 0;
let last = 0;
let latencies: number[] = [];

const server = await startStandIn({
  delayMs: Number(process.argv[2] ?? 0),
  // Keep no request bodies: 1M requests must not grow this process.
  keep: 0,
  answer: (request) => {
    const now = wallMicros();
    if (count === 0) first = now;
    last = now;
    count += 1;
    const sent = request.headers[SENT_AT_HEADER];
    const written = (request.json as Record<string, unknown> | undefined)?.[WRITTEN_AT_KEY];
    const from = typeof sent === 'string' ? Number(sent) : typeof written === 'number' ? written : undefined;
    if (from !== undefined) latencies.push((now - from) / 1000);
    const reply = answer(request);
    if (reply.status >= 300) rejected += 1;
    return reply;
  },
});

const stats = (): ReceiverStats => {
  const sorted = Float64Array.from(latencies).sort();
  return {
    count,
    rejected,
    firstAtUs: first,
    lastAtUs: last,
    latency: {
      n: sorted.length,
      p50: percentile(sorted, 50),
      p90: percentile(sorted, 90),
      p99: percentile(sorted, 99),
      max: percentile(sorted, 100),
    },
  };
};

const reply = (message: ReceiverReply) => process.send?.(message);

process.on('message', (message: ReceiverCommand) => {
  switch (message.type) {
    case 'count':
      return reply({ id: message.id, type: 'count', count });
    case 'stats':
      return reply({ id: message.id, type: 'stats', stats: stats() });
    case 'reset':
      count = 0;
      rejected = 0;
      first = 0;
      last = 0;
      latencies = [];
      return reply({ id: message.id, type: 'done' });
    case 'delay':
      server.setDelay(message.ms);
      return reply({ id: message.id, type: 'done' });
    case 'close':
      void server.close().then(() => {
        reply({ id: message.id, type: 'done' });
        process.disconnect();
      });
  }
});

reply({ id: 0, type: 'ready', url: server.url });
