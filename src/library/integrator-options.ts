// What createIntegrator takes: a configuration, at most one alert source, tuning; and the check of those values.

import type { Subscribable } from 'rxjs';
import type { IntegrationConfig } from '../config/integration-config.js';
import type { QueueWriter } from '../delivery/queue-writer.js';
import { IntegratordError } from '../errors.js';
import type { Logger, LogOptions } from '../telemetry/log.js';
import type { Metrics } from '../telemetry/metrics.js';
import type { RetryListener } from '../pipeline/retry-event.js';
import type { PushLimits } from './push-stop.js';

/** What every integrator takes besides its configuration and its source. */
export interface CommonIntegratorOptions extends PushLimits {
  /** Cursors, dead letters and rejected lines (default HOME/var/integratord): created and proved writable by createIntegrator. */
  readonly state?: string;
  /** Wazuh home: integrations/ for custom scripts, queue/sockets/queue for write-backs (default /var/ossec). */
  readonly home?: string;
  /** Where VirusTotal/Maltiverse events go (default: the queue socket, or `enrichmentOut`). */
  readonly queue?: QueueWriter;
  /** A JSON Lines file for enrichment events, where no Wazuh runs. */
  readonly enrichmentOut?: string;
  /** Alerts one block delivers at once: an integer ≥ 1 (default 4). */
  readonly concurrency?: number;
  /** HTTP connections per destination origin, shared by every block: an integer ≥ 1 (default max(8, concurrency)). */
  readonly connections?: number;
  readonly metrics?: Metrics;
  /**
   * This integrator's own log lines (startup checks, retries, dead letters…): a Logger, or LogOptions
   * (`debug`, `format`, `destination: { write(line) }`). Default: the process-wide logger (configureLog).
   * Other integrators and the process-wide logger are not affected.
   */
  readonly logger?: Logger | LogOptions;
  /**
   * Default true: a configuration with no enabled block (every block failed Wazuh's startup checks,
   * e.g. a misspelt `<name>`) is refused with INTEGRATORD_CONFIG instead of sending alerts nowhere.
   */
  readonly strict?: boolean;
  /**
   * Told each time a delivery is retried: block, alert id, attempt, delay, reason, HTTP status or
   * error code (RetryEvent). Called synchronously: keep it short; a throw is logged and ignored.
   */
  readonly onRetry?: RetryListener;
}

/** The configuration: ossec.conf text or decoded blocks (`config`), or an ossec.conf file (`configFile`). */
export type IntegratorConfigSource = { readonly config: string | readonly IntegrationConfig[]; readonly configFile?: never } | { readonly configFile: string; readonly config?: never };

/**
 * Where alerts come from: `send`/`writable` only (neither option); `alerts$`, an observable the app
 * controls; or `alertsFile`, an alerts.json followed with a durable cursor per block (`fromBeginning`:
 * blocks without a cursor start at the beginning instead of the end, as Wazuh does).
 */
export type IntegratorAlertSource =
  | { readonly alerts$?: never; readonly alertsFile?: never; readonly fromBeginning?: never }
  | {
      /**
       * Any Subscribable (an Observable of another rxjs copy or version works). It cannot be paused:
       * values arriving while the blocks are full wait in a buffer of `sourceBuffer` alerts (default
       * 100,000); beyond it they are dead-lettered with reason `overflow`. Every value gets its outcomes.
       */
      readonly alerts$: Subscribable<unknown>;
      readonly alertsFile?: never;
      readonly fromBeginning?: never;
    }
  | { readonly alertsFile: string; readonly fromBeginning?: boolean; readonly alerts$?: never };

export type CreateIntegratorOptions = CommonIntegratorOptions & IntegratorConfigSource & IntegratorAlertSource;


const positiveInteger = (value: number | undefined): boolean => value === undefined || (Number.isInteger(value) && value >= 1);

/**
 * Refuses (INTEGRATORD_USAGE, naming the option) what would hang or mislead later: a concurrency,
 * connections count or high-water mark that is not an integer ≥ 1, a negative maxWaiting, sourceBuffer
 * or stallMs, no configuration or two, two alert sources (also refused by the types).
 */
export const checkIntegratorOptions = (options: CreateIntegratorOptions): void => {
  const usage = (message: string) => new IntegratordError('INTEGRATORD_USAGE', message);
  for (const key of ['concurrency', 'connections', 'highWaterMark'] as const) {
    if (!positiveInteger(options[key])) throw usage(`${key} must be an integer ≥ 1, not ${String(options[key])}`);
  }
  for (const key of ['maxWaiting', 'sourceBuffer', 'stallMs'] as const) {
    const value = options[key];
    if (value !== undefined && !(value >= 0 && (Number.isInteger(value) || value === Infinity))) throw usage(`${key} must be an integer ≥ 0 (or Infinity), not ${String(value)}`);
  }
  if (options.config === undefined && options.configFile === undefined) throw usage('createIntegrator needs `config` or `configFile`');
  if (options.config !== undefined && options.configFile !== undefined) throw usage('createIntegrator takes `config` or `configFile`, not both');
  if (options.alerts$ !== undefined && options.alertsFile !== undefined) throw usage('createIntegrator takes `alerts$` or `alertsFile`, not both');
  if (options.fromBeginning !== undefined && options.alertsFile === undefined) throw usage('`fromBeginning` is for an `alertsFile`');
  if (options.onRetry !== undefined && typeof options.onRetry !== 'function') throw usage(`onRetry must be a function, not ${typeof options.onRetry}`);
};
