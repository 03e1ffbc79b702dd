// Executes the steps of one alert in one block: each with retry-and-timeout, then its follow-ups or give-up steps.

import { concatMap, defer, from, map, of, reduce, type Observable, type SchedulerLike } from 'rxjs';
import { attemptTimeoutMs, type IntegrationConfig } from '../config/integration-config.js';
import { classifyError } from '../delivery/classify-http.js';
import type { DestinationPauses } from '../delivery/destination-pauses.js';
import { HttpError, type HttpSender } from '../delivery/http.js';
import type { QueueWriter } from '../delivery/queue-writer.js';
import { scriptDeadlineMs, type ScriptRunner } from '../delivery/run-script.js';
import { SmtpClient, type SmtpSender } from '../delivery/smtp.js';
import type { HttpResponse, Step, Verdict } from '../delivery/step.js';
import { log } from '../telemetry/log.js';
import { attemptMetrics, type AttemptMetrics } from './attempt-metrics.js';
import type { BlockLabels, Metrics } from '../telemetry/metrics.js';
import type { BackoffOptions } from './operators/backoff.js';
import type { RateLimit } from './operators/rate-limit.js';
import { attemptWithRetries, type Attempt, type RetryOptions, type RetryResult } from './operators/retry-with-timeout.js';
import { errorMessage } from '../errors.js';
import { timeoutCode, type RetryListener } from './retry-event.js';

/** What executing steps needs: the block's settings and the integrator's shared parts. */
export interface StepContext {
  readonly config: IntegrationConfig;
  readonly labels: BlockLabels;
  readonly http: HttpSender;
  readonly scripts: ScriptRunner;
  readonly queue: QueueWriter;
  /** The e-mail sender (email blocks); a connection-per-send client of its own when absent. */
  readonly smtp?: SmtpSender;
  readonly pauses: DestinationPauses;
  readonly metrics: Metrics;
  readonly scheduler: SchedulerLike;
  /** The block's requests-per-minute limit (HTTP steps only). */
  readonly rateLimit?: RateLimit;
  readonly backoff?: BackoffOptions;
  /** Deadline overrides in ms (library use, specs); default attemptTimeoutMs and scriptDeadlineMs of the config. */
  readonly deadlines?: StepDeadlines;
  /** The alert id, for log lines. */
  readonly alertId?: string;
  /** The block's failure streak: when its first failed attempt was (0 = healthy), shared by its alerts. */
  readonly streak?: { failingSince: number };
  /** The app's listener of retries (library `onRetry`). */
  readonly onRetry?: RetryListener;
  /** The block's attempt counters (made once per block); made from `metrics`, `labels` and `streak` when absent. */
  readonly counted?: AttemptMetrics;
}

export interface StepDeadlines {
  readonly httpMs?: number;
  readonly scriptMs?: number;
}

/** The sum of an alert's steps: delivered when every step (and follow-up) was. */
export interface StepsResult {
  readonly delivered: boolean;
  readonly attempts: number;
  /** The first failure: why the alert is dead-lettered. */
  readonly reason?: string;
  /** The failing step's last HTTP status. */
  readonly status?: number;
  /** Why the failing step got no answer (RetryEvent's `code`), when it got none. */
  readonly code?: string;
  /** The failing step ran out of retries on retryable answers (not a final refusal): the dead letter's cause is transient. */
  readonly transient?: boolean;
  /** The failing step was a custom script. */
  readonly script?: boolean;
  /** The failing step's last attempt ran past its deadline. */
  readonly timedOut?: boolean;
}

const NOTHING: StepsResult = { delivered: true, attempts: 0 };

const combine = (a: StepsResult, b: StepsResult): StepsResult => {
  const first = a.delivered ? b : a;
  return {
    delivered: a.delivered && b.delivered,
    attempts: a.attempts + b.attempts,
    ...(first.reason === undefined ? {} : { reason: first.reason }),
    ...(first.status === undefined ? {} : { status: first.status }),
    ...(first.code === undefined ? {} : { code: first.code }),
    ...(first.transient === undefined ? {} : { transient: first.transient }),
    ...(first.script === undefined ? {} : { script: first.script }),
    ...(first.timedOut === undefined ? {} : { timedOut: first.timedOut }),
  };
};


/** Runs an integration callback (classify, after, onGiveUp); a throw becomes a drop, never a crash. */
const guarded = <T>(what: string, work: () => T): T | Extract<Verdict, { kind: 'drop' }> => {
  try {
    return work();
  } catch (error) {
    return { kind: 'drop', reason: `${what} failed: ${errorMessage(error)}` };
  }
};

/** For contexts built without parts (library operators, specs): it holds no connection between sends. */
const fallbackSmtp: SmtpSender = new SmtpClient();

