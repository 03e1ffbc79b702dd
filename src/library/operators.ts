// RxJS operators for apps that compose their own pipeline: follow a file, match a block, deliver.

import { Observable, filter, map, type OperatorFunction } from 'rxjs';
import { isAlert, type Alert } from '../alerts/alert.js';
import { follow, type FollowOptions } from '../alerts/follow.js';
import { parseAlertLine } from '../alerts/parse.js';
import { isEndOfLines } from '../alerts/source-line.js';
import type { IntegrationConfig } from '../config/integration-config.js';
import { IntegratordError } from '../errors.js';
import { compileFilter } from '../match/compile.js';
import type { DeliveryParts } from '../pipeline/delivery-parts.js';
import { openBlock } from '../pipeline/open-block.js';
import type { Outcome } from '../pipeline/outcome.js';
import { log } from '../telemetry/log.js';
import type { WazuhPaths } from '../wazuh-home.js';

/**
 * The alerts of a file as they are appended (through rotation and truncation; see Follower).
 * Lines that are not JSON objects are logged and skipped. Reads the next line only once the
 * previous one was emitted: a synchronous consumer never buffers; an asynchronous one should
 * use the Integrator (credit-based) to keep memory bounded. Unsubscribing closes the file.
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

/** Keeps the alerts the block's filters take (Wazuh's event_location, level, group, rule_id). */
export const matchBlock = (config: IntegrationConfig): OperatorFunction<unknown, Alert> => {
  const test = compileFilter(config);
  return filter((alert: unknown): alert is Alert => isAlert(alert) && test(alert) === null);
};

/**
 * Delivers alerts through one block: its filters again, its integration, timeouts, retries and
 * dead letters (one Outcome per alert). Runs Wazuh's startup checks first and throws an
 * IntegratordError (INTEGRATORD_CONFIG) when the block cannot be enabled.
 */
export const deliver = (config: IntegrationConfig, parts: DeliveryParts, paths: WazuhPaths, concurrency?: number): OperatorFunction<Alert, Outcome> => {
  const opened = openBlock(config, { ...parts, paths, concurrency });
  if (!opened.enabled) throw new IntegratordError('INTEGRATORD_CONFIG', opened.reason);
  return (alerts$) => alerts$.pipe(map((alert, seq) => ({ alert, seq })), opened.deliver);
};
