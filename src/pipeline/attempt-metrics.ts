// What a block counts per delivery attempt, retry and wait: one set of label objects made once per block.

import type { SchedulerLike } from 'rxjs';
import type { IntegrationConfig } from '../config/integration-config.js';
import type { Verdict } from '../delivery/step.js';
import { log } from '../telemetry/log.js';
import type { BulkCount } from '../telemetry/bulk-counts.js';
import type { BlockLabels, Metrics } from '../telemetry/metrics.js';
import { notifyRetry, timeoutCode, type RetryListener } from './retry-event.js';

/** How one attempt ended, as counted: `label` is the failure reason of the metric (http_503, connection_refused, …). */
export interface CountedAttempt {
  readonly attempt: number;
  readonly verdict: Verdict;
  readonly timedOut: boolean;
  readonly label?: string | undefined;
}

export interface AttemptMetrics {
  attempted(event: CountedAttempt): void;
  /** A retry: counted, logged at debug, and told to the app's listener (`stepKind` names a timeout's code). */
  retried(event: CountedAttempt & { readonly delayMs: number }, alertId: string | undefined, stepKind?: string): void;
  /** A wait for the rate limit or a destination pause, in ms. */
  waited(ms: number): void;
}

/**
 * The counters of one block's attempts (integratord_delivery_attempts_total by result, failures by reason,
 * retries, quota waits, the failure streak gauges). Attempts are summed in bulk, failure label objects are
 * made once per reason seen, not spread per attempt. `streak` is the block's failure streak, shared by its alerts.
 * `onRetry`: the app's listener of retries (library), told with the block's identity.
 */
export const attemptMetrics = (
  metrics: Metrics,
  block: BlockLabels,
  scheduler: SchedulerLike,
  streak: { failingSince: number } | undefined,
  onRetry?: { readonly listener: RetryListener; readonly config: IntegrationConfig },
): AttemptMetrics => {
  const byResult = new Map<string, BulkCount>();
  const byReason = new Map<string, BlockLabels & { reason: string }>();
  // Attempts happen once per alert at least: counted in bulk (bulk-counts.ts), one sum per result.
  const attempts = (result: string) => {
    let count = byResult.get(result);
    if (count === undefined) byResult.set(result, (count = metrics.bulk.of(metrics.deliveryAttempts, { ...block, result })));
    return count;
  };
  // Reasons are a closed set of codes (http_<status>, connection errors, exit_<code>): bounded by what the code names.
  const reasonLabels = (reason: string) => {
    let labels = byReason.get(reason);
    if (labels === undefined) byReason.set(reason, (labels = { ...block, reason }));
    return labels;
  };
  return {
    attempted: ({ verdict, timedOut, label }) => {
      attempts(timedOut ? 'timeout' : verdict.kind).add(1);
      if (verdict.kind === 'delivered') {
        if (streak && streak.failingSince !== 0) {
          streak.failingSince = 0;
          metrics.failingSince.set(block, 0);
        }
        return;
      }
      metrics.deliveryFailures.inc(reasonLabels(timedOut ? 'timeout' : (label ?? 'error')));
      metrics.lastFailure.set(block, Math.floor(scheduler.now() / 1000));
      if (streak && streak.failingSince === 0) {
        streak.failingSince = Math.floor(scheduler.now() / 1000);
        metrics.failingSince.set(block, streak.failingSince);
      }
    },
    retried: ({ attempt, verdict, delayMs, timedOut }, alertId, stepKind = 'http') => {
      metrics.deliveryRetries.inc(block);
      if (verdict.kind !== 'retry') return;
      log.debug('DeliveryRetried', { ...block, alert_id: alertId, attempt, delay_ms: delayMs, reason: verdict.reason });
      if (onRetry === undefined) return;
      const { config } = onRetry;
      const code = verdict.code ?? (timedOut ? timeoutCode(stepKind) : undefined);
      notifyRetry(onRetry.listener, {
        block: config.index,
        integration: config.name,
        blockId: config.id,
        ...(alertId === undefined ? {} : { id: alertId }),
        attempt,
        delayMs,
        reason: verdict.reason,
        ...(verdict.status === undefined ? {} : { status: verdict.status }),
        ...(code === undefined ? {} : { code }),
      });
    },
    waited: (ms) => {
      metrics.quotaWaits.inc(block);
      metrics.quotaWaitSeconds.inc(block, ms / 1000);
    },
  };
};