/** An attempt plus what the executor learns from each call: the response (for `after`) and a metric label. */
const instrumented = (step: Step, ctx: StepContext) => {
  const responses = new Map<number, HttpResponse>();
  const labels = new Map<number, string>();
  let calls = 0;
  const attempt: Attempt = (signal) => {
    const n = ++calls;
    switch (step.kind) {
      case 'http':
        return ctx.http.send(step.request, signal).then(
          (response): Verdict => {
            responses.set(n, response);
            labels.set(n, `http_${response.status}`);
            const verdict = guarded('classify', () => step.classify(response));
            return verdict.kind === 'delivered' ? verdict : { ...verdict, status: verdict.status ?? response.status };
          },
          (error: unknown) => {
            labels.set(n, error instanceof HttpError ? error.code.toLowerCase().replace(/^http_/, '') : 'error');
            return classifyError(error);
          },
        );
      case 'exec':
        return ctx.scripts.run(step, signal).then((verdict) => {
          const code = verdict.kind === 'delivered' ? '0' : /^exit status (\d+)/.exec(verdict.reason)?.[1];
          labels.set(n, code === undefined ? 'script' : `exit_${code}`);
          return verdict;
        });
      case 'queue':
        labels.set(n, 'queue');
        return ctx.queue.send(step.message, signal);
      case 'smtp':
        return (ctx.smtp ?? fallbackSmtp).send(step, signal).then((verdict) => {
          labels.set(n, verdict.kind === 'delivered' ? 'smtp_ok' : verdict.status === undefined ? 'smtp_error' : `smtp_${verdict.status}`);
          return verdict;
        });
    }
  };
  return { attempt, responses, labels };
};

const retryOptions = (step: Step, ctx: StepContext, labels: ReadonlyMap<number, string>): RetryOptions => {
  const counted = ctx.counted ?? attemptMetrics(ctx.metrics, ctx.labels, ctx.scheduler, ctx.streak, ctx.onRetry && { listener: ctx.onRetry, config: ctx.config });
  const destination = step.kind === 'http' ? originOf(step.request.url) : undefined;
  return {
    timeoutMs:
      step.kind === 'exec' ? (ctx.deadlines?.scriptMs ?? scriptDeadlineMs(ctx.config)) : (ctx.deadlines?.httpMs ?? attemptTimeoutMs(ctx.config)),
    // Wazuh runs a script once and hands timeout and retries to it (argv[6], argv[7]): running a
    // script that posted and then failed again would post again. Its failure is a dead letter;
    // `dlq redrive` runs it again when the operator chooses. HTTP and queue steps keep their retries.
    retries: step.kind === 'exec' ? 0 : ctx.config.retries,
    scheduler: ctx.scheduler,
    pauses: ctx.pauses,
    ...(destination === undefined ? {} : { destination }),
    ...(ctx.backoff ? { backoff: ctx.backoff } : {}),
    ...(step.kind === 'http' && ctx.rateLimit ? { beforeAttempt: () => ctx.rateLimit!.take(counted.waited) } : {}),
    onPauseWait: counted.waited,
    onAttempt: ({ attempt, verdict, timedOut }) => {
      counted.attempted({ attempt, verdict, timedOut, label: labels.get(attempt) });
      if (step.kind === 'queue' && verdict.kind === 'delivered') ctx.metrics.enrichmentEvents.inc(ctx.labels);
    },
    onRetry: (event) => counted.retried(event, ctx.alertId, step.kind),
  };
};

const originOf = (url: string): string | undefined => {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
};

/** One step with its retries; then `after` steps when delivered, `onGiveUp` steps when not. */
const executeStep = (step: Step, ctx: StepContext): Observable<StepsResult> =>
  defer(() => {
    const { attempt, responses, labels } = instrumented(step, ctx);
    return attemptWithRetries(attempt, retryOptions(step, ctx, labels)).pipe(
      concatMap((result: RetryResult): Observable<StepsResult> => {
        if (result.kind === 'delivered') {
          const own: StepsResult = { delivered: true, attempts: result.attempts };
          const response = responses.get(result.attempts);
          if (step.kind !== 'http' || !step.after || !response) return of(own);
          const next = guarded('after', () => step.after!(response));
          if (!Array.isArray(next)) return of({ delivered: false, attempts: result.attempts, reason: (next as { reason: string }).reason });
          return executeSteps(next, ctx).pipe(map((rest) => combine(own, rest)));
        }
        const failed: StepsResult = {
          delivered: false,
          attempts: result.attempts,
          reason: result.reason,
          ...(result.status === undefined ? {} : { status: result.status }),
          ...(result.code === undefined && !result.timedOut ? {} : { code: result.code ?? timeoutCode(step.kind) }),
          transient: !result.final,
          timedOut: result.timedOut,
          ...(step.kind === 'exec' ? { script: true } : {}),
        };
        if (step.kind !== 'http' || !step.onGiveUp) return of(failed);
        const last = { reason: result.reason, timedOut: result.timedOut, ...(result.status === undefined ? {} : { status: result.status }) };
        const next = guarded('onGiveUp', () => step.onGiveUp!(last));
        if (!Array.isArray(next)) {
          log.error('GiveUpStepsFailed', { ...ctx.labels, alert_id: ctx.alertId, reason: (next as { reason: string }).reason });
          return of(failed);
        }
        // The give-up steps (e.g. an error event) count their attempts; the alert stays failed.
        return executeSteps(next, ctx).pipe(map((rest) => ({ ...failed, attempts: failed.attempts + rest.attempts })));
      }),
    );
  });

/**
 * Executes `steps` one after the other (in the integration's order), each with retry-and-timeout.
 * A failed step does not stop the next ones (independent lookups still run). Emits one
 * StepsResult then completes; never errors. An empty list is delivered with 0 attempts.
 */
export const executeSteps = (steps: readonly Step[], ctx: StepContext): Observable<StepsResult> =>
  from(steps).pipe(
    concatMap((step) => executeStep(step, ctx)),
    reduce(combine, NOTHING),
  );
