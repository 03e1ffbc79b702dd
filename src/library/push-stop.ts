// The vocabulary of an embedded integrator's limits and stop: the high-water mark, stop options, the counts stop() returns.

import type { Alert } from '../alerts/alert.js';
import type { IntegrationConfig } from '../config/integration-config.js';
import { errorMessage, IntegratordError } from '../errors.js';
import type { DeliveryParts } from '../pipeline/delivery-parts.js';
import { log } from '../telemetry/log.js';
import { blockLabels } from '../telemetry/metrics.js';

/** 1,000 alerts: a few MB of held alerts, enough to keep every block's deliveries busy. */
export const DEFAULT_HIGH_WATER_MARK = 1000;

/** The dead-letter reason of an alert still unsettled when `stop()`'s grace period ran out. */
export const STOPPED_REASON = 'stopped';

/** What an embedded integrator did over its life, returned by `stop()`: one count per alert and block. */
export interface StopCounts {
  readonly delivered: number;
  readonly skipped: number;
  readonly deadLettered: number;
  readonly rejected: number;
  /** Of `deadLettered`: still unsettled when the grace period ran out, dead-lettered with reason `stopped`. */
  readonly stopped: number;
}

/** How `stop()` ends: `graceMs` for deliveries in flight (default 5 s), `signal` to cut the grace short. */
export interface StopOptions {
  readonly graceMs?: number;
  readonly signal?: AbortSignal;
}

/** What send() and the Writable answer once stop() began. */
export const stoppedError = () => new IntegratordError('INTEGRATORD_USAGE', 'the integrator is stopping or stopped: it accepts no more alerts');

/**
 * Writes the dead letter of an alert still unsettled when stop()'s grace ran out (reason `stopped`,
 * so `dlq redrive` can send it later), counted and logged like any dead letter. Resolves false when
 * it could not be written (logged with the reason); never rejects.
 */
export const deadLetterStopped = async (parts: Pick<DeliveryParts, 'deadLetters' | 'metrics'>, config: IntegrationConfig, alert: Alert, alertId: string | undefined, time: string): Promise<boolean> => {
  const where = { block: config.index, integration: config.name, alert_id: alertId };
  try {
    await parts.deadLetters.append({ time, block_id: config.id, block: config.index, integration: config.name, alert, attempts: 0, reason: STOPPED_REASON });
  } catch (error) {
    log.error('DeadLetterNotWritten', { ...where, error: errorMessage(error) });
    return false;
  }
  parts.metrics.alertsDeadLettered.inc(blockLabels(config.index, config.name));
  log.warning('AlertDeadLettered', { ...where, reason: STOPPED_REASON });
  return true;
};
