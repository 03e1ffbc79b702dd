// One block's noise control at run time: its NoiseState on a clock (wall or the alerts' own), with timers, bounds and its journal.

import { Subject, type Observable, type SchedulerLike, type Subscription } from 'rxjs';
import { stringField, type Alert } from '../alerts/alert.js';
import type { NoiseSettings } from '../config/integration-config.js';
import { log } from '../telemetry/log.js';
import { NoiseState, type Admission, type DigestBatch, type HeldAlert, type NoiseLimits } from './noise-state.js';
import type { NoiseStore } from './noise-store.js';

/** `wall`: the scheduler's clock (the daemon); `alerts`: the alerts' timestamps (replay), digests due as time passes in them. */
export type NoiseClock = 'wall' | 'alerts';

/** Changes reach the journal at most this long after they happen (1 s), and at stop; a spent hourly budget at once. */
export const SAVE_INTERVAL_MS = 1000;
/** A block past one of its caps says so at most once a minute (its metric counts every time). */
export const OVERFLOW_LOG_INTERVAL_MS = 60_000;

export interface NoiseStageOptions {
  readonly settings: NoiseSettings;
  readonly blockId: string;
  readonly store: NoiseStore;
  readonly clock: NoiseClock;
  readonly scheduler: SchedulerLike;
  /** Caps on keys and held alerts over the settings' own (`<max_open_keys>`…; defaults DEFAULT_NOISE_LIMITS). */
  readonly limits?: Partial<NoiseLimits>;
  /** Called with the number of held alerts whenever it changes (the alerts_held gauge). */
  readonly onHeld?: (held: number) => void;
  /** Called with how many more times a cap was reached (`keys`: forgotten early; `held`: sent early), and alerts whose key fields were missing. */
  readonly onOverflow?: (reason: 'keys' | 'held' | 'missing_key', added: number) => void;
}

/**
 * Admits matched alerts (see NoiseState.admit) after `ready`. Digests fall due on `due$` (wall clock:
 * a timer on the scheduler for the next deadline) or are returned by `admit` (alerts clock: when an
 * alert's timestamp passes a deadline; both clocks also check on every admission, and return held
 * alerts beyond the caps). Changes go to the store's journal on a 1 s cadence. `end()` returns every
 * held alert as digests (the input ended). `close()` (stop) keeps them held: it journals the state,
 * and the held alerts, unsettled for the cursor, are read and held again after a restart.
 */
export class NoiseStage {
  readonly ready: Promise<void>;
  readonly #options: NoiseStageOptions;
  readonly #due = new Subject<DigestBatch>();
  #state: NoiseState;
  #now = Number.NEGATIVE_INFINITY;
  #timer: Subscription | undefined;
  #timerAt: number | undefined;
  #saveTimer: Subscription | undefined;
  #held = 0;
  readonly #reported = { keys: 0, held: 0, missing_key: 0 };
  #loggedAt = Number.NEGATIVE_INFINITY;
  #closed = false;

  constructor(options: NoiseStageOptions) {
    this.#options = options;
    const limits = { ...options.settings.limits, ...options.limits };
    this.#state = new NoiseState(options.settings, { limits });
    this.ready = options.store.load(options.blockId).then(
      (journal) => {
        if (journal !== undefined) this.#state = new NoiseState(options.settings, { limits, journal, now: options.scheduler.now() });
      },
      () => undefined,
    );
  }

  /** Digests that fell due on the wall clock's timer. */
  get due$(): Observable<DigestBatch> {
    return this.#due.asObservable();
  }

  get held(): number {
    return this.#state.held;
  }

  /** The state itself (specs and benchmarks read its counters). */
  get state(): NoiseState {
    return this.#state;
  }

  /** The dedup and group keys of an alert (explain). */
  keys(alert: Alert): { readonly dedup?: string; readonly group?: string } {
    return this.#state.keys(alert);
  }

