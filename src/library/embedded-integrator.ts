// What createIntegrator resolves with: an integrator an app sends alerts to, observes and stops.

import type { Writable } from 'node:stream';
import type { Observable } from 'rxjs';
import type { BlockOutcome } from '../pipeline/outcome.js';
import type { Metrics } from '../telemetry/metrics.js';
import type { StopCounts, StopOptions } from './push-stop.js';

/** What send() and submit() take. */
export interface SendOptions {
  /** Abandons the wait for room: the alert is not taken (INTEGRATORD_ABORTED). No effect once it was accepted. */
  readonly signal?: AbortSignal | undefined;
}

/** What submit() answers: `accepted` once the alert entered every block, `settled` with its outcomes. */
export interface Submitted {
  readonly accepted: Promise<void>;
  readonly settled: Promise<readonly BlockOutcome[]>;
}

export interface EmbeddedIntegrator {
  /**
   * Every outcome (delivered, skipped, dead-lettered, rejected) with its block. Hot: it replays
   * nothing, except that outcomes of the turn the integrator was created in wait for the next turn
   * (subscribe right after `await createIntegrator(...)`). Completes at the end; never errors.
   */
  readonly outcomes$: Observable<BlockOutcome>;
  /**
   * Hands one alert to every enabled block; resolves with its outcome in each block once all are
   * final (delivered, skipped with the reason, dead-lettered). Waits for room first while a block
   * holds `highWaterMark` alerts (a stalled block does not count: its alerts are dead-lettered
   * `overflow`). Rejects, the alert not taken, with INTEGRATORD_BACKPRESSURE when `maxWaiting`
   * callers already wait, INTEGRATORD_ABORTED when `signal` fires before the alert is accepted,
   * INTEGRATORD_STOPPED once `stop()` was called, INTEGRATORD_USAGE with an `alertsFile`.
   */
  send(alert: unknown, options?: SendOptions): Promise<readonly BlockOutcome[]>;
  /** send() as two promises: `accepted` (the alert entered every block, or was refused as send() says) and `settled` (its outcomes). */
  submit(alert: unknown, options?: SendOptions): Submitted;
  /**
   * Resolves when a send() would be accepted at once (every block has room or stalled, nobody waits):
   * for callers that would rather wait than queue an alert. Rejects with INTEGRATORD_STOPPED once stopping.
   */
  whenReady(): Promise<void>;
  /**
   * An object-mode Writable (highWaterMark as above): a write completes when the alert is accepted,
   * so `write()` returns false and `drain` follows when the integrator is full; `end()` finishes
   * once every written alert settled. For `stream.pipeline`. Throws with an `alertsFile`.
   */
  writable(): Writable;
  /** Alerts accepted and not yet final in every block (at most `highWaterMark` per block; 0 with an `alertsFile`). */
  readonly held: number;
  /** Alerts waiting for room: send() callers, alerts$ values, the Writable's (0 with an `alertsFile`). */
  readonly waiting: number;
  readonly metrics: Metrics;
  /** Blocks that failed Wazuh's startup checks, with the reason. */
  readonly disabled: readonly { readonly block: number; readonly integration: string; readonly reason: string }[];
  /**
   * Resolves when the source ended (alerts$ completed, or `stop()`) and every delivery settled;
   * rejects with the source's error when `alerts$` errored. A followed file only ends with `stop`.
   */
  done(): Promise<void>;
  /**
   * Stops accepting (later sends reject with INTEGRATORD_STOPPED), lets deliveries finish within
   * `graceMs` (default 5 s; an aborted `signal` ends the wait at once), then dead-letters every alert
   * still unsettled or waiting from alerts$/the Writable with reason `stopped`, in one fsynced append
   * per block (`dlq redrive` sends them later: one whose request was in flight may have reached its
   * service, so a redrive can send it twice), and closes connections. Resolves with the counts. A
   * followed file keeps its cursors instead (unsettled lines are read again). Idempotent.
   */
  stop(options?: StopOptions | number): Promise<StopCounts>;
  /** `await using integrator = await createIntegrator(…)`: stop() with its defaults. */
  [Symbol.asyncDispose](): Promise<void>;
}
