// The --dry-run stand-in for delivery: prints the would-be actions of each matching alert, sends nothing.

import { asyncScheduler, concat, defer, finalize, from, map, merge, mergeMap, of, type Observable, type OperatorFunction } from 'rxjs';
import type { Alert } from '../alerts/alert.js';
import type { IntegrationConfig } from '../config/integration-config.js';
import type { Step } from '../delivery/step.js';
import type { BlockIntegration } from '../integrations/definition.js';
import { compileFilter } from '../match/compile.js';
import type { SilenceMatcher } from '../silences/silence.js';
import { digestAlert, digestOf } from '../noise/digest.js';
import { NoiseStage, type NoiseClock } from '../noise/noise-stage.js';
import type { DigestBatch } from '../noise/noise-state.js';
import { MemoryNoiseStore, type NoiseStore } from '../noise/noise-store.js';
import { blockLabels, type Metrics } from '../telemetry/metrics.js';
import { dryRunLines } from './dry-run.js';
import type { Envelope, Outcome } from './outcome.js';
import { errorMessage } from '../errors.js';

/** Per block (by index): alerts matched, and messages printed (a digest is one message). `replay --dry-run --summary` reads it. */
export type DryRunTally = Map<number, { matched: number; messages: number }>;

export interface DryRunOptions {
  /** Receives one JSON line per action (stdout in the CLI). */
  readonly write: (line: string) => void;
  readonly showSecrets?: boolean;
  /** Receives each rejected line's record (stderr in the CLI) instead of STATE/rejected-lines.jsonl. */
  readonly rejected?: ((record: string) => void) | undefined;
  /** Counts matched alerts and messages per block when given. */
  readonly tally?: DryRunTally;
}

/**
 * Envelope → Outcome like the block pipeline, through the same filters, silences, pre-filter and plan, but
 * each step is printed (design.md §3) instead of sent; a printed alert counts as delivered with 0
 * attempts. A plan that throws is reported as dead-lettered (nothing is written to disk). A block
 * with noise control goes through its stage as when running: suppressed alerts print nothing, held
 * ones print with their digest, whose lines carry a `digest` field ({reason, key, count}).
 */
export const dryRunDeliver = (
  config: IntegrationConfig,
  integration: BlockIntegration,
  metrics: Metrics,
  options: DryRunOptions,
  silences?: SilenceMatcher | undefined,
  noise?: { readonly store?: NoiseStore; readonly clock?: NoiseClock },
): OperatorFunction<Envelope, Outcome> => {
  const filter = compileFilter(config);
  const labels = blockLabels(config.index, config.name);
  const tally = (matched: number, messages: number) => {
    if (options.tally === undefined) return;
    const entry = options.tally.get(config.index) ?? { matched: 0, messages: 0 };
    entry.matched += matched;
    entry.messages += messages;
    options.tally.set(config.index, entry);
  };
  const print = (envelope: Envelope, alert: Alert, steps: () => readonly Step[], digest?: Record<string, unknown>): Outcome => {
    try {
      for (const line of dryRunLines(config, alert, steps(), options.showSecrets)) {
        if (digest === undefined) options.write(line);
        else {
          const { block, integration: name, alert_id, ...rest } = JSON.parse(line) as Record<string, unknown>;
          options.write(JSON.stringify({ block, integration: name, alert_id, digest, ...rest }));
        }
      }
    } catch (error) {
      return { kind: 'dead-lettered', seq: envelope.seq, attempts: 0, reason: `cannot build the request: ${errorMessage(error)}`, alert: envelope.alert };
    }
    return { kind: 'delivered', seq: envelope.seq, attempts: 0, alert: envelope.alert };
  };
  const matched = (envelope: Envelope): Outcome | undefined => {
    const rejected = filter(envelope.alert);
    if (rejected !== null) {
      metrics.alertsSkipped.inc({ ...labels, reason: rejected });
      return { kind: 'skipped', seq: envelope.seq, reason: rejected };
    }
    if (silences?.match(envelope.alert, config.id) !== undefined) {
      metrics.alertsSkipped.inc({ ...labels, reason: 'silenced' });
      metrics.alertsSuppressed.inc({ ...labels, reason: 'silenced' });
      return { kind: 'skipped', seq: envelope.seq, reason: 'silenced' };
    }
    const own = integration.skip?.(envelope.alert);
    if (own !== undefined) {
      metrics.alertsSkipped.inc({ ...labels, reason: 'integration' });
      return { kind: 'skipped', seq: envelope.seq, reason: own };
    }
    metrics.alertsMatched.inc(labels);
    tally(1, 0);
    return undefined;
  };
  const settings = config.noise;
  if (settings === undefined) {
    // One outcome per alert, at once: `map`, not an inner Observable per alert.
    return map((envelope): Outcome => {
      const skipped = matched(envelope);
      if (skipped !== undefined) return skipped;
      tally(0, 1);
      return print(envelope, envelope.alert, () => integration.plan(envelope.alert));
    });
  }
  return (source) =>
    defer(() => {
      const stage = new NoiseStage({ settings, blockId: config.id, store: noise?.store ?? new MemoryNoiseStore(), clock: noise?.clock ?? 'wall', scheduler: asyncScheduler });
      const printBatch = (batch: DigestBatch): Observable<Outcome> => {
        const [first] = batch.held;
        if (first === undefined) return from([]);
        tally(0, 1);
        if (batch.held.length === 1) return of(print(first, first.alert, () => integration.plan(first.alert)));
        const digest = digestOf(batch);
        const outcome = print(first, digestAlert(digest), () => integration.planDigest?.(digest) ?? integration.plan(digestAlert(digest)), { reason: batch.reason, key: batch.reason === 'group' ? JSON.stringify(Object.values(batch.group)) : batch.key, count: digest.count });
        return from(batch.held.map((h): Outcome => (outcome.kind === 'delivered' || outcome.kind === 'dead-lettered' ? { ...outcome, seq: h.seq, alert: h.alert } : outcome)));
      };
      const handle = (envelope: Envelope): Observable<Outcome> => {
        const skipped = matched(envelope);
        if (skipped !== undefined) return of(skipped);
        const { admission, due } = stage.admit({ seq: envelope.seq, alert: envelope.alert });
        const before = from(due).pipe(mergeMap(printBatch));
        if (admission.kind === 'send') {
          tally(0, 1);
          return concat(before, defer(() => of(print(envelope, envelope.alert, () => integration.plan(envelope.alert)))));
        }
        if (admission.kind === 'suppressed') metrics.alertsSuppressed.inc({ ...labels, reason: admission.reason });
        return concat(before, of<Outcome>({ kind: admission.kind, seq: envelope.seq, reason: admission.reason }));
      };
      let loaded = false;
      void stage.ready.then(() => (loaded = true));
      const alerts$ = source.pipe(
        mergeMap((envelope) => (loaded ? of(envelope) : from(stage.ready).pipe(map(() => envelope))), 1),
        mergeMap(handle),
      );
      return merge(
        stage.due$.pipe(mergeMap(printBatch)),
        concat(alerts$, defer(() => from(stage.end()).pipe(mergeMap(printBatch)))),
      ).pipe(finalize(() => stage.close()));
    });
};
