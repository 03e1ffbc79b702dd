// Alerts an app pushes (send, a Writable, an observable): every enabled block delivers each one, bounded by a high-water mark, nothing lost at stop.

import { Writable } from 'node:stream';
import { Subject, type Observable, type Subscribable, type Subscription, type Unsubscribable } from 'rxjs';
import { alertId, isAlert } from '../alerts/alert.js';
import type { IntegrationConfig } from '../config/integration-config.js';
import { IntegratordError } from '../errors.js';
import { deadLetterStopped, DEFAULT_HIGH_WATER_MARK, STOPPED_REASON, stoppedError, type StopCounts, type StopOptions } from './push-stop.js';
import type { DeliveryParts } from '../pipeline/delivery-parts.js';
import type { BlockOutcome } from '../pipeline/outcome.js';
import type { OpenedBlock } from '../pipeline/open-block.js';
import type { Envelope, Outcome } from '../pipeline/outcome.js';
import { log, withLogger, type Logger } from '../telemetry/log.js';

/** One accepted alert, until every block settled it. */
interface Held {
  readonly seq: number;
  readonly alert: unknown;
  readonly id: string | undefined;
  readonly outcomes: BlockOutcome[];
  remaining: number;
  readonly resolve: (outcomes: readonly BlockOutcome[]) => void;
}

interface PushBlock {
  readonly config: IntegrationConfig;
  readonly input: Subject<Envelope>;
  /** Alerts handed to the block and not settled yet, by seq. */
  readonly pending: Map<number, Held>;
  subscription: Subscription | undefined;
}

export interface PushIntegratorOptions {
  readonly blocks: readonly Extract<OpenedBlock, { enabled: true }>[];
  readonly parts: DeliveryParts;
  readonly highWaterMark?: number | undefined;
  /** Any Subscribable: an Observable of the app's own rxjs copy (or another library) is never required to be ours. */
  readonly alerts$?: Subscribable<unknown> | undefined;
  /** Where this integrator's log lines go (default: the process-wide logger). */
  readonly logger?: Logger | undefined;
}


/**
 * Holds at most `highWaterMark` unsettled alerts. `send` waits for room; the Writable's write
 * callback waits for room (so `drain` follows); `alerts$` values beyond the mark end its
 * subscription with INTEGRATORD_USAGE (overflow), reported by `done()`. Outcomes produced in the
 * turn the integrator was created in are emitted on the next turn, so that a subscriber added right
 * after `await createIntegrator(...)` sees them; later `outcomes$` is hot (no replay).
 */
export class PushIntegrator {
  readonly #parts: DeliveryParts;
  readonly #logger: Logger | undefined;
  readonly #blocks: PushBlock[];
  readonly #highWaterMark: number;
  readonly #outcomes = new Subject<BlockOutcome>();
  /** Callers waiting for room, first come first served; each is admitted with a reserved slot. */
  readonly #waiters: { admit: () => void; reject: (error: unknown) => void }[] = [];
  readonly #settledWaiters: (() => void)[] = [];
  readonly #counts = { delivered: 0, skipped: 0, deadLettered: 0, rejected: 0, stopped: 0 };
  #early: BlockOutcome[] | undefined = [];
  #held = 0;
  /** Slots promised to waiters being admitted (on the next microtask): counted as held. */
  #reserved = 0;
  #seq = 0;
  #accepting = true;
  #source: Unsubscribable | undefined;
  #sourceOpen = false;
  #sourceError: unknown;
  #resolveDone: () => void = () => undefined;
  #rejectDone: (error: unknown) => void = () => undefined;
  readonly #done: Promise<void>;
  #stopped: Promise<StopCounts> | undefined;
  #finished = false;

