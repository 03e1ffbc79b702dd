// Re-sends the dead letters of one block through its block pipeline and keeps only those still failing.

import { from, lastValueFrom, toArray } from 'rxjs';
import type { Alert } from '../alerts/alert.js';
import type { IntegrationConfig } from '../config/integration-config.js';
import { fileSafeName, type DeadLetterFile, type DeadLetterRecord, type DeadLetterStore } from '../delivery/dead-letter.js';
import type { DestinationPauses } from '../delivery/destination-pauses.js';
import type { HttpSender } from '../delivery/http.js';
import type { QueueWriter } from '../delivery/queue-writer.js';
import type { ScriptRunner } from '../delivery/run-script.js';
import type { SmtpSender } from '../delivery/smtp.js';
import type { Metrics } from '../telemetry/metrics.js';
import type { WazuhPaths } from '../wazuh-home.js';
import { blockPipeline, type BlockPipelineOptions } from './block-pipeline.js';
import type { Outcome } from './outcome.js';
import { startupCheck } from './startup-check.js';

export interface RedriveParts {
  readonly store: DeadLetterStore;
  /** The blocks of the current ossec.conf. */
  readonly configs: readonly IntegrationConfig[];
  readonly paths: WazuhPaths;
  readonly http: HttpSender;
  readonly scripts: ScriptRunner;
  readonly queue: QueueWriter;
  readonly smtp?: SmtpSender;
  readonly pauses: DestinationPauses;
  readonly metrics: Metrics;
  readonly debug?: number;
  /** Extra pipeline options (backoff, deadlines) for embedding apps and specs. */
  readonly pipeline?: Partial<BlockPipelineOptions>;
}

export interface RedriveResult {
  readonly block: number;
  readonly integration: string;
  /** Records read from the file. */
  readonly total: number;
  readonly delivered: number;
  /** Failed again (kept, with the new attempt) or not sent (block gone or disabled). */
  readonly stillDead: number;
  /** The block's filters no longer take the alert: kept unchanged. */
  readonly skipped: number;
  /** Why nothing was sent (block missing from ossec.conf, or disabled). */
  readonly error?: string;
}

/**
 * Sends every record of `file` through the block of the same index in the current ossec.conf
 * (its filters, integration, retries). Delivered records are removed from the file; failures
 * stay with the new time, status and reason and their attempts added up; skipped ones stay as
 * they were. A block that is gone, renamed or disabled sends nothing. Rejects only on file errors.
 */
export const redriveFile = async (file: DeadLetterFile, parts: RedriveParts): Promise<RedriveResult> => {
  const entries = await parts.store.entries(file.path);
  const records = entries.flatMap((e) => (e.record ? [{ record: e.record, line: e.line }] : []));
  const result = { block: file.block, integration: file.integration, total: records.length, delivered: 0, stillDead: records.length, skipped: 0 };
  const config = parts.configs.find((c) => c.index === file.block);
  if (config === undefined || fileSafeName(config.name) !== file.integration) {
    const now = config === undefined ? 'there is no such block' : `block ${file.block} is now '${config.name}'`;
    return { ...result, error: `${now} in ${parts.paths.config}: records kept` };
  }
  const started = startupCheck(config, parts.paths, { debug: parts.debug ?? 0 });
  if (!started.enabled) return { ...result, error: `${started.reason}: records kept` };

  const failures = new Map<Alert, DeadLetterRecord>();
  const outcomes: Outcome[] = await lastValueFrom(
    from(records.map(({ record }, seq) => ({ alert: record.alert, seq }))).pipe(
      blockPipeline({
        config,
        integration: started.block,
        http: parts.http,
        scripts: parts.scripts,
        queue: parts.queue,
        ...(parts.smtp ? { smtp: parts.smtp } : {}),
        pauses: parts.pauses,
        metrics: parts.metrics,
        deadLetters: { append: async (record) => void failures.set(record.alert, record) },
        ...parts.pipeline,
      }),
      toArray(),
    ),
  );
  const byLine = new Map<string, Outcome>();
  for (const outcome of outcomes) {
    const entry = records[outcome.seq];
    if (entry) byLine.set(entry.line, outcome);
  }
  await parts.store.rewrite(file.path, (record, line) => {
    const outcome = byLine.get(line);
    if (outcome === undefined || outcome.kind === 'skipped' || outcome.kind === 'rejected') return record;
    if (outcome.kind === 'delivered') return undefined;
    const again = failures.get(outcome.alert);
    return again === undefined ? record : { ...again, attempts: record.attempts + again.attempts };
  });
  const count = (kind: Outcome['kind']) => outcomes.filter((o) => o.kind === kind).length;
  return { ...result, delivered: count('delivered'), stillDead: records.length - count('delivered') - count('skipped'), skipped: count('skipped') };
};
