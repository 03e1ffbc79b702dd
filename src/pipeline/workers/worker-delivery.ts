// --workers N: which blocks deliver over the worker pool and which stay on the main thread, and the pool's lifetime.

import type { OperatorFunction } from 'rxjs';
import { DEFAULT_CONNECTIONS } from '../../delivery/http.js';
import type { IntegrationConfig } from '../../config/integration-config.js';
import type { BlockIntegration } from '../../integrations/definition.js';
import { log } from '../../telemetry/log.js';
import type { Metrics } from '../../telemetry/metrics.js';
import { WorkersRegistry } from '../../telemetry/workers-registry.js';
import { DEFAULT_BLOCK_CONCURRENCY } from '../block-pipeline.js';
import type { DeliveryParts } from '../delivery-parts.js';
import type { IntegratorOptions } from '../integrator-options.js';
import type { Envelope, Outcome } from '../outcome.js';
import { pinnedReason } from './pin-block.js';
import { SharedPauses } from './shared-pauses.js';
import { WorkerPool } from './worker-pool.js';
import { workerDeliver } from './worker-route.js';

/**
 * What an integrator needs before its parts exist: how many delivery threads (a dry run: one), and
 * with more than one, the registry that adds up the workers' metrics and pauses shared with them.
 */
export const workerParts = (options: Pick<IntegratorOptions, 'workers' | 'dryRun'>): { count: number; registry?: WorkersRegistry; pauses?: SharedPauses } => {
  const count = options.dryRun ? 1 : (options.workers ?? 1);
  return count > 1 ? { count, registry: new WorkersRegistry(), pauses: new SharedPauses() } : { count };
};

/** How often each worker sends its metrics to the main thread's /metrics (ms). */
export const WORKER_METRICS_EVERY_MS = 1000;

/**
 * The delivery side of `--workers N` (N > 1) for one integrator. A block with per-block state (see
 * pinnedReason) delivers on the main thread; the others over the pool, started with the first such
 * block. In-flight limits stay those of one thread: each worker delivers `ceil(concurrency / N)` alerts
 * of a block at once over `ceil(connections / N)` connections per destination.
 */
export class WorkerDelivery {
  readonly #workers: number;
  readonly #options: IntegratorOptions;
  readonly #parts: DeliveryParts;
  readonly #metrics: Metrics;
  #pool: WorkerPool | undefined;

  constructor(workers: number, options: IntegratorOptions, parts: DeliveryParts, metrics: Metrics) {
    this.#workers = workers;
    this.#options = options;
    this.#parts = parts;
    this.#metrics = metrics;
  }

  /** The block's deliver operator: over the workers, or `onMain` (the block pipeline on this thread) for a pinned block. */
  deliver(config: IntegrationConfig, integration: BlockIntegration, onMain: OperatorFunction<Envelope, Outcome>): OperatorFunction<Envelope, Outcome> {
    const pinned = pinnedReason(config, integration, this.#options.paths);
    if (pinned !== undefined) {
      log.info(`Block ${config.index} ('${config.name}') delivers on the main thread (${pinned}: its state keeps one owner).`);
      return onMain;
    }
    return workerDeliver(this.#start(), config, onMain);
  }

  /** Stops the workers (after the blocks stopped). */
  async close(): Promise<void> {
    await this.#pool?.close();
    this.#pool = undefined;
  }

  #start(): WorkerPool {
    if (this.#pool !== undefined) return this.#pool;
    const options = this.#options;
    const pauses = this.#parts.pauses;
    if (!(pauses instanceof SharedPauses)) throw new Error('delivery workers need the integrator to share its pauses (SharedPauses)');
    const backoff = options.pipeline?.backoff;
    const share = (n: number) => Math.max(1, Math.ceil(n / this.#workers));
    this.#pool = new WorkerPool({
      workers: this.#workers,
      init: {
        paths: options.paths,
        debug: options.debug ?? 0,
        concurrency: share(options.concurrency ?? DEFAULT_BLOCK_CONCURRENCY),
        connections: share(options.connections ?? DEFAULT_CONNECTIONS),
        backoff: backoff && { ...(backoff.baseMs === undefined ? {} : { baseMs: backoff.baseMs }), ...(backoff.capMs === undefined ? {} : { capMs: backoff.capMs }) },
        deadlines: options.pipeline?.deadlines,
        logDebug: log.enabled('debug2') ? 2 : log.enabled('debug') ? 1 : 0,
        metricsEveryMs: WORKER_METRICS_EVERY_MS,
        silences: options.silences !== undefined,
      },
      deadLetters: this.#parts.deadLetters,
      queue: this.#parts.queue,
      pauses,
      registry: this.#metrics.registry,
    });
    return this.#pool;
  }
}
