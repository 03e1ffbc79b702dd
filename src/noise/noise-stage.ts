// One block's noise control at run time: its NoiseState on a clock (wall or the alerts' own), with timers and persistence.

import { Subject, type Observable, type SchedulerLike, type Subscription } from 'rxjs';
import { stringField, type Alert } from '../alerts/alert.js';
import type { NoiseSettings } from '../config/integration-config.js';
import { NoiseState, type Admission, type DigestBatch, type HeldAlert } from './noise-state.js';
import type { NoiseStore } from './noise-store.js';

/** `wall`: the scheduler's clock (the daemon); `alerts`: the alerts' timestamps (replay), digests due as time passes in them. */
export type NoiseClock = 'wall' | 'alerts';

/**
 * Alerts a block holds at most (10,000): beyond it every held alert is sent in its digest at once,
 * early. Bounds memory and the lines read again after a crash (held alerts stay unsettled).
 */
export const DEFAULT_MAX_HELD = 10_000;

export interface NoiseStageOptions {
  readonly settings: NoiseSettings;
  readonly blockId: string;
  readonly store: NoiseStore;
  readonly clock: NoiseClock;
  readonly scheduler: SchedulerLike;
  readonly maxHeld?: number;
  /** Called with the number of held alerts whenever it changes (the alerts_held gauge). */
  readonly onHeld?: (held: number) => void;
}

/**
 * Admits matched alerts (see NoiseState.admit) after `ready`. Digests fall due on `due$` (wall clock:
 * a timer on the scheduler for the next deadline) or are returned by `admit` (alerts clock: when an
 * alert's timestamp passes a deadline; both clocks also check on every admission). `end()` returns
 * every held alert as digests (the input ended). Changes are saved to the store once per burst
 * (a microtask). `close()` cancels the timer; held alerts are then dropped here and, unsettled,
 * read again after a restart.
 */
export class NoiseStage {
  readonly ready: Promise<void>;
  readonly #options: NoiseStageOptions;
  readonly #due = new Subject<DigestBatch>();
  #state: NoiseState;
  #now = Number.NEGATIVE_INFINITY;
  #timer: Subscription | undefined;
  #timerAt: number | undefined;
  #saving = false;
  #held = 0;

  constructor(options: NoiseStageOptions) {
    this.#options = options;
    this.#state = new NoiseState(options.settings);
    this.ready = options.store.load(options.blockId).then(
      (snapshot) => {
        if (snapshot !== undefined) this.#state = new NoiseState(options.settings, snapshot);
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

  /** The dedup and group keys of an alert (explain). */
  keys(alert: Alert): { readonly dedup?: string; readonly group?: string } {
    return this.#state.keys(alert);
  }

  /** Decides for one alert; `due` are digests to send first (deadlines its time passed, or an early flush beyond maxHeld). */
  admit(held: HeldAlert): { readonly admission: Admission; readonly due: readonly DigestBatch[] } {
    const now = this.#clock(held.alert);
    const due = this.#state.due(now);
    const admission = this.#state.admit(held, now);
    if (this.#state.held > (this.#options.maxHeld ?? DEFAULT_MAX_HELD)) due.push(...this.#state.flushAll(now));
    this.#changed();
    return { admission, due };
  }

  /** Every held alert as digests (the input ended: nothing stays held). */
  end(): DigestBatch[] {
    const batches = this.#state.flushAll(this.#clock(undefined));
    this.#changed();
    this.#cancelTimer();
    this.#due.complete();
    return batches;
  }

  close(): void {
    this.#cancelTimer();
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
    if (this.#options.clock === 'wall') this.#arm();
    if (this.#saving || !this.#state.takeChanged()) return;
    this.#saving = true;
    queueMicrotask(() => {
      this.#saving = false;
      this.#state.takeChanged();
      this.#options.store.save(this.#options.blockId, this.#state.snapshot(this.#clock(undefined)));
    });
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
