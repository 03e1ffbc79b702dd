// Retry-and-timeout: runs one delivery attempt with a deadline, retries it with backoff, obeys Retry-After pauses.

import { asyncScheduler, from, Observable, take, type ObservableInput, type SchedulerLike, type Subscription } from 'rxjs';
import { backoffMs, type BackoffOptions } from './backoff.js';
import type { DestinationPauses } from '../../delivery/destination-pauses.js';
import type { Verdict } from '../../delivery/step.js';
import { errorMessage } from '../../errors.js';

/** One try at a delivery: must stop its work when `signal` aborts (deadline passed or unsubscribed). */
export type Attempt = (signal: AbortSignal) => ObservableInput<Verdict>;

export type RetryResult =
  | { readonly kind: 'delivered'; readonly attempts: number; readonly verdict: Verdict }
  /** `final`: the service refused for good (drop); otherwise the retries ran out. */
  | {
      readonly kind: 'gave-up';
      readonly attempts: number;
      readonly reason: string;
      readonly status?: number;
      /** Why no answer came (the verdict's code), when none did. */
      readonly code?: string;
      readonly final: boolean;
      /** The last attempt ran past its deadline. */
      readonly timedOut: boolean;
    };

/** What one attempt ended with, for counting and logging by the caller. */
export interface AttemptEvent {
  /** 1-based. */
  readonly attempt: number;
  readonly verdict: Verdict;
  readonly timedOut: boolean;
}

export interface RetryOptions {
  /** Deadline of one attempt in ms (attemptTimeoutMs(config) for HTTP). */
  readonly timeoutMs: number;
  /** Attempts after the first one, when the verdict says retry (config default 3). */
  readonly retries: number;
  readonly backoff?: BackoffOptions;
  /** Clock and timers (TestScheduler in specs); default asyncScheduler. */
  readonly scheduler?: SchedulerLike;
  /** Pause registry shared by every block of the integrator, and this attempt's key in it (an origin). */
  readonly pauses?: DestinationPauses;
  readonly destination?: string;
  /** Emits once when an attempt may start (the per-block rate limit); subscribed before every attempt. */
  readonly beforeAttempt?: () => Observable<unknown>;
  readonly onAttempt?: (event: AttemptEvent) => void;
  /** Called when a retry is scheduled, with the wait chosen (backoff or Retry-After). */
  readonly onRetry?: (event: AttemptEvent & { readonly delayMs: number }) => void;
  /** Called when an attempt waits for a destination pause, with the wait in ms. */
  readonly onPauseWait?: (ms: number) => void;
}


const seconds = (ms: number) => `${Number((ms / 1000).toFixed(3))} s`;

/** A verdict from whatever an attempt returned or threw (a Promise, an Observable, a thrown error). */
const settleAttempt = (input: ObservableInput<Verdict>, done: (verdict: Verdict) => void): Subscription | undefined => {
  const failed = (error: unknown) => done({ kind: 'retry', reason: errorMessage(error) });
  // Promises (every real attempt) without an RxJS subscription: this runs once per delivery.
  if (typeof (input as PromiseLike<Verdict>).then === 'function') {
    (input as PromiseLike<Verdict>).then(done, failed);
    return undefined;
  }
  let answered = false;
  return from(input)
    .pipe(take(1))
    .subscribe({
      next: (verdict) => {
        answered = true;
        done(verdict);
      },
      error: failed,
      complete: () => {
        if (!answered) done({ kind: 'retry', reason: 'the attempt ended without a verdict' });
      },
    });
};

/**
 * Delivers through `attempt`, at most `retries + 1` times. A `retry` verdict, a timeout or a
 * thrown error waits a full-jitter backoff (or exactly `afterMs`) and tries again; `pause`
 * also holds the destination for every block until then, and no attempt starts while its
 * destination is paused. `drop` ends at once. Emits exactly one RetryResult, then completes;
 * never errors. Unsubscribing aborts the running attempt. Written as one Observable with its own
 * teardown instead of a chain of operators: it runs for every alert, and the chain (defer, race,
 * timer, take, map, catchError, finalize, three concatMaps) cost ~20 subscriptions per delivery.
 * Timers go through `scheduler`, so virtual-time specs drive it as before.
 */
