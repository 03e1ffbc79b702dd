// The common delivery as callbacks: one HTTP request with retries, Retry-After, pauses, rate limit and one deadline list.

import type { SchedulerLike, Subscription } from 'rxjs';
import { classifyError } from '../delivery/classify-http.js';
import type { DeadlineList } from '../delivery/deadline-list.js';
import type { DestinationPauses } from '../delivery/destination-pauses.js';
import { HttpError, type HttpSender, type PreparedSend } from '../delivery/http.js';
import type { HttpRequest, HttpResponse, HttpStep, Verdict } from '../delivery/step.js';
import { errorMessage } from '../errors.js';
import type { AttemptMetrics } from './attempt-metrics.js';
import type { StepsResult } from './execute-steps.js';
import { backoffMs, type BackoffOptions } from './operators/backoff.js';
import type { RateLimit } from './operators/rate-limit.js';
import { timeoutCode } from './retry-event.js';

/** What one block's single-request deliveries share (made once per block). */
export interface SingleRequestContext {
  readonly http: HttpSender;
  readonly scheduler: SchedulerLike;
  readonly deadlines: DeadlineList;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly pauses: DestinationPauses;
  readonly counted: AttemptMetrics;
  readonly rateLimit?: RateLimit | undefined;
  readonly backoff?: BackoffOptions | undefined;
}

