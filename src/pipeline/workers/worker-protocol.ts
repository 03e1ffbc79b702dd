// The messages between the reader (main thread) and its delivery workers: lines in, outcomes and side effects out.

import type { Registry } from 'prom-client';
import type { DeadLetterRecord } from '../../delivery/dead-letter.js';
import type { Verdict } from '../../delivery/step.js';
import type { LogLevel } from '../../telemetry/log.js';
import type { WazuhPaths } from '../../wazuh-home.js';
import type { WireConfig } from './config-wire.js';

/** A registry's metrics as JSON (`getMetricsAsJSON`). */
export type MetricsSnapshot = Awaited<ReturnType<Registry['getMetricsAsJSON']>>;

/** What every worker starts with (workerData): the shared options of its blocks. */
export interface WorkerInit {
  readonly paths: WazuhPaths;
  readonly debug: number;
  /** Alerts one block delivers at once in this worker. */
  readonly concurrency: number;
  /** HTTP connections per destination origin in this worker. */
  readonly connections: number;
  readonly backoff?: { readonly baseMs?: number; readonly capMs?: number } | undefined;
  readonly deadlines?: { readonly httpMs?: number; readonly scriptMs?: number } | undefined;
  /** The main logger's level (0 info, 1 debug, 2 debug2): the worker sends only lines that would be written. */
  readonly logDebug: number;
  /** How often the worker sends its metrics (ms). */
  readonly metricsEveryMs: number;
  /** True when the main thread applies silences: each worker reads STATE/silences.json too. */
  readonly silences: boolean;
}

/** An outcome as it crosses back: the main thread adds the alert it kept. */
export interface WireOutcome {
  readonly kind: 'rejected' | 'skipped' | 'suppressed' | 'dead-lettered';
  readonly seq: number;
  readonly attempts?: number;
  readonly reason?: string;
}

export type ToWorker =
  /**
   * Open a block for one route: `block` is the route's key (the block id and a number of its own), so that a block
   * restarted by a reload never gets outcomes of the lines its previous run sent.
   */
  | { readonly t: 'open'; readonly block: string; readonly config: WireConfig }
  /** Lines of one block (raw alert text, as read) with their sequence numbers. */
  | { readonly t: 'lines'; readonly block: string; readonly seqs: readonly number[]; readonly lines: readonly string[] }
  /** The block is torn down: deliveries in flight are aborted. */
  | { readonly t: 'close'; readonly block: string }
  | { readonly t: 'pause'; readonly destination: string; readonly until: number }
  | { readonly t: 'dead-letter-done'; readonly id: number; readonly error?: string }
  | { readonly t: 'queue-done'; readonly id: number; readonly verdict: Verdict }
  /** Finish: close connections, send the last metrics, exit. */
  | { readonly t: 'stop' };

export type FromWorker =
  /**
   * Outcomes of one block: `delivered` packs the common case as seq, attempts pairs (a plain array of numbers: cheaper to
   * post than one object per alert, and than a transferred typed array, measured); every other outcome is in `list`.
   */
  | { readonly t: 'outcomes'; readonly block: string; readonly delivered: readonly number[]; readonly list: readonly WireOutcome[] }
  | { readonly t: 'open-failed'; readonly block: string; readonly reason: string }
  | { readonly t: 'pause'; readonly destination: string; readonly until: number }
  | { readonly t: 'dead-letter'; readonly id: number; readonly record: DeadLetterRecord }
  | { readonly t: 'queue'; readonly id: number; readonly message: string }
  | { readonly t: 'log'; readonly level: LogLevel; readonly message: string; readonly fields?: Readonly<Record<string, unknown>> | undefined }
  | { readonly t: 'metrics'; readonly snapshot: MetricsSnapshot }
  | { readonly t: 'stopped' };
