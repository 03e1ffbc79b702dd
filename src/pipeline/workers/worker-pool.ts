// The main thread's delivery workers: started, told about blocks, fed lines, answered, restarted after a crash, stopped.

import { Worker } from 'node:worker_threads';
import client from 'prom-client';
import type { DeadLetterSink } from '../../delivery/dead-letter.js';
import type { QueueWriter } from '../../delivery/queue-writer.js';
import { errorMessage } from '../../errors.js';
import { log } from '../../telemetry/log.js';
import { WorkersRegistry } from '../../telemetry/workers-registry.js';
import { settledWithin } from '../settled-within.js';
import type { WireConfig } from './config-wire.js';
import type { SharedPauses } from './shared-pauses.js';
import type { FromWorker, ToWorker, WireOutcome, WorkerInit } from './worker-protocol.js';

/** A worker that crashed this many times is not started again: its share goes to the others, or to the main thread. */
export const MAX_WORKER_RESTARTS = 3;
/** The reason routes are given for the lines of a worker that crashed. */
export const WORKER_CRASHED = 'its delivery worker crashed';
/** How long a stopping worker gets to close its connections before it is terminated (ms). */
const STOP_WAIT_MS = 2000;

/** A block's side of the pool (worker-route.ts): what it must hear about. */
export interface PoolRoute {
  /** Unique per route (the block id and a number): what lines, outcomes and `close` name. */
  readonly key: string;
  readonly config: WireConfig;
  settle(slot: Slot, delivered: readonly number[], list: readonly WireOutcome[]): void;
  /** The worker cannot deliver for the block (it crashed, or its startup check refused): its unsettled lines go elsewhere. */
  lost(slot: Slot, why: string): void;
}

/** One worker thread (replaced by a new one, under the same index, after a crash). */
export class Slot {
  readonly index: number;
  readonly worker: Worker;
  /** Unique per thread started: its metrics snapshot's key. */
  readonly key: string;
  alive = true;
  constructor(index: number, worker: Worker, key: string) {
    this.index = index;
    this.worker = worker;
    this.key = key;
  }
  post(message: ToWorker): void {
    if (this.alive) this.worker.postMessage(message);
  }
}

export interface WorkerPoolOptions {
  readonly workers: number;
  readonly init: WorkerInit;
  /** The main thread's dead-letter store: the one writer of each block file. */
  readonly deadLetters: DeadLetterSink;
  /** The main thread's write-back: the one queue socket client or --enrichment-out file. */
  readonly queue: QueueWriter;
  /** The main thread's pauses: a pause seen anywhere holds the destination in every thread. */
  readonly pauses: SharedPauses;
  readonly registry: client.Registry;
}

/**
 * A worker running delivery-worker: the compiled file, or, when this process runs the TypeScript
 * sources (tsx: specs, `npm start`), a bootstrap that registers tsx in the thread first (a worker does
 * not inherit the main thread's module hooks).
 */
const startWorker = (workerData: WorkerInit): Worker => {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./delivery-worker.js', import.meta.url), { workerData });
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const entry = JSON.stringify(new URL('./delivery-worker.ts', import.meta.url).href);
  return new Worker(`import(${tsx}).then((api) => { api.register(); return import(${entry}); })`, { eval: true, workerData });
};

const counter = (registry: client.Registry, name: string, help: string): client.Counter =>
  (registry.getSingleMetric(name) as client.Counter | undefined) ?? new client.Counter({ name, help, registers: [registry] });

/**
 * N delivery workers. Blocks attach a route (`attach`): every worker opens the block. Lines are sent
 * with `send`; answers (outcomes, dead-letter appends, write-backs, pauses, log lines, metrics) come
 * back through `message`. A worker that exits unasked is a crash: logged, counted, every route told
 * (its unsettled lines are delivered again elsewhere), and a new worker started (up to MAX_WORKER_RESTARTS).
 */
export class WorkerPool {
  readonly #options: WorkerPoolOptions;
  readonly #slots: Slot[] = [];
  readonly #routes = new Map<string, PoolRoute>();
  readonly #restarts: number[];
  readonly #stopped = new Map<Slot, () => void>();
  readonly #crashes: client.Counter;
  #started = 0;
  #closing = false;
  #version = 0;

