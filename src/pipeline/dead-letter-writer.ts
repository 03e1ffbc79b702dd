// Writes what a block gave up on (one alert, or a digest with every alert it held) as durable dead letters, then settles it.

import { defer, finalize, from, map, retry, timer, type Observable, type SchedulerLike } from 'rxjs';
import { alertId } from '../alerts/alert.js';
import type { IntegrationConfig } from '../config/integration-config.js';
import { causeOf } from '../delivery/dead-letter-cause.js';
import type { DeadLetterRecord, DeadLetterSink } from '../delivery/dead-letter.js';
import { errorMessage } from '../errors.js';
import type { DigestBatch } from '../noise/noise-state.js';
import { log } from '../telemetry/log.js';
import type { BlockLabels, Metrics } from '../telemetry/metrics.js';
import { digestDeadLetters } from './digest-dead-letters.js';
import type { StepsResult } from './execute-steps.js';
import { backoffCeilingMs } from './operators/backoff.js';
import type { Envelope, Outcome } from './outcome.js';

/**
 * Waits between tries of a dead-letter write that failed: 1 s doubling to 30 s, no jitter (the
 * writes of one block go to one file, one after the other: nothing to spread). A full disk is
 * noticed within a second of space coming back at first, and costs one try per 30 s once it lasts.
 */
export const DEAD_LETTER_RETRY = { baseMs: 1000, capMs: 30_000 } as const;

export interface DeadLetterWriterOptions {
  readonly config: IntegrationConfig;
  readonly labels: BlockLabels;
  readonly metrics: Metrics;
  readonly deadLetters: DeadLetterSink;
  readonly scheduler: SchedulerLike;
}

/** (envelope, result, digest?) → the dead-lettered outcome once written; see `deadLetterWriter`. */
export type DeadLettered = (envelope: Envelope, result: StepsResult, digest?: DigestBatch) => Observable<Outcome>;

/**
 * Writes the dead letter (fsync) before the outcome settles the alert for the cursor: the record of
 * the envelope's alert, or, given the `digest` it stands for, the digest's records that carry every
 * held alert (digest-dead-letters.ts). A write that fails (disk full, permissions) is tried again
 * after DEAD_LETTER_RETRY waits, on the pipeline's scheduler, until it succeeds (records already written
 * are not written twice): the alert stays unsettled meanwhile, so the cursor never moves past it and
 * the block's window fills and stops the reading. Torn down (stop, reload), it ends with no outcome:
 * the alert is read again after a restart. Counted as dead-lettered (every alert of a digest) only once written.
 */
export const deadLetterWriter = (options: DeadLetterWriterOptions): DeadLettered => {
  const { config, labels, metrics, scheduler } = options;
  const where = { block: config.index, integration: config.name };
  return (envelope, result, digest) => {
    const reason = result.reason ?? 'not delivered';
    const status = result.status;
    const { cause, retryable } = causeOf({ reason, status, transient: result.transient, script: result.script, timedOut: result.timedOut });
    const base = {
      time: new Date(scheduler.now()).toISOString(),
      block_id: config.id,
      block: config.index,
      integration: config.name,
      attempts: result.attempts,
      ...(status === undefined ? {} : { status }),
      reason,
      cause,
      retryable,
    };
    const records: DeadLetterRecord[] = digest === undefined ? [{ ...base, alert: envelope.alert }] : digestDeadLetters(digest, base);
    const alerts = digest === undefined ? 1 : digest.held.length;
    const id = alertId(envelope.alert);
    let failures = 0;
    let written = 0;
    const writeAll = async () => {
      for (; written < records.length; written++) await options.deadLetters.append(records[written]!);
    };
    return defer(() => from(writeAll())).pipe(
      retry({
        delay: (error: unknown, failure: number) => {
          if (failures === 0) metrics.deadLetterWritesBlocked.inc(labels);
          failures = failure;
          metrics.deadLetterWriteFailures.inc(labels);
          const waitMs = backoffCeilingMs(failure, DEAD_LETTER_RETRY);
          // One line per try; the alert is not lost (it stays unsettled), so only its id is logged.
          log.error('DeadLetterNotWritten', { ...where, alert_id: id, failures: failure, retry_in_seconds: waitMs / 1000, error: errorMessage(error) });
          return timer(waitMs, scheduler);
        },
      }),
      map((): Outcome => {
        metrics.alertsDeadLettered.inc(labels, alerts);
        if (failures > 0) log.info('DeadLetterWritten', { ...where, alert_id: id, failures });
        log.error('AlertDeadLettered', { ...where, alert_id: id, attempts: result.attempts, status, reason, ...(digest === undefined ? {} : { digest_of: alerts }) });
        const code = result.code;
        return { kind: 'dead-lettered', seq: envelope.seq, attempts: result.attempts, reason, alert: envelope.alert, ...(status === undefined ? {} : { status }), ...(code === undefined ? {} : { code }) };
      }),
      finalize(() => {
        if (failures > 0) metrics.deadLetterWritesBlocked.dec(labels);
      }),
    );
  };
};
