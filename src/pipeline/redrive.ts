// Re-sends the dead letters of one block through its block pipeline and keeps only those still failing.

import { from, fromEvent, lastValueFrom, NEVER, takeUntil, toArray, type OperatorFunction } from 'rxjs';
import type { Alert } from '../alerts/alert.js';
import type { IntegrationConfig } from '../config/integration-config.js';
import type { DeadLetterFile, DeadLetterRecord, DeadLetterSink } from '../delivery/dead-letter.js';
import type { WazuhPaths } from '../wazuh-home.js';
import type { BlockPipelineOptions } from './block-pipeline.js';
import type { DeliveryParts } from './delivery-parts.js';
import { batchOfDeadLetter } from './digest-dead-letters.js';
import { blockDeliver } from './open-block.js';
import type { Envelope, Outcome } from './outcome.js';
import { startupCheck } from './startup-check.js';

export interface RedriveParts {
  /** The blocks of the configuration files run reads (ossec.conf and integratord.conf). */
  readonly configs: readonly IntegrationConfig[];
  readonly paths: WazuhPaths;
  /** What deliveries go through; its `deadLetters` is the store whose files are redriven. */
  readonly delivery: DeliveryParts;
  readonly debug?: number;
  /** Extra pipeline options (backoff, deadlines) for embedding apps and specs. */
  readonly pipeline?: Partial<Pick<BlockPipelineOptions, 'backoff' | 'deadlines' | 'scheduler'>>;
  /** Aborts the deliveries of a redrive (the daemon's stop): records with no outcome stay as they were. */
  readonly signal?: AbortSignal;
  /** Opens the block once for many redrives (the daemon's automatic redrive); default openRedriveBlock each time. */
  readonly open?: (config: IntegrationConfig) => RedriveBlock;
}

/** A block ready to re-send dead letters: its operator, given where failures go; or why it cannot. */
export type RedriveBlock =
  | { readonly enabled: true; readonly deliver: (deadLetters: DeadLetterSink) => OperatorFunction<Envelope, Outcome> }
  | { readonly enabled: false; readonly reason: string };

export interface RedriveResult {
  /** The block id the file belongs to. */
  readonly id: string;
  /** The block's position in the configuration; undefined when no block has this id (orphaned). */
  readonly block: number | undefined;
  /** The block's current <name>; undefined when orphaned. */
  readonly integration: string | undefined;
  /** Records read from the file. */
  readonly total: number;
  readonly delivered: number;
  /** Failed again (kept, with the new attempt) or not sent (orphaned or disabled). */
  readonly stillDead: number;
  /** The block's filters no longer take the alert: kept unchanged. */
  readonly skipped: number;
  /** Why nothing was sent (no block with this id, or disabled). */
  readonly error?: string;
}

/** The current block a dead-letter file belongs to: the one with its id; undefined: the file is orphaned. */
export const ownerOf = (file: DeadLetterFile, configs: readonly IntegrationConfig[]): IntegrationConfig | undefined => configs.find((c) => c.id === file.id);

/**
 * Sends every record of `file` through the block with the file's id in the configuration
 * (its filters, integration, retries), wherever that block now is. Delivered records are removed
 * from the file; failures stay with the new time, status and reason and their attempts added up;
 * skipped ones stay (off the automatic schedule). Only the records `select` takes are sent (default every one); a
 * dead-lettered digest is sent again as that digest with every alert it carries. An orphaned file (no block has its id: the block was removed or
 * its name or hook_url changed) or a disabled block sends nothing. Rejects only on file errors.
 */
