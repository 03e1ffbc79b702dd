// One <integration> block made ready to deliver: Wazuh's startup check, then its filter and pipeline (or the dry-run printer).

import type { OperatorFunction } from 'rxjs';
import type { IntegrationConfig } from '../config/integration-config.js';
import type { DeadLetterSink } from '../delivery/dead-letter.js';
import type { BlockIntegration } from '../integrations/definition.js';
import type { SilenceMatcher } from '../silences/silence.js';
import type { WazuhPaths } from '../wazuh-home.js';
import { blockPipeline, type BlockPipelineOptions } from './block-pipeline.js';
import type { DeliveryParts } from './delivery-parts.js';
import { dryRunDeliver, type DryRunOptions } from './dry-run-deliver.js';
import type { Envelope, Outcome } from './outcome.js';
import { startupCheck } from './startup-check.js';

/** What a block is opened with: the shared delivery parts (any dead-letter sink), where Wazuh is, and tuning. */
export interface OpenBlockParts extends Omit<DeliveryParts, 'deadLetters' | 'close'> {
  readonly paths: WazuhPaths;
  readonly deadLetters: DeadLetterSink;
  /** Daemon debug level (custom scripts get `debug` in argv when ≥ 1); default 0. */
  readonly debug?: number | undefined;
  /** Alerts the block delivers at once (default DEFAULT_BLOCK_CONCURRENCY). */
  readonly concurrency?: number | undefined;
  /** Print the would-be actions instead of sending them. */
  readonly dryRun?: DryRunOptions | undefined;
  /** The silences in force: matching alerts are skipped as `silenced` (dry run too). */
  readonly silences?: SilenceMatcher | undefined;
  /** Backoff, deadlines, scheduler overrides: for embedding apps and specs. */
  readonly pipeline?: Partial<Pick<BlockPipelineOptions, 'backoff' | 'deadlines' | 'scheduler' | 'preMatched' | 'noise'>> | undefined;
  /** The file the block was read from: a name of ours in a file named ossec.conf is warned about (as `check` does). */
  readonly configFile?: string | undefined;
}

export type OpenedBlock =
  | {
      readonly enabled: true;
      readonly config: IntegrationConfig;
      readonly integration: BlockIntegration;
      /** Envelope → exactly one Outcome, through the block's filters (see blockPipeline). */
      readonly deliver: OperatorFunction<Envelope, Outcome>;
    }
  | { readonly enabled: false; readonly config: IntegrationConfig; readonly reason: string };

/**
 * The delivery operator of a block that passed its startup check (openBlock's `integration`): the
 * block pipeline over `parts`, or the dry-run printer. For a caller that delivers one checked block
 * through several sets of parts (the library's `deliver`, one set per subscription).
 */
export const blockDeliver = (config: IntegrationConfig, integration: BlockIntegration, parts: OpenBlockParts): OperatorFunction<Envelope, Outcome> =>
  parts.dryRun
    ? dryRunDeliver(config, integration, parts.metrics, parts.dryRun, parts.silences, parts.pipeline?.noise)
    : blockPipeline({
        config,
        integration,
        http: parts.http,
        scripts: parts.scripts,
        queue: parts.queue,
        smtp: parts.smtp,
        pauses: parts.pauses,
        deadLetters: parts.deadLetters,
        metrics: parts.metrics,
        silences: parts.silences,
        ...(parts.concurrency === undefined ? {} : { concurrency: parts.concurrency }),
        ...parts.pipeline,
      });

/**
 * Runs Wazuh's startup checks on the block (logging their lines, setting `integratord_block_enabled`)
 * and, when it may run, builds its delivery operator: the block pipeline (filters, integration,
 * retries, dead letters into `parts.deadLetters`), or the dry-run printer with `parts.dryRun`.
 * The one place a block is assembled (daemon, replay, redrive, library). Never throws: a disabled
 * block is a result with Wazuh's reason.
 */
export const openBlock = (config: IntegrationConfig, parts: OpenBlockParts): OpenedBlock => {
  const started = startupCheck(config, parts.paths, { debug: parts.debug ?? 0, metrics: parts.metrics, ...(parts.configFile === undefined ? {} : { configFile: parts.configFile }), ...(parts.enrichment === undefined ? {} : { enrichment: parts.enrichment }) });
  if (!started.enabled) return { enabled: false, config, reason: started.reason };
  const integration = started.block;
  return { enabled: true, config, integration, deliver: blockDeliver(config, integration, parts) };
};
