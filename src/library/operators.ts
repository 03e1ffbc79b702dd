// RxJS operators for apps that compose their own pipeline: follow a file, match a block, deliver.

import { Observable, defer, filter, finalize, map, type OperatorFunction } from 'rxjs';
import { alertId, isAlert, type Alert } from '../alerts/alert.js';
import { follow, type FollowOptions } from '../alerts/follow.js';
import { parseAlertLine } from '../alerts/parse.js';
import { isEndOfLines } from '../alerts/source-line.js';
import type { IntegrationConfig } from '../config/integration-config.js';
import { IntegratordError } from '../errors.js';
import { compileFilter } from '../match/compile.js';
import { DEFAULT_CONNECTIONS } from '../delivery/http.js';
import { createDeliveryParts, type DeliveryParts } from '../pipeline/delivery-parts.js';
import { blockDeliver, openBlock } from '../pipeline/open-block.js';
import type { BlockOutcome, Envelope } from '../pipeline/outcome.js';
import type { RetryListener } from '../pipeline/retry-event.js';
import { log } from '../telemetry/log.js';
import { createMetrics, type Metrics } from '../telemetry/metrics.js';
import { DEFAULT_HOME, wazuhPaths, type WazuhPaths } from '../wazuh-home.js';

/**
 * The alerts of a file as they are appended (through rotation and truncation; see Follower).
 * Lines that are not JSON objects are logged and skipped. Reads the next line only once the
 * previous one was emitted: a synchronous consumer never buffers; an asynchronous one should
 * use fromAlertLines (a line is read only while fewer than its high-water mark are uncommitted,
 * with a cursor) or the Integrator to keep memory bounded. Unsubscribing closes the file.
 */
export const fromAlertsFile = (path: string, options: FollowOptions = {}): Observable<Alert> =>
  new Observable<Alert>((subscriber) => {
    const follower = follow(path, options);
    let closed = false;
    const pump = async () => {
      while (!closed) {
        const line = await follower.next();
        if (isEndOfLines(line)) break;
        const parsed = parseAlertLine(line.text);
        if (parsed.ok) subscriber.next(parsed.alert);
        else log.warning(`Invalid JSON alert read from '${line.path}'`, { offset: line.start, reason: parsed.detail });
      }
      subscriber.complete();
    };
    pump().catch((error: unknown) => subscriber.error(error));
    return () => {
      closed = true;
      void follower.close();
    };
  });

/** The alerts each block's matchBlock took, so that its deliver does not filter them again. */
const matchedBy = new WeakMap<IntegrationConfig, WeakSet<object>>();

/** Keeps the alerts the block's filters take (Wazuh's event_location, level, group, rule_id). */
export const matchBlock = <A extends object = Alert>(config: IntegrationConfig): OperatorFunction<unknown, A> => {
  const test = compileFilter(config);
  let matched = matchedBy.get(config);
  if (matched === undefined) matchedBy.set(config, (matched = new WeakSet()));
  const taken = matched;
  return filter((alert: unknown): alert is A => {
    if (!isAlert(alert) || test(alert) !== null) return false;
    taken.add(alert);
    return true;
  });
};

/** How `deliver` runs: every field optional. */
export interface DeliverOptions {
  /** Shared delivery parts (HTTP pools, dead letters…); created from `home`/`state` and closed with the stream when not given. */
  readonly parts?: DeliveryParts;
  /** Where Wazuh is and where dead letters go (default wazuhPaths(home, { state })). */
  readonly paths?: WazuhPaths;
  /** Wazuh home (default /var/ossec): integrations/ for custom scripts, the queue socket. */
  readonly home?: string;
  /** State directory for dead letters (default HOME/var/integratord). */
  readonly state?: string;
  /** Alerts delivered at once (default 4). */
  readonly concurrency?: number;
  /** HTTP connections per destination origin when the parts are created here (default max(8, concurrency)). */
  readonly connections?: number;
  readonly metrics?: Metrics;
  /**
   * True when every alert reaching `deliver` was already taken by the block's filters upstream — by
   * `matchBlock(config)` followed by a `map()` (whose new objects `deliver` cannot recognise), or by the
   * app's own decision: `deliver` then does not filter again. Silences and the integration's own
   * pre-filter still apply. Default false: only the very objects `matchBlock` emitted skip the filters.
   */
  readonly preMatched?: boolean;
  /** Told each time a delivery is retried (RetryEvent: block, alert id, attempt, delay, reason, status or code); a throw is logged and ignored. */
  readonly onRetry?: RetryListener;
}

/**
 * Delivers alerts through one block: its filters (skipped for alerts its `matchBlock` already
 * took, or for all with `preMatched: true`, e.g. after a `map()`), its integration, timeouts, retries and dead letters: one outcome per alert, with the
 * alert's `id` and the block (`block`, `integration`, `blockId`, as the integrator's); `seq` is the alert's position in the stream given to `deliver`. Runs Wazuh's
 * startup checks first and throws an IntegratordError (INTEGRATORD_CONFIG) when the block cannot
 * be enabled. Without `parts`, each subscription gets parts of its own (sharing `metrics`), closed
 * when that subscription ends or is unsubscribed, so the operator can be subscribed again.
 */
export const deliver = <A extends object = Alert>(config: IntegrationConfig, options: DeliverOptions = {}): OperatorFunction<A, BlockOutcome> => {
  const paths = options.paths ?? wazuhPaths(options.home ?? DEFAULT_HOME, { state: options.state });
  const metrics = options.parts?.metrics ?? options.metrics ?? createMetrics();
  const connections = options.connections ?? Math.max(DEFAULT_CONNECTIONS, options.concurrency ?? 0);
  const ownParts = () => createDeliveryParts({ paths, metrics, connections });
  const matched = matchedBy.get(config);
  const preMatched = options.preMatched === true ? () => true : matched === undefined ? undefined : (alert: object) => matched.has(alert);
  const pipeline = { ...(preMatched === undefined ? {} : { preMatched }), ...(options.onRetry === undefined ? {} : { onRetry: options.onRetry }) };
  const blockParts = (parts: DeliveryParts) => ({ ...parts, paths, concurrency: options.concurrency, pipeline });
  // Parts made here for the startup check serve the first subscription; every later one makes (and closes) its own.
  const checked = options.parts ?? ownParts();
  let unused = options.parts === undefined ? checked : undefined;
  const opened = openBlock(config, blockParts(checked));
  if (!opened.enabled) {
    void unused?.close();
    throw new IntegratordError('INTEGRATORD_CONFIG', opened.reason);
  }
  return (alerts$) =>
    defer(() => {
      let own: DeliveryParts | undefined;
      let delivering = opened.deliver;
      if (options.parts === undefined) {
        if (unused === undefined) {
          own = ownParts();
          delivering = blockDeliver(config, opened.integration, blockParts(own));
        } else [own, unused] = [unused, undefined];
      }
      const ids = new Map<number, string>();
      return alerts$.pipe(
        map((alert, seq): Envelope => {
          const id = alertId(alert);
          if (id !== undefined) ids.set(seq, id);
          return { alert: alert as unknown as Alert, seq };
        }),
        delivering,
        // A `held` outcome is not final (noise control): the alert's outcome comes with its digest.
        filter((outcome) => outcome.kind !== 'held'),
        map((outcome): BlockOutcome => {
          const block = { block: config.index, integration: config.name, blockId: config.id };
          const id = ids.get(outcome.seq);
          if (id === undefined) return { ...outcome, ...block };
          ids.delete(outcome.seq);
          return { ...outcome, ...block, id };
        }),
        finalize(() => void own?.close()),
      );
    });
};