export const attemptWithRetries = (attempt: Attempt, options: RetryOptions): Observable<RetryResult> =>
  new Observable<RetryResult>((subscriber) => {
    const scheduler = options.scheduler ?? asyncScheduler;
    const { pauses, destination } = options;
    let timer: Subscription | undefined;
    let running: Subscription | undefined;
    let inFlight: AbortController | undefined;
    let closed = false;

    const later = (ms: number, work: () => void) => {
      timer = scheduler.schedule(() => {
        timer = undefined;
        work();
      }, ms);
    };
    const end = (result: RetryResult) => {
      closed = true;
      subscriber.next(result);
      subscriber.complete();
    };

    const judge = (n: number, verdict: Verdict, timedOut: boolean) => {
      const event: AttemptEvent = { attempt: n, verdict, timedOut };
      options.onAttempt?.(event);
      switch (verdict.kind) {
        case 'delivered':
          return end({ kind: 'delivered', attempts: n, verdict });
        case 'drop':
          return end({ kind: 'gave-up', attempts: n, reason: verdict.reason, status: verdict.status, ...(verdict.code === undefined ? {} : { code: verdict.code }), final: true, timedOut });
        case 'retry': {
          if (verdict.pause && verdict.afterMs !== undefined && pauses && destination !== undefined) {
            pauses.pause(destination, scheduler.now() + verdict.afterMs);
          }
          if (n > options.retries) return end({ kind: 'gave-up', attempts: n, reason: verdict.reason, status: verdict.status, ...(verdict.code === undefined ? {} : { code: verdict.code }), final: false, timedOut });
          const wait = verdict.afterMs ?? backoffMs(n, options.backoff);
          options.onRetry?.({ ...event, delayMs: wait });
          return start(n + 1, wait);
        }
      }
    };

    const attemptNow = (n: number) => {
      const controller = new AbortController();
      inFlight = controller;
      let over = false;
      const finish = (verdict: Verdict, timedOut: boolean) => {
        if (over || closed) return;
        over = true;
        inFlight = undefined;
        timer?.unsubscribe();
        timer = undefined;
        running = undefined;
        judge(n, verdict, timedOut);
      };
      later(options.timeoutMs, () => {
        controller.abort(new DOMException(`deadline of ${seconds(options.timeoutMs)} passed`, 'TimeoutError'));
        finish({ kind: 'retry', reason: `timed out after ${seconds(options.timeoutMs)}` }, true);
      });
      let input: ObservableInput<Verdict>;
      try {
        input = attempt(controller.signal);
      } catch (error) {
        finish({ kind: 'retry', reason: errorMessage(error) }, false);
        return;
      }
      const subscription = settleAttempt(input, (verdict) => finish(verdict, false));
      if (!over) running = subscription;
      else subscription?.unsubscribe();
    };

    const waitForPause = (n: number) => {
      const ms = pauses && destination !== undefined ? pauses.remainingMs(destination, scheduler.now()) : 0;
      if (ms <= 0) return attemptNow(n);
      options.onPauseWait?.(ms);
      later(ms, () => waitForPause(n));
    };

    const gate = (n: number) => {
      if (!options.beforeAttempt) return waitForPause(n);
      let passed = false;
      running = options.beforeAttempt()
        .pipe(take(1))
        .subscribe({
          next: () => {
            passed = true;
            running = undefined;
            waitForPause(n);
          },
          // The gate ended without letting the attempt start: nothing to report (as the operator chain did).
          complete: () => {
            if (!passed && !closed) {
              closed = true;
              subscriber.complete();
            }
          },
        });
    };

    const start = (n: number, delayMs: number) => {
      if (delayMs > 0) later(delayMs, () => gate(n));
      else gate(n);
    };

    start(1, 0);
    return () => {
      closed = true;
      timer?.unsubscribe();
      running?.unsubscribe();
      // Abort only work still running: an answered attempt has nothing left to stop, and abort() costs a DOMException.
      inFlight?.abort();
    };
  });
