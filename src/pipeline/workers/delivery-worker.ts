// A delivery worker (worker_thread): opens the blocks it is sent and delivers their lines through the block pipeline.

import { parentPort, workerData } from 'node:worker_threads';
import { Subject, type Subscription } from 'rxjs';
import { parseAlertLine } from '../../alerts/parse.js';
import { LiveSilences } from '../../silences/live-silences.js';
import { configureLog, createLogger, withLogger } from '../../telemetry/log.js';
import { createMetrics } from '../../telemetry/metrics.js';
import { createDeliveryParts } from '../delivery-parts.js';
import { blockDeliver } from '../open-block.js';
import type { Envelope, Outcome } from '../outcome.js';
import { startupCheck } from '../startup-check.js';
import { fromWire } from './config-wire.js';
import { forwardingLogger, MainRequests } from './forwarding-parts.js';
import { SharedPauses } from './shared-pauses.js';
import type { FromWorker, ToWorker, WireOutcome, WorkerInit } from './worker-protocol.js';

const port = parentPort;
if (port === null) throw new Error('delivery-worker.ts runs only as a worker thread');
const init = workerData as WorkerInit;
const post = (message: FromWorker): void => port.postMessage(message);

configureLog(forwardingLogger(init.logDebug, post));
const metrics = createMetrics();
const requests = new MainRequests(post);
const pauses = new SharedPauses((destination, until) => post({ t: 'pause', destination, until }));
const parts = createDeliveryParts({ paths: init.paths, metrics, connections: init.connections, queue: requests.queue, pauses });
// Silences: STATE/silences.json, read by each worker as the main thread reads it.
const silences = init.silences ? await LiveSilences.open(init.paths.state) : undefined;
/** Startup lines were logged once by the main thread: the worker's own check writes nothing. */
const quiet = createLogger({ destination: { write: () => true } });

interface Block {
  readonly input: Subject<Envelope>;
  readonly subscription: Subscription;
  /** Delivered outcomes as seq, attempts, seq, attempts…; every other kind in `out`. */
  readonly delivered: number[];
  readonly out: WireOutcome[];
}
const blocks = new Map<string, Block>();
/** Outcomes wait at most this long (ms) to go back together… */
const FLUSH_MS = 2;
/** …or until this many of one block are waiting. */
const FLUSH_AT = 512;
let flushing = false;

const flush = (): void => {
  flushing = false;
  for (const [id, block] of blocks) {
    if (block.out.length === 0 && block.delivered.length === 0) continue;
    post({ t: 'outcomes', block: id, delivered: block.delivered.splice(0), list: block.out.splice(0) });
  }
};
const outcome = (block: Block, o: Outcome): void => {
  if (o.kind === 'held') return; // noise control never runs here (pinned to the main thread)
  if (o.kind === 'delivered') block.delivered.push(o.seq, o.attempts);
  else block.out.push(o.kind === 'dead-lettered' ? { kind: o.kind, seq: o.seq, attempts: o.attempts, reason: o.reason } : { kind: o.kind, seq: o.seq, reason: o.reason });
  // One message per few ms, not per outcome: each postMessage costs the worker ~10-30 µs, more on a busy machine (measured).
  if (block.delivered.length + block.out.length >= FLUSH_AT) flush();
  else if (!flushing) {
    flushing = true;
    setTimeout(flush, FLUSH_MS);
  }
};

const open = (message: Extract<ToWorker, { t: 'open' }>): void => {
  const config = fromWire(message.config);
  if (blocks.has(message.block)) return;
  const started = withLogger(quiet, () => startupCheck(config, init.paths, { debug: init.debug, metrics }));
  if (!started.enabled) {
    post({ t: 'open-failed', block: message.block, reason: started.reason });
    return;
  }
  const deliver = blockDeliver(config, started.block, {
    ...parts,
    deadLetters: requests.deadLetters,
    paths: init.paths,
    debug: init.debug,
    concurrency: init.concurrency,
    silences,
    pipeline: { ...(init.backoff ? { backoff: init.backoff } : {}), ...(init.deadlines ? { deadlines: init.deadlines } : {}) },
  });
  const input = new Subject<Envelope>();
  const block: { input: Subject<Envelope>; subscription?: Subscription; delivered: number[]; out: WireOutcome[] } = { input, delivered: [], out: [] };
  block.subscription = input.pipe(deliver).subscribe((o) => outcome(block as Block, o));
  blocks.set(message.block, block as Block);
};

const lines = (message: Extract<ToWorker, { t: 'lines' }>): void => {
  const block = blocks.get(message.block);
  if (block === undefined) return;
  for (let i = 0; i < message.lines.length; i++) {
    const seq = message.seqs[i] as number;
    const parsed = parseAlertLine(message.lines[i] as string);
    if (parsed.ok) block.input.next({ alert: parsed.alert, seq });
    else outcome(block, { kind: 'rejected', seq, reason: parsed.reason });
  }
};

const sendMetrics = async (): Promise<void> => {
  // The main thread owns integratord_block_enabled (its own startup check): not counted once per worker.
  const snapshot = (await metrics.registry.getMetricsAsJSON()).filter((m) => m.name !== 'integratord_block_enabled');
  post({ t: 'metrics', snapshot });
};
const timer = setInterval(() => void sendMetrics(), init.metricsEveryMs);
timer.unref();

const stop = async (): Promise<void> => {
  clearInterval(timer);
  for (const block of blocks.values()) block.subscription.unsubscribe();
  blocks.clear();
  silences?.close();
  await parts.close();
  await sendMetrics();
  post({ t: 'stopped' });
  port.close();
};

port.on('message', (message: ToWorker) => {
  switch (message.t) {
    case 'open':
      return open(message);
    case 'lines':
      return lines(message);
    case 'close': {
      blocks.get(message.block)?.subscription.unsubscribe();
      blocks.delete(message.block);
      return;
    }
    case 'pause':
      return pauses.apply(message.destination, message.until);
    case 'dead-letter-done':
      return requests.answer(message.id, undefined, message.error);
    case 'queue-done':
      return requests.answer(message.id, message.verdict);
    case 'stop':
      return void stop();
  }
});
