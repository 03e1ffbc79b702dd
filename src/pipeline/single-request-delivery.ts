// A block's delivery of an alert planned as one HTTP request: the request, then its outcome (delivered, or dead-lettered once written).

import type { SchedulerLike, Subscription } from 'rxjs';
import { alertId } from '../alerts/alert.js';
import { attemptTimeoutMs, type IntegrationConfig } from '../config/integration-config.js';
import { DeadlineList } from '../delivery/deadline-list.js';
import type { DestinationPauses } from '../delivery/destination-pauses.js';
import type { HttpSender } from '../delivery/http.js';
import type { HttpStep } from '../delivery/step.js';
import type { BlockLabels, Metrics } from '../telemetry/metrics.js';
import { attemptMetrics } from './attempt-metrics.js';
import type { RetryListener } from './retry-event.js';
import type { DeadLettered } from './dead-letter-writer.js';
import type { StepDeadlines, StepsResult } from './execute-steps.js';
import type { DeliverySink } from './merge-deliveries.js';
import type { BackoffOptions } from './operators/backoff.js';
import type { RateLimit } from './operators/rate-limit.js';
import type { Envelope, Outcome } from './outcome.js';
import { sendSingleRequest } from './single-request.js';

export interface SingleRequestDeliveryOptions {
  readonly config: IntegrationConfig;
  readonly labels: BlockLabels;
  readonly http: HttpSender;
  readonly pauses: DestinationPauses;
  readonly metrics: Metrics;
  readonly scheduler: SchedulerLike;
  readonly streak: { failingSince: number };
  readonly rateLimit?: RateLimit | undefined;
  readonly backoff?: BackoffOptions | undefined;
  readonly deadlines?: StepDeadlines | undefined;
  /** The block's delivered outcome (counted and logged there). */
  readonly delivered: (envelope: Envelope, result: StepsResult) => Outcome;
  readonly deadLettered: DeadLettered;
  /** The app's listener of retries (library `onRetry`). */
  readonly onRetry?: RetryListener | undefined;
}

/**
 * Made once per block: the deadline list, the attempt counters, the timeout. Each call delivers one
 * alert's request (single-request.ts) and reports one outcome to `sink`: delivered, or — retries spent
 * or refused — dead-lettered once the dead letter is written. In flight is counted from the start to the
 * outcome. The returned function tears it down (the request aborted or the write left: no outcome).
 */
export const singleRequestDelivery = (options: SingleRequestDeliveryOptions) => {
  const { metrics, labels } = options;
  const inFlight = metrics.bulk.of(metrics.inFlight, labels);
  const ctx = {
    http: options.http,
    scheduler: options.scheduler,
    deadlines: new DeadlineList(options.scheduler),
    timeoutMs: options.deadlines?.httpMs ?? attemptTimeoutMs(options.config),
    retries: options.config.retries,
    pauses: options.pauses,
    counted: attemptMetrics(metrics, labels, options.scheduler, options.streak, options.onRetry && { listener: options.onRetry, config: options.config }),
    rateLimit: options.rateLimit,
    backoff: options.backoff,
  };
  return (envelope: Envelope, step: HttpStep, sink: DeliverySink<Outcome>): (() => void) => {
    inFlight.add(1);
    let counted = true;
    const leave = () => {
      if (counted) inFlight.add(-1);
      counted = false;
    };
    let writing: Subscription | undefined;
    const cancelSend = sendSingleRequest(step, ctx, alertId(envelope.alert), (result) => {
      leave();
      if (result.delivered) {
        sink.next(options.delivered(envelope, result));
        sink.done();
        return;
      }
      writing = options.deadLettered(envelope, result).subscribe({
        next: (outcome) => sink.next(outcome),
        error: (error: unknown) => sink.error(error),
        complete: () => sink.done(),
      });
    });
    return () => {
      leave();
      cancelSend();
      writing?.unsubscribe();
    };
  };
};
