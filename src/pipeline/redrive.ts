// Re-sends the dead letters of one block through its block pipeline and keeps only those still failing.

import { from, lastValueFrom, toArray } from 'rxjs';
import type { Alert } from '../alerts/alert.js';
import type { IntegrationConfig } from '../config/integration-config.js';
import type { DeadLetterFile, DeadLetterRecord } from '../delivery/dead-letter.js';
import type { WazuhPaths } from '../wazuh-home.js';
import type { BlockPipelineOptions } from './block-pipeline.js';
import type { DeliveryParts } from './delivery-parts.js';
import { openBlock } from './open-block.js';
import type { Outcome } from './outcome.js';

export interface RedriveParts {
  /** The blocks of the current ossec.conf. */
  readonly configs: readonly IntegrationConfig[];
  readonly paths: WazuhPaths;
  /** What deliveries go through; its `deadLetters` is the store whose files are redriven. */
  readonly delivery: DeliveryParts;
  readonly debug?: number;
  /** Extra pipeline options (backoff, deadlines) for embedding apps and specs. */
  readonly pipeline?: Partial<Pick<BlockPipelineOptions, 'backoff' | 'deadlines' | 'scheduler'>>;
}

export interface RedriveResult {
  /** The block id the file belongs to. */
  readonly id: string;
  /** The block's position in the current ossec.conf; undefined when no block has this id (orphaned). */
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
 * Sends every record of `file` through the block with the file's id in the current ossec.conf
 * (its filters, integration, retries), wherever that block now is. Delivered records are removed
 * from the file; failures stay with the new time, status and reason and their attempts added up;
 * skipped ones stay as they were. An orphaned file (no block has its id: the block was removed or
 * its name or hook_url changed) or a disabled block sends nothing. Rejects only on file errors.
 */
export const redriveFile = async (file: DeadLetterFile, parts: RedriveParts): Promise<RedriveResult> => {
  const store = parts.delivery.deadLetters;
  const entries = await store.entries(file.path);
  const records = entries.flatMap((e) => (e.record ? [{ record: e.record, line: e.line }] : []));
  const config = ownerOf(file, parts.configs);
  const result = { id: file.id, block: config?.index, integration: config?.name, total: records.length, delivered: 0, stillDead: records.length, skipped: 0 };
  if (config === undefined) {
    return {
      ...result,
      error: `orphaned: no block of ${parts.paths.config} has the id '${file.id}' (removed, or its name or hook_url changed); records kept, not sent — 'integratord dlq drop --block ${file.id}' removes them`,
    };
  }
  const failures = new Map<Alert, DeadLetterRecord>();
  // Dead letters are re-sent one by one: noise control already had its say when they were first delivered.
  const { noise: _noise, ...withoutNoise } = config;
  const opened = openBlock(withoutNoise, {
    ...parts.delivery,
    paths: parts.paths,
    debug: parts.debug,
    pipeline: parts.pipeline,
    deadLetters: { append: async (record) => void failures.set(record.alert, record) },
  });
  if (!opened.enabled) return { ...result, error: `${opened.reason}: records kept` };
  const outcomes: Outcome[] = await lastValueFrom(from(records.map(({ record }, seq) => ({ alert: record.alert, seq }))).pipe(opened.deliver, toArray()));
  const byLine = new Map<string, Outcome>();
  for (const outcome of outcomes) {
    const entry = records[outcome.seq];
    if (entry) byLine.set(entry.line, outcome);
  }
  await store.rewrite(file.path, (record, line) => {
    const outcome = byLine.get(line);
    if (outcome === undefined || outcome.kind === 'skipped' || outcome.kind === 'rejected' || outcome.kind === 'suppressed' || outcome.kind === 'held') return record;
    if (outcome.kind === 'delivered') return undefined;
    const again = failures.get(outcome.alert);
    return again === undefined ? record : { ...again, attempts: record.attempts + again.attempts };
  });
  const count = (kind: Outcome['kind']) => outcomes.filter((o) => o.kind === kind).length;
  return { ...result, delivered: count('delivered'), stillDead: records.length - count('delivered') - count('skipped'), skipped: count('skipped') };
};