/** True for the steps this path takes: exactly one HTTP request, with no follow-up or give-up steps. */
export const isSingleRequest = (steps: readonly unknown[]): steps is readonly [HttpStep] => {
  const step = steps.length === 1 ? (steps[0] as HttpStep) : undefined;
  return step !== undefined && step.kind === 'http' && step.after === undefined && step.onGiveUp === undefined;
};

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(3))} s`;

/** The origin of the last URL asked for, kept (a block sends to one URL): pauses are keyed by it. */
let lastUrl = '';
let lastOrigin: string | undefined;
const originOf = (url: string): string | undefined => {
  if (url === lastUrl) return lastOrigin;
  lastUrl = url;
  try {
    lastOrigin = new URL(url).origin;
  } catch {
    lastOrigin = undefined;
  }
  return lastOrigin;
};

/** `send` of any HttpSender (specs, the library's) as a PreparedSend: an AbortController per attempt. */
const adapted = (http: HttpSender, request: HttpRequest): PreparedSend => ({
  destination: originOf(request.url),
  start: (done) => {
    const controller = new AbortController();
    let over = false;
    http.send(request, controller.signal).then(
      (response) => over || done(undefined, response),
      (error: unknown) => over || done(error as HttpError, undefined),
    );
    return (reason) => {
      over = true;
      controller.abort(reason);
    };
  },
});

/** Runs an integration's classify; a throw becomes a drop, never a crash (as execute-steps does). */
const classified = (step: HttpStep, response: HttpResponse): Verdict => {
  try {
    const verdict = step.classify(response);
    return verdict.kind === 'delivered' ? verdict : { ...verdict, status: verdict.status ?? response.status };
  } catch (error) {
    return { kind: 'drop', reason: `classify failed: ${errorMessage(error)}`, status: response.status };
  }
};

/**
 * Delivers one HTTP step with the guarantees of attemptWithRetries (retry-with-timeout.ts), in plain
 * callbacks: the rate limit and any destination pause are waited for before each attempt; the attempt's
 * deadline is an entry of the block's DeadlineList; a `retry` verdict, a timeout or a network error waits
 * a full-jitter backoff (or exactly Retry-After, which also pauses the destination for every block) and
 * tries again, at most `retries + 1` attempts; `drop` ends at once. `done` is called exactly once with
 * the result; the returned function cancels (the running attempt is aborted, `done` is never called).
 */
export const sendSingleRequest = (step: HttpStep, ctx: SingleRequestContext, alertId: string | undefined, done: (result: StepsResult) => void): (() => void) => {
  const prepared = ctx.http.prepare?.(step.request) ?? adapted(ctx.http, step.request);
  const { scheduler, counted } = ctx;
  const destination = prepared.destination;
  let closed = false;
  let timer: Subscription | undefined;
  let cancelAttempt: ((reason?: Error) => void) | undefined;
  let deadline: { cancel(): void } | undefined;

  const later = (ms: number, work: () => void) => {
    timer = scheduler.schedule(() => {
      timer = undefined;
      work();
    }, ms);
  };
  const end = (result: StepsResult) => {
    closed = true;
    done(result);
  };

  const judge = (n: number, verdict: Verdict, timedOut: boolean, label: string | undefined) => {
    const event = { attempt: n, verdict, timedOut, label };
    counted.attempted(event);
    if (verdict.kind === 'delivered') return end({ delivered: true, attempts: n });
    const gaveUp = (final: boolean): StepsResult => ({
      delivered: false,
      attempts: n,
      reason: verdict.reason,
      ...(verdict.status === undefined ? {} : { status: verdict.status }),
      ...(verdict.code === undefined && !timedOut ? {} : { code: verdict.code ?? timeoutCode('http') }),
      transient: !final,
      timedOut,
    });
    if (verdict.kind === 'drop') return end(gaveUp(true));
    if (verdict.pause && verdict.afterMs !== undefined && destination !== undefined) ctx.pauses.pause(destination, scheduler.now() + verdict.afterMs);
    if (n > ctx.retries) return end(gaveUp(false));
    const wait = verdict.afterMs ?? backoffMs(n, ctx.backoff);
    counted.retried({ ...event, delayMs: wait }, alertId);
    if (wait > 0) later(wait, () => gate(n + 1));
    else gate(n + 1);
  };

  const attemptNow = (n: number) => {
    let over = false;
    const finish = (verdict: Verdict, timedOut: boolean, label: string | undefined) => {
      if (over || closed) return;
      over = true;
      cancelAttempt = undefined;
      deadline?.cancel();
      deadline = undefined;
      judge(n, verdict, timedOut, label);
    };
    deadline = ctx.deadlines.arm(ctx.timeoutMs, () => {
      deadline = undefined;
      cancelAttempt?.(new DOMException(`deadline of ${seconds(ctx.timeoutMs)} passed`, 'TimeoutError'));
      finish({ kind: 'retry', reason: `timed out after ${seconds(ctx.timeoutMs)}` }, true, undefined);
    });
    let cancel: ((reason?: Error) => void) | undefined;
    try {
      cancel = prepared.start((error, response) => {
        if (response !== undefined) finish(classified(step, response), false, `http_${response.status}`);
        else finish(classifyError(error), false, error instanceof HttpError ? error.code.toLowerCase().replace(/^http_/, '') : 'error');
      });
    } catch (error) {
      // A sender that throws instead of rejecting: a retryable failure, as attemptWithRetries counts it.
      finish({ kind: 'retry', reason: errorMessage(error) }, false, undefined);
    }
    if (!over) cancelAttempt = cancel;
  };

  const waitForPause = (n: number) => {
    const ms = destination === undefined ? 0 : ctx.pauses.remainingMs(destination, scheduler.now());
    if (ms <= 0) return attemptNow(n);
    counted.waited(ms);
    later(ms, () => waitForPause(n));
  };

  const afterQuota = (n: number, wait: number) => {
    if (!(wait > 0)) return waitForPause(n);
    counted.waited(wait);
    later(wait, () => waitForPause(n));
  };

  // A shared quota (an api_key's, possibly on Redis) may answer later: a store that fails lets the request go (fail open).
  const gate = (n: number) => {
    const wait = ctx.rateLimit === undefined ? 0 : ctx.rateLimit.reserve();
    if (typeof wait === 'number') return afterQuota(n, wait);
    wait.then(
      (ms) => closed || afterQuota(n, ms),
      () => closed || afterQuota(n, 0),
    );
  };

  gate(1);
  return () => {
    if (closed) return;
    closed = true;
    timer?.unsubscribe();
    deadline?.cancel();
    cancelAttempt?.();
  };
};
