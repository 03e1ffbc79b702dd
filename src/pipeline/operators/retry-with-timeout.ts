// Retry-and-timeout: runs one delivery attempt with a deadline, retries it with backoff, obeys Retry-After pauses.

import {
  asyncScheduler,
  catchError,
  concatMap,
  defaultIfEmpty,
  defer,
  finalize,
  from,
  map,
  of,
  race,
  take,
  timer,
  type Observable,
  type ObservableInput,
  type SchedulerLike,
} from 'rxjs';
import { backoffMs, type BackoffOptions } from './backoff.js';
import type { DestinationPauses } from '../../delivery/destination-pauses.js';
import type { Verdict } from '../../delivery/step.js';

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

type Ended = { readonly verdict: Verdict; readonly timedOut: boolean };

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(3))} s`;

/** Runs one attempt under its deadline; aborts its signal at the deadline or when unsubscribed before an answer. */
const attemptOnce = (attempt: Attempt, timeoutMs: number, scheduler: SchedulerLike): Observable<Ended> =>
  defer((): Observable<Ended> => {
    const controller = new AbortController();
    let answered = false;
    const run$ = defer(() => from(attempt(controller.signal))).pipe(
      take(1),
      map((verdict): Ended => {
        answered = true;
        return { verdict, timedOut: false };
      }),
      defaultIfEmpty<Ended, Ended>({ verdict: { kind: 'retry', reason: 'the attempt ended without a verdict' }, timedOut: false }),
      catchError((error: unknown) =>
        of<Ended>({ verdict: { kind: 'retry', reason: error instanceof Error ? error.message : String(error) }, timedOut: false }),
      ),
    );
    const deadline$ = timer(timeoutMs, scheduler).pipe(
      map((): Ended => {
        controller.abort(new DOMException(`deadline of ${seconds(timeoutMs)} passed`, 'TimeoutError'));
        return { verdict: { kind: 'retry', reason: `timed out after ${seconds(timeoutMs)}` }, timedOut: true };
      }),
    );
    // Abort only work still running (unsubscribed): an answered attempt has nothing left to stop,
    // and abort() costs a DOMException per alert (4% of the delivery bench).
    return race(run$, deadline$).pipe(
      finalize(() => {
        if (!answered) controller.abort();
      }),
    );
  });

/**
 * Delivers through `attempt`, at most `retries + 1` times. A `retry` verdict, a timeout or a
 * thrown error waits a full-jitter backoff (or exactly `afterMs`) and tries again; `pause`
 * also holds the destination for every block until then, and no attempt starts while its
 * destination is paused. `drop` ends at once. Emits exactly one RetryResult, then completes;
 * never errors. Unsubscribing aborts the running attempt.
 */
export const attemptWithRetries = (attempt: Attempt, options: RetryOptions): Observable<RetryResult> => {
  const scheduler = options.scheduler ?? asyncScheduler;
  const { pauses, destination } = options;

  const waitForPause = (): Observable<unknown> =>
    defer(() => {
      const ms = pauses && destination !== undefined ? pauses.remainingMs(destination, scheduler.now()) : 0;
      if (ms <= 0) return of(true);
      options.onPauseWait?.(ms);
      return timer(ms, scheduler).pipe(concatMap(waitForPause));
    });

  const gate = (): Observable<unknown> =>
    options.beforeAttempt ? options.beforeAttempt().pipe(take(1), concatMap(waitForPause)) : waitForPause();

  const run = (n: number, delayMs: number): Observable<RetryResult> =>
    (delayMs > 0 ? timer(delayMs, scheduler) : of(0)).pipe(
      concatMap(gate),
      concatMap(() => attemptOnce(attempt, options.timeoutMs, scheduler)),
      concatMap(({ verdict, timedOut }): Observable<RetryResult> => {
        const event: AttemptEvent = { attempt: n, verdict, timedOut };
        options.onAttempt?.(event);
        switch (verdict.kind) {
          case 'delivered':
            return of({ kind: 'delivered', attempts: n, verdict });
          case 'drop':
            return of({ kind: 'gave-up', attempts: n, reason: verdict.reason, status: verdict.status, final: true, timedOut });
          case 'retry': {
            if (verdict.pause && verdict.afterMs !== undefined && pauses && destination !== undefined) {
              pauses.pause(destination, scheduler.now() + verdict.afterMs);
            }
            if (n > options.retries) {
              return of({ kind: 'gave-up', attempts: n, reason: verdict.reason, status: verdict.status, final: false, timedOut });
            }
            const wait = verdict.afterMs ?? backoffMs(n, options.backoff);
            options.onRetry?.({ ...event, delayMs: wait });
            return run(n + 1, wait);
          }
        }
      }),
    );

  return run(1, 0);
};