  /**
   * Decides for one alert; `due` are digests to send first (deadlines its time passed, held alerts
   * beyond the caps). `durable`, when the alert spent the hourly budget: resolves once that is in
   * the journal (send after it, so that a crash never forgets a message sent).
   */
  admit(held: HeldAlert): { readonly admission: Admission; readonly due: readonly DigestBatch[]; readonly durable?: Promise<void> } {
    const now = this.#clock(held.alert);
    const due = this.#state.due(now);
    const admission = this.#state.admit(held, now);
    due.push(...this.#state.relieve());
    this.#changed();
    if (admission.kind === 'send' && this.#options.settings.maxPerHour !== undefined) return { admission, due, durable: this.#saveNow() };
    return { admission, due };
  }

  /** Resolves once every change so far is in the journal (a digest about to spend the hourly budget). */
  persist(): Promise<void> {
    return this.#saveNow();
  }

  /** Every held alert as digests (the input ended: nothing stays held). */
  end(): DigestBatch[] {
    const batches = this.#state.flushAll();
    this.#changed();
    this.close();
    return batches;
  }

  /** Stops: timers cancelled, the state journaled; alerts still held stay unsettled (read and held again after a restart). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#cancelTimer();
    void this.#saveNow();
    this.#due.complete();
  }

  #clock(alert: Alert | undefined): number {
    const { clock, scheduler } = this.#options;
    if (clock === 'wall') return scheduler.now();
    const at = Date.parse(stringField(alert, 'timestamp') ?? '');
    if (Number.isFinite(at) && at > this.#now) this.#now = at;
    if (this.#now === Number.NEGATIVE_INFINITY) this.#now = scheduler.now();
    return this.#now;
  }

  #changed(): void {
    if (this.#held !== this.#state.held) {
      this.#held = this.#state.held;
      this.#options.onHeld?.(this.#held);
    }
    this.#report();
    if (this.#options.clock === 'wall') this.#arm();
    if (this.#saveTimer === undefined && !this.#closed) {
      this.#saveTimer = this.#options.scheduler.schedule(() => {
        this.#saveTimer = undefined;
        this.#save();
      }, SAVE_INTERVAL_MS);
    }
  }

  /** Counts cap overflows and missing key fields since the last report; logs at most once a minute. */
  #report(): void {
    const state = this.#state;
    const now = { keys: state.overflow.keys, held: state.overflow.held, missing_key: state.missingKeys };
    let overflowed = false;
    for (const reason of ['keys', 'held', 'missing_key'] as const) {
      const added = now[reason] - this.#reported[reason];
      if (added <= 0) continue;
      this.#reported[reason] = now[reason];
      this.#options.onOverflow?.(reason, added);
      if (reason !== 'missing_key') overflowed = true;
    }
    const at = this.#options.scheduler.now();
    if (overflowed && at - this.#loggedAt >= OVERFLOW_LOG_INTERVAL_MS) {
      this.#loggedAt = at;
      const open = state.openKeys;
      log.warning('NoiseCapReached', { block_id: this.#options.blockId, keys_forgotten_early: now.keys, held_sent_early: now.held, open_dedup_keys: open.dedup, open_groups: open.groups, held: state.held, held_bytes: state.heldBytes });
    }
  }

  #save(): void {
    const changes = this.#state.takeChanges();
    if (changes.length === 0) return;
    const state = this.#state;
    this.#options.store.append(this.#options.blockId, changes, () => state.entries(this.#clock(undefined)));
  }

  #saveNow(): Promise<void> {
    this.#saveTimer?.unsubscribe();
    this.#saveTimer = undefined;
    this.#save();
    return this.#options.store.flush();
  }

  #arm(): void {
    const deadline = this.#state.nextDeadline();
    if (deadline === this.#timerAt) return;
    this.#cancelTimer();
    if (deadline === undefined) return;
    const { scheduler } = this.#options;
    this.#timerAt = deadline;
    this.#timer = scheduler.schedule(() => {
      this.#timer = undefined;
      this.#timerAt = undefined;
      for (const batch of this.#state.due(scheduler.now())) this.#due.next(batch);
      this.#changed();
    }, Math.max(0, deadline - scheduler.now()));
  }

  #cancelTimer(): void {
    this.#timer?.unsubscribe();
    this.#timer = undefined;
    this.#timerAt = undefined;
  }
}
