// The --dry-run stand-in for delivery: prints the would-be actions of each matching alert, sends nothing.

import { mergeMap, type OperatorFunction } from 'rxjs';
import type { IntegrationConfig } from '../config/integration-config.js';
import type { BlockIntegration } from '../integrations/definition.js';
import { compileFilter } from '../match/compile.js';
import type { SilenceMatcher } from '../silences/silence.js';
import { blockLabels, type Metrics } from '../telemetry/metrics.js';
import { dryRunLines } from './dry-run.js';
import type { Envelope, Outcome } from './outcome.js';
import { errorMessage } from '../errors.js';

export interface DryRunOptions {
  /** Receives one JSON line per action (stdout in the CLI). */
  readonly write: (line: string) => void;
  readonly showSecrets?: boolean;
}

/**
 * Envelope → Outcome like the block pipeline, through the same filters, silences, pre-filter and plan, but
 * each step is printed (design.md §3) instead of sent; a printed alert counts as delivered with 0
 * attempts. A plan that throws is reported as dead-lettered (nothing is written to disk).
 */
export const dryRunDeliver = (
  config: IntegrationConfig,
  integration: BlockIntegration,
  metrics: Metrics,
  options: DryRunOptions,
  silences?: SilenceMatcher,
): OperatorFunction<Envelope, Outcome> => {
  const filter = compileFilter(config);
  const labels = blockLabels(config.index, config.name);
  return mergeMap((envelope): [Outcome] => {
    const rejected = filter(envelope.alert);
    if (rejected !== null) {
      metrics.alertsSkipped.inc({ ...labels, reason: rejected });
      return [{ kind: 'skipped', seq: envelope.seq, reason: rejected }];
    }
    if (silences?.match(envelope.alert, config.id) !== undefined) {
      metrics.alertsSkipped.inc({ ...labels, reason: 'silenced' });
      return [{ kind: 'skipped', seq: envelope.seq, reason: 'silenced' }];
    }
    const own = integration.skip?.(envelope.alert);
    if (own !== undefined) {
      metrics.alertsSkipped.inc({ ...labels, reason: 'integration' });
      return [{ kind: 'skipped', seq: envelope.seq, reason: own }];
    }
    metrics.alertsMatched.inc(labels);
    try {
      for (const line of dryRunLines(config, envelope.alert, integration.plan(envelope.alert), options.showSecrets)) options.write(line);
    } catch (error) {
      return [{ kind: 'dead-lettered', seq: envelope.seq, attempts: 0, reason: `cannot build the request: ${errorMessage(error)}`, alert: envelope.alert }];
    }
    return [{ kind: 'delivered', seq: envelope.seq, attempts: 0, alert: envelope.alert }];
  });
};