  constructor(options: WorkerPoolOptions) {
    this.#options = options;
    this.#restarts = new Array<number>(options.workers).fill(0);
    this.#crashes = counter(options.registry, 'integratord_worker_crashes_total', 'Delivery workers (--workers) that exited unasked; their unsettled alerts were delivered again.');
    options.pauses.listen((destination, until) => this.#broadcast({ t: 'pause', destination, until }));
    for (let i = 0; i < options.workers; i++) this.#slots.push(this.#start(i));
  }

  /** Changes whenever a worker stops or starts: routes recompute their list of live workers then (not per alert). */
  get version(): number {
    return this.#version;
  }

  /** Workers that can deliver now. */
  get live(): readonly Slot[] {
    return this.#slots.filter((s) => s.alive);
  }

  /** Every worker opens the block; its outcomes and losses go to `route`. */
  attach(route: PoolRoute): void {
    this.#routes.set(route.key, route);
    for (const slot of this.live) slot.post({ t: 'open', block: route.key, config: route.config });
  }

  /** The block is done (ended or torn down): workers abort what is left of it and forget it. */
  detach(route: PoolRoute): void {
    if (!this.#routes.delete(route.key)) return;
    for (const slot of this.live) slot.post({ t: 'close', block: route.key });
  }

  /** Stops every worker: connections closed, last metrics sent; terminated after STOP_WAIT_MS. */
  async close(): Promise<void> {
    this.#closing = true;
    await Promise.all(
      this.live.map(async (slot) => {
        const stopped = new Promise<void>((resolve) => this.#stopped.set(slot, resolve));
        slot.post({ t: 'stop' });
        await settledWithin(stopped, STOP_WAIT_MS);
        slot.alive = false;
        await slot.worker.terminate();
      }),
    );
  }

  #start(index: number): Slot {
    const worker = startWorker(this.#options.init);
    const slot = new Slot(index, worker, `${index}.${this.#started++}`);
    this.#version++;
    worker.on('message', (message: FromWorker) => this.#message(slot, message));
    let failure = '';
    worker.on('error', (error) => (failure = errorMessage(error)));
    worker.on('exit', (code) => this.#exited(slot, code, failure));
    return slot;
  }

  #exited(slot: Slot, code: number, failure: string): void {
    const wasAlive = slot.alive;
    slot.alive = false;
    this.#version++;
    this.#stopped.get(slot)?.();
    if (this.#closing || !wasAlive) return;
    this.#crashes.inc();
    if (this.#options.registry instanceof WorkersRegistry) this.#options.registry.retire(slot.key);
    const restart = this.#restarts[slot.index]! < MAX_WORKER_RESTARTS;
    log.critical('DeliveryWorkerCrashed', { worker: slot.index, exit_code: code, ...(failure === '' ? {} : { error: failure }), restarted: restart });
    for (const route of this.#routes.values()) route.lost(slot, WORKER_CRASHED);
    if (!restart) return;
    this.#restarts[slot.index]!++;
    const next = this.#start(slot.index);
    this.#slots[slot.index] = next;
    for (const route of this.#routes.values()) next.post({ t: 'open', block: route.key, config: route.config });
  }

  #broadcast(message: ToWorker, except?: Slot): void {
    for (const slot of this.live) if (slot !== except) slot.post(message);
  }

  #message(slot: Slot, message: FromWorker): void {
    switch (message.t) {
      case 'outcomes':
        return this.#routes.get(message.block)?.settle(slot, message.delivered, message.list);
      case 'open-failed':
        log.critical('DeliveryWorkerRefusedBlock', { worker: slot.index, block_id: this.#routes.get(message.block)?.config.id, reason: message.reason });
        return this.#routes.get(message.block)?.lost(slot, message.reason);
      case 'pause':
        this.#options.pauses.apply(message.destination, message.until);
        return this.#broadcast({ t: 'pause', destination: message.destination, until: message.until }, slot);
      case 'dead-letter':
        return void this.#options.deadLetters.append(message.record).then(
          () => slot.post({ t: 'dead-letter-done', id: message.id }),
          (error: unknown) => slot.post({ t: 'dead-letter-done', id: message.id, error: errorMessage(error) }),
        );
      case 'queue':
        return void this.#options.queue.send(message.message, new AbortController().signal).then((verdict) => slot.post({ t: 'queue-done', id: message.id, verdict }));
      case 'log':
        return log[message.level](message.message, message.fields);
      case 'metrics':
        if (this.#options.registry instanceof WorkersRegistry) this.#options.registry.setSnapshot(slot.key, message.snapshot);
        return;
      case 'stopped':
        return this.#stopped.get(slot)?.();
    }
  }
}
