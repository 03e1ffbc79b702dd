// Alerts an app pushes (send, a Writable, an observable): every enabled block delivers each one through its own window, nothing lost at stop.

import type { Writable } from 'node:stream';
import type { Observable, Subscribable, Unsubscribable } from 'rxjs';
import { IntegratordError } from '../errors.js';
import type { DeliveryParts } from '../pipeline/delivery-parts.js';
import type { OpenedBlock } from '../pipeline/open-block.js';
import type { BlockOutcome } from '../pipeline/outcome.js';
import { log, withLogger, type Logger } from '../telemetry/log.js';
import { deferred, type Deferred } from './deferred.js';
import { PushBlocks } from './push-blocks.js';
import * as limits from './push-stop.js';
import { abortedError, backpressureError, graceOver, OVERFLOW_REASON, STOPPED_REASON, stoppedError, type PushLimits, type StopCounts, type StopOptions } from './push-stop.js';
import { pushWritable } from './push-writable.js';
import { StallWatch } from './stall-watch.js';
import { waitingSend, WaitingLine, type Waiting } from './waiting-line.js';
import type { SendOptions, Submitted } from './embedded-integrator.js';

export interface PushIntegratorOptions extends PushLimits {
  readonly blocks: readonly Extract<OpenedBlock, { enabled: true }>[];
  readonly parts: DeliveryParts;
  /** Any Subscribable: an Observable of the app's own rxjs copy (or another library) is never required to be ours. */
  readonly alerts$?: Subscribable<unknown> | undefined;
  /** Where this integrator's log lines go (default: the process-wide logger). */
  readonly logger?: Logger | undefined;
}

const ignore = () => undefined;

/**
 * Each block has its own window of `highWaterMark` unsettled alerts (PushBlocks). An alert is
 * accepted when every block has room, or has stalled (BlockWindow: its new alerts are dead-lettered
 * `overflow`, so a dead service never holds back the others). Until then it waits in one FIFO line:
 * send() callers (at most `maxWaiting`, the next is refused), alerts$ values (at most
 * `sourceBuffer`, the next are dead-lettered `overflow`), and the Writable's.
 */
export class PushIntegrator {
  readonly #parts: DeliveryParts;
  readonly #logger: Logger | undefined;
  readonly #blocks: PushBlocks;
  readonly #stallWatch: StallWatch;
  readonly #limits: Required<{ [K in keyof PushLimits]: number }>;
  readonly #line = new WaitingLine();
  readonly #idleWaiters: (() => void)[] = [];
  readonly #readyWaiters: Deferred<void>[] = [];
  #accepting = true;
  #pumpScheduled = false;
  #overflowing = false;
  #source: Unsubscribable | undefined;
  #sourceOpen = false;
  #sourceError: unknown;
  readonly #done = deferred<void>();
  #stopped: Promise<StopCounts> | undefined;
  #refused: Promise<never> | undefined;