  constructor(options: PushIntegratorOptions) {
    this.#parts = options.parts;
    this.#logger = options.logger;
    const mark = options.highWaterMark ?? DEFAULT_HIGH_WATER_MARK;
    if (!Number.isInteger(mark) || mark < 1) throw new IntegratordError('INTEGRATORD_USAGE', `highWaterMark must be a positive integer, not ${String(mark)}`);
    this.#highWaterMark = mark;
    this.#done = new Promise<void>((resolve, reject) => {
      this.#resolveDone = resolve;
      this.#rejectDone = reject;
    });
    // Nobody may ever call done(): a source error must not become an unhandled rejection.
    this.#done.catch(() => undefined);
    this.#blocks = options.blocks.map((opened) => {
      const block: PushBlock = { config: opened.config, input: new Subject<Envelope>(), pending: new Map(), subscription: undefined };
      block.subscription = block.input.pipe(opened.deliver).subscribe({
        next: (outcome) => this.#settle(block, outcome),
        error: (error: unknown) => log.critical('BlockStopped', { block: block.config.index, integration: block.config.name, error: error instanceof Error ? error.message : String(error) }),
      });
      return block;
    });
    setImmediate(() => {
      const early = this.#early ?? [];
      this.#early = undefined;
      for (const outcome of early) this.#outcomes.next(outcome);
      if (this.#finished) this.#outcomes.complete();
    });
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
    return this.#outcomes.asObservable();
  }

  /** Alerts accepted and not yet settled by every block. */
  get held(): number {
    return this.#held;
  }

  get highWaterMark(): number {
    return this.#highWaterMark;
  }

  /** Resolves when the alert is final in every block; waits for room first. Rejects once stopping. */
  send(alert: unknown): Promise<readonly BlockOutcome[]> {
    if (!this.#accepting) return Promise.reject(stoppedError());
    if (this.#hasRoom()) return this.#accept(alert);
    return new Promise<readonly BlockOutcome[]>((resolve, reject) => this.#waiters.push({ admit: () => resolve(this.#accept(alert)), reject }));
  }

  /** An object-mode Writable: a write completes once the alert is accepted; `final` waits for every outcome. */
  writable(): Writable {
    return new Writable({
      objectMode: true,
      highWaterMark: this.#highWaterMark,
      write: (alert: unknown, _encoding, callback) => {
        const admit = () => {
          this.#accept(alert).catch(() => undefined);
          callback();
        };
        if (!this.#accepting) callback(stoppedError());
        else if (this.#hasRoom()) admit();
        else this.#waiters.push({ admit, reject: (error) => callback(error as Error) });
      },
      final: (callback) => {
        void this.#allSettled().then(() => callback());
      },
    });
  }

  /** Resolves when `alerts$` completed (or `stop()` ended) and every alert settled; rejects when the source errored. */
  done(): Promise<void> {
    return this.#done;
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
    for (const waiter of this.#waiters.splice(0)) waiter.reject(stoppedError());
    for (const block of this.#blocks) block.input.complete();
    if (this.#held > 0) {
      let timer: NodeJS.Timeout | undefined;
      let onAbort: (() => void) | undefined;
      await Promise.race([
        this.#allSettled(),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, options.graceMs ?? 5000);
          onAbort = resolve;
          if (options.signal?.aborted) resolve();
          options.signal?.addEventListener('abort', onAbort, { once: true });
        }),
      ]);
      clearTimeout(timer);
      if (onAbort) options.signal?.removeEventListener('abort', onAbort);
    }
    for (const block of this.#blocks) block.subscription?.unsubscribe();
    await this.#deadLetterUnsettled();
    await this.#parts.close();
    this.#finished = true;
    if (this.#early === undefined) this.#outcomes.complete();
    if (this.#sourceError === undefined) this.#resolveDone();
    else this.#rejectDone(this.#sourceError);
    return { ...this.#counts };
  }

  /** Writes a dead letter (reason `stopped`) for every alert × block still unsettled, so that `dlq redrive` can send it. */
  async #deadLetterUnsettled(): Promise<void> {
    const time = new Date().toISOString();
    const writes: Promise<void>[] = [];
    for (const block of this.#blocks) {
      const { config } = block;
      for (const held of [...block.pending.values()]) {
        if (!isAlert(held.alert)) continue;
        const alert = held.alert;
        writes.push(
          deadLetterStopped(this.#parts, config, alert, held.id, time).then((written) => {
            if (written) this.#counts.stopped++;
            this.#settle(block, { kind: 'dead-lettered', seq: held.seq, attempts: 0, reason: written ? STOPPED_REASON : `${STOPPED_REASON} (dead letter not written)`, alert });
          }),
        );
      }
    }
    await Promise.all(writes);
  }

  #hasRoom(): boolean {
    return this.#held + this.#reserved < this.#highWaterMark && this.#waiters.length === 0;
  }

  #allSettled(): Promise<void> {
    if (this.#held + this.#reserved === 0) return Promise.resolve();
    return new Promise<void>((resolve) => this.#settledWaiters.push(resolve));
  }

  #fromSource(alert: unknown): void {
    if (!this.#sourceOpen) return;
    if (this.#held + this.#reserved >= this.#highWaterMark) {
      const error = new IntegratordError('INTEGRATORD_USAGE', `alerts$ pushed more than highWaterMark (${this.#highWaterMark}) unsettled alerts: its subscription is ended (use send() or writable() for backpressure)`);
      log.error('AlertSourceOverflowed', { high_water_mark: this.#highWaterMark });
      this.#source?.unsubscribe();
      this.#endSource(error);
      return;
    }
    void this.#accept(alert);
  }

  /** The app's observable ended: the integrator ends once everything settled (done() rejects if it errored). */
  #endSource(error?: unknown): void {
    if (!this.#sourceOpen) return;
    this.#sourceOpen = false;
    if (error !== undefined) {
      this.#sourceError = error;
      log.error('AlertSourceFailed', { error: error instanceof Error ? error.message : String(error) });
    }
    void this.#allSettled().then(() => this.stop());
  }

  /** Hands the alert to every block, in this integrator's log scope (whatever context the app called from). */
  #accept(alert: unknown): Promise<readonly BlockOutcome[]> {
    return withLogger(this.#logger, () => this.#enter(alert));
  }

  #enter(alert: unknown): Promise<readonly BlockOutcome[]> {
    if (!this.#accepting) return Promise.reject(stoppedError());
    const seq = this.#seq++;
    let resolve: (outcomes: readonly BlockOutcome[]) => void = () => undefined;
    const settled = new Promise<readonly BlockOutcome[]>((r) => (resolve = r));
    const held: Held = { seq, alert, id: alertId(alert), outcomes: [], remaining: this.#blocks.length, resolve };
    if (held.remaining === 0) {
      resolve([]);
      return settled;
    }
    this.#held++;
    for (const block of this.#blocks) {
      block.pending.set(seq, held);
      if (isAlert(alert)) block.input.next({ alert, seq });
      else this.#settle(block, { kind: 'rejected', seq, reason: 'not-an-object' });
    }
    return settled;
  }

  #settle(block: PushBlock, outcome: Outcome): void {
    if (outcome.kind === 'held') return; // not final: its digest's outcome settles it
    const held = block.pending.get(outcome.seq);
    if (held === undefined) return;
    block.pending.delete(outcome.seq);
    const { config } = block;
    const tagged: BlockOutcome = { ...outcome, block: config.index, integration: config.name, blockId: config.id, ...(held.id === undefined ? {} : { id: held.id }) };
    if (outcome.kind === 'delivered') this.#counts.delivered++;
    else if (outcome.kind === 'skipped' || outcome.kind === 'suppressed') this.#counts.skipped++;
    else if (outcome.kind === 'dead-lettered') this.#counts.deadLettered++;
    else this.#counts.rejected++;
    held.outcomes.push(tagged);
    if (this.#early !== undefined) this.#early.push(tagged);
    else this.#outcomes.next(tagged);
    if (--held.remaining > 0) return;
    held.resolve(held.outcomes);
    this.#held--;
    if (this.#held + this.#reserved === 0) for (const resolve of this.#settledWaiters.splice(0)) resolve();
    const waiter = this.#waiters.shift();
    if (waiter === undefined) return;
    // Admitted on a microtask (a chain of synchronous skips must not grow the stack), its slot reserved meanwhile.
    this.#reserved++;
    queueMicrotask(() => {
      this.#reserved--;
      if (this.#accepting) waiter.admit();
      else waiter.reject(stoppedError());
    });
  }
}