export const redriveFile = async (file: DeadLetterFile, parts: RedriveParts, select: (record: DeadLetterRecord) => boolean = () => true): Promise<RedriveResult> => {
  const store = parts.delivery.deadLetters;
  const entries = await store.entries(file.path);
  const records = entries.flatMap((e) => (e.record && select(e.record) ? [{ record: e.record, line: e.line }] : []));
  const config = ownerOf(file, parts.configs);
  const result = { id: file.id, block: config?.index, integration: config?.name, total: records.length, delivered: 0, stillDead: records.length, skipped: 0 };
  if (config === undefined) {
    return {
      ...result,
      error: `orphaned: no block of ${parts.paths.config} has the id '${file.id}' (removed, or its name or hook_url changed); records kept, not sent — 'integratord dlq drop --block ${file.id}' removes them`,
    };
  }
  if (records.length === 0) return result;
  // A failure is told apart by the alert it was written for: a digest's first alert, else the alert.
  const failures = new Map<Alert, DeadLetterRecord>();
  const opened = parts.open?.(config) ?? openRedriveBlock(config, parts);
  if (!opened.enabled) return { ...result, error: `${opened.reason}: records kept` };
  const deliver = opened.deliver({ append: async (record) => void failures.set(record.digest?.alerts[0] ?? record.alert, record) });
  const envelopes = records.map(({ record }, seq): Envelope => (record.digest === undefined ? { alert: record.alert, seq } : { alert: record.alert, seq, digest: batchOfDeadLetter(record.digest, seq) }));
  const aborted = parts.signal === undefined ? NEVER : fromEvent(parts.signal, 'abort');
  const outcomes: Outcome[] = await lastValueFrom(from(envelopes).pipe(deliver, takeUntil(aborted), toArray()));
  // One outcome per record (a digest gives one per alert it carries, all with the record's seq and the same kind).
  const byLine = new Map<string, { readonly outcome: Outcome; readonly sent: DeadLetterRecord }>();
  for (const outcome of outcomes) {
    const entry = records[outcome.seq];
    if (entry && !byLine.has(entry.line)) byLine.set(entry.line, { outcome, sent: entry.record });
  }
  await store.rewrite(file.path, (record, line) => {
    const { outcome, sent } = byLine.get(line) ?? {};
    if (outcome?.kind === 'skipped' && record.next_redrive !== undefined) {
      // The block's filters no longer take it: kept for a person, no longer on the automatic schedule.
      const { next_redrive: _off, ...kept } = record;
      return kept;
    }
    if (outcome === undefined || sent === undefined || outcome.kind === 'skipped' || outcome.kind === 'rejected' || outcome.kind === 'suppressed' || outcome.kind === 'held') return record;
    if (outcome.kind === 'delivered') return undefined;
    const again = failures.get(sent.digest?.alerts[0] ?? sent.alert);
    if (again === undefined) return record;
    // Failed again: the new attempt (time, reason, cause), its attempts added, and the next step of its schedule.
    return store.stamp({ ...again, attempts: record.attempts + again.attempts, first_time: record.first_time ?? record.time, redrives: (record.redrives ?? 0) + 1 });
  });
  const count = (kind: Outcome['kind']) => [...byLine.values()].filter((o) => o.outcome.kind === kind).length;
  return { ...result, delivered: count('delivered'), stillDead: records.length - count('delivered') - count('skipped'), skipped: count('skipped') };
};

/**
 * The block as redrive opens it: its startup check and pipeline without noise control (dead letters
 * are re-sent as they were: a digest as that digest, an alert on its own), failures into the sink given.
 */
export const openRedriveBlock = (config: IntegrationConfig, parts: RedriveParts): RedriveBlock => {
  const { noise: _noise, ...withoutNoise } = config;
  const checked = startupCheck(withoutNoise, parts.paths, { debug: parts.debug ?? 0, metrics: parts.delivery.metrics });
  if (!checked.enabled) return { enabled: false, reason: checked.reason };
  const integration = checked.block;
  return { enabled: true, deliver: (deadLetters) => blockDeliver(withoutNoise, integration, { ...parts.delivery, paths: parts.paths, debug: parts.debug, pipeline: parts.pipeline, deadLetters }) };
};