  constructor(options: PushIntegratorOptions) {
    this.#parts = options.parts;
    this.#logger = options.logger;
    const highWaterMark = options.highWaterMark ?? limits.DEFAULT_HIGH_WATER_MARK;
    this.#limits = {
      highWaterMark,
      maxWaiting: options.maxWaiting ?? limits.DEFAULT_WAITING_PER_MARK * highWaterMark,
      sourceBuffer: options.sourceBuffer ?? limits.DEFAULT_SOURCE_BUFFER,
      stallMs: options.stallMs ?? limits.DEFAULT_STALL_MS,
    };
    const mark = this.#limits.highWaterMark;
    if (!Number.isInteger(mark) || mark < 1) throw new IntegratordError('INTEGRATORD_USAGE', `highWaterMark must be a positive integer, not ${String(mark)}`);
    // Nobody may ever call done(): a source error must not become an unhandled rejection.
    this.#done.promise.catch(ignore);
    this.#blocks = new PushBlocks({
      blocks: options.blocks,
      parts: options.parts,
      highWaterMark: mark,
      stallMs: this.#limits.stallMs,
      logger: options.logger,
      onRoom: () => this.#pumpSoon(),
      onEmpty: () => this.#checkIdle(),
    });
    this.#stallWatch = new StallWatch(this.#blocks, () => this.#pump());
    if (options.alerts$ !== undefined) {
      this.#sourceOpen = true;
      // The app's observable emits in the app's context: each value enters this integrator's log scope.
      this.#source = options.alerts$.subscribe({
        next: (alert) => withLogger(this.#logger, () => this.#fromSource(alert)),
        error: (error: unknown) => withLogger(this.#logger, () => this.#endSource(error)),
        complete: () => withLogger(this.#logger, () => this.#endSource()),
      });
    }
  }

  get outcomes$(): Observable<BlockOutcome> {
    return this.#blocks.outcomes$;
  }

  /** Alerts accepted and not yet settled by every block. */
  get held(): number {
    return this.#blocks.held;
  }

  /** Alerts waiting for room (send() callers, alerts$ values, the Writable's). */
  get waiting(): number {
    return this.#line.size;
  }

  get highWaterMark(): number {
    return this.#limits.highWaterMark;
  }

  /** Resolves with the alert's outcomes once final in every block; see submit(). A refusal costs one rejected promise. */
  send(alert: unknown, options: SendOptions = {}): Promise<readonly BlockOutcome[]> {
    if (this.#full()) return this.#backpressure();
    const refusal = this.#refusal(options.signal);
    if (refusal !== undefined) return Promise.reject(refusal);
    if (this.#line.size === 0 && this.#blocks.admissible()) return this.#blocks.enter(alert);
    return this.submit(alert, options).settled;
  }

  /**
   * Every send() refused for backpressure gets the same rejected promise (and error): an app calling
   * send() in a loop without awaiting keeps only its own handlers, not a promise and an error per call.
   */
  #backpressure(): Promise<never> {
    if (this.#refused === undefined) {
      this.#refused = Promise.reject(backpressureError(this.#limits.maxWaiting));
      this.#refused.catch(ignore);
    }
    return this.#refused;
  }

  /**
   * Hands one alert over: accepted at once when every block has room (or stalled), else it waits in
   * line — unless `maxWaiting` callers already wait (INTEGRATORD_BACKPRESSURE), the integrator is
   * stopping (INTEGRATORD_STOPPED) or `signal` fires first (INTEGRATORD_ABORTED): then both promises
   * reject and the alert was not taken. Once accepted, the signal no longer matters.
   */
  submit(alert: unknown, options: SendOptions = {}): Submitted {
    const accepted = deferred<void>();
    const settled = deferred<readonly BlockOutcome[]>();
    accepted.promise.catch(ignore);
    settled.promise.catch(ignore);
    const refuse = (error: unknown) => {
      accepted.reject(error);
      settled.reject(error);
    };
    const { signal } = options;
    const refusal = this.#refusal(signal);
    if (refusal !== undefined) refuse(refusal);
    else if (this.#line.size === 0 && this.#blocks.admissible()) {
      this.#blocks.enter(alert).then(settled.resolve, settled.reject);
      accepted.resolve();
    } else {
      const entry = waitingSend(alert, signal, { accepted, settled }, () => {
        if (this.#line.cancel(entry)) refuse(abortedError(signal?.reason));
        this.#checkIdle();
      });
      this.#line.push(entry);
      this.#armStallTimer();
    }
    return { accepted: accepted.promise, settled: settled.promise };
  }

  /** Why an alert handed over now would be refused, if it would. */
  #refusal(signal: AbortSignal | undefined): IntegratordError | undefined {
    if (!this.#accepting) return stoppedError();
    if (signal?.aborted) return abortedError(signal.reason);
    if (this.#full()) return backpressureError(this.#limits.maxWaiting);
    return undefined;
  }

  /** `maxWaiting` callers wait (and the next would have to): a send() now is refused. */
  #full(): boolean {
    return this.#accepting && this.#line.live.send >= this.#limits.maxWaiting && !(this.#line.size === 0 && this.#blocks.admissible());
  }

  /** Resolves when a send() would be accepted at once (every block has room or stalled, nobody waits); rejects once stopping. */
  whenReady(): Promise<void> {
    if (!this.#accepting) return Promise.reject(stoppedError());
    if (this.#line.size === 0 && this.#blocks.admissible()) return Promise.resolve();
    const ready = deferred<void>();
    this.#readyWaiters.push(ready);
    this.#armStallTimer();
    return ready.promise;
  }

  /** An object-mode Writable: a write completes once the alert is accepted; `final` waits for every outcome (push-writable.ts). */
  writable(): Writable {
    return pushWritable({
      highWaterMark: this.#limits.highWaterMark,
      accepting: () => this.#accepting,
      take: (alert, entry) => this.#take(alert, entry),
      idle: () => this.#idle(),
    });
  }

  /** Resolves when `alerts$` completed (or `stop()` ended) and every alert settled; rejects when the source errored. */
  done(): Promise<void> {
    return this.#done.promise;
  }

  /** Stops accepting, waits for the held alerts within the grace, dead-letters the rest with reason `stopped`. Idempotent. */
  stop(options: StopOptions = {}): Promise<StopCounts> {
    this.#stopped ??= withLogger(this.#logger, () => this.#stop(options));
    return this.#stopped;
  }

  async #stop(options: StopOptions): Promise<StopCounts> {
    this.#accepting = false;
    this.#source?.unsubscribe();
    this.#sourceOpen = false;
    this.#stallWatch.stop();
    for (const ready of this.#readyWaiters.splice(0)) ready.reject(stoppedError());
    const spills: Promise<void>[] = [];
    for (const entry of this.#line.drain()) {
      // Taken from the app (alerts$, a Writable): accounted for as a dead letter; a send() caller is told instead.
      if (entry.kind === 'taken') spills.push(this.#blocks.spillAll(entry.alert, STOPPED_REASON));
      entry.refuse(stoppedError());
    }
    this.#blocks.complete();
    if (this.#blocks.held > 0) await graceOver(this.#idle(), options);
    await this.#blocks.abandon(spills);
    await this.#parts.close();
    if (this.#sourceError === undefined) this.#done.resolve();
    else this.#done.reject(this.#sourceError);
    return this.#blocks.counts;
  }

  /** An alert the app handed over without a caller to tell (alerts$, a Writable's): enters, waits, or is accounted for. */
  #take(alert: unknown, entry?: Waiting): void {
    if (!this.#accepting) void this.#blocks.spillAll(alert, STOPPED_REASON);
    else if (this.#line.size === 0 && this.#blocks.admissible()) {
      const settled = this.#blocks.enter(alert);
      entry?.admit(settled);
    } else {
      this.#line.push(entry ?? { alert, kind: 'taken', cancelled: false, admit: ignore, refuse: ignore });
      this.#armStallTimer();
    }
  }

  #fromSource(alert: unknown): void {
    if (!this.#sourceOpen) return;
    if (this.#line.live.taken < this.#limits.sourceBuffer) {
      this.#take(alert);
      return;
    }
    if (!this.#overflowing) log.error('AlertSourceOverflowed', { source_buffer: this.#limits.sourceBuffer, reason: OVERFLOW_REASON });
    this.#overflowing = true;
    void this.#blocks.spillAll(alert, OVERFLOW_REASON);
  }

  /** The app's observable ended: the integrator ends once everything settled (done() rejects if it errored). */
  #endSource(error?: unknown): void {
    if (!this.#sourceOpen) return;
    this.#sourceOpen = false;
    if (error !== undefined) {
      this.#sourceError = error;
      log.error('AlertSourceFailed', { error: error instanceof Error ? error.message : String(error) });
    }
    void this.#idle().then(() => this.stop());
  }

  /** Admits waiting alerts on a microtask: never inside a block's own emission, and a chain of synchronous skips never grows the stack. */
  #pumpSoon(): void {
    if (this.#pumpScheduled || (this.#line.size === 0 && this.#readyWaiters.length === 0)) return;
    this.#pumpScheduled = true;
    queueMicrotask(() => {
      this.#pumpScheduled = false;
      this.#pump();
    });
  }

  #pump(): void {
    if (!this.#accepting) return;
    const now = Date.now();
    while (this.#line.size > 0 && this.#blocks.admissible()) {
      const entry = this.#line.shift() as Waiting;
      entry.admit(this.#blocks.enter(entry.alert, now));
    }
    if (this.#line.size === 0) {
      this.#overflowing = false;
      if (this.#readyWaiters.length > 0 && this.#blocks.admissible()) for (const ready of this.#readyWaiters.splice(0)) ready.resolve();
    }
    this.#armStallTimer();
  }

  /** While alerts wait on a full block (see StallWatch). */
  #armStallTimer(): void {
    if (this.#accepting && (this.#line.size > 0 || this.#readyWaiters.length > 0)) this.#stallWatch.arm();
  }

  /** Resolves when nothing is held or waiting. */
  #idle(): Promise<void> {
    if (this.#blocks.held === 0 && this.#line.size === 0) return Promise.resolve();
    return new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
  }

  #checkIdle(): void {
    if (this.#blocks.held === 0 && this.#line.size === 0) for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }
}
