// The options of an Integrator: where alerts come from, how blocks deliver, what they apply.

import type { QueueWriter } from '../delivery/queue-writer.js';
import type { NoiseClock } from '../noise/noise-stage.js';
import type { DedupClaims } from '../noise/dedup-claims.js';
import type { SilenceMatcher } from '../silences/silence.js';
import type { Metrics } from '../telemetry/metrics.js';
import type { WazuhPaths } from '../wazuh-home.js';
import type { BlockPipelineOptions } from './block-pipeline.js';
import type { LineInput } from './block-source.js';
import type { DryRunOptions } from './dry-run-deliver.js';
import type { DeliveryPartsOptions } from './delivery-parts.js';
import type { RedriveSchedule } from './redrive-schedule.js';

export interface IntegratorOptions {
  readonly paths: WazuhPaths;
  /** Where alerts come from: `follow` (the daemon, with cursors) or `replay` (files, once). */
  readonly input: Omit<Extract<LineInput, { kind: 'follow' }>, 'cursors'> | Extract<LineInput, { kind: 'replay' }>;
  readonly metrics?: Metrics;
  readonly debug?: number;
  /** Alerts one block delivers at once (default 4). */
  readonly concurrency?: number;
  /**
   * Delivery threads (default 1: every block on this thread). With N > 1 the blocks without per-block
   * state deliver over N worker threads (see WorkerDelivery); a dry run always delivers on this thread.
   */
  readonly workers?: number | undefined;
  /** HTTP connections per destination origin, shared by every block (default 8). */
  readonly connections?: number | undefined;
  readonly enrichmentOut?: string | undefined;
  readonly queue?: QueueWriter;
  /** Print actions instead of sending them (no cursor is written). */
  readonly dryRun?: DryRunOptions | undefined;
  /** The silences every block applies (the CLI's LiveSilences of STATE/silences.json); none when absent. */
  readonly silences?: SilenceMatcher | undefined;
  /** Dedup claims shared with the other nodes of a Wazuh cluster (--shared-state); none: this node decides alone. */
  readonly claims?: DedupClaims | undefined;
  /** Enrichment caches and api_key quotas shared with the other nodes (--shared-state), in front of the local ones. */
  readonly sharedEnrichment?: DeliveryPartsOptions['sharedEnrichment'];
  readonly maxLineBytes?: number | undefined;
  /** Backoff, deadlines, scheduler overrides: for embedding apps and specs. */
  readonly pipeline?: Partial<Pick<BlockPipelineOptions, 'backoff' | 'deadlines' | 'scheduler' | 'onRetry'>>;
  /** The clock of noise control windows: `wall` (default) or `alerts` (their timestamps: replay's default). */
  readonly noiseClock?: NoiseClock | undefined;
  /** The schedule of automatic redrives stamped on dead letters (default 30 s doubling to 1 h, for 24 h). */
  readonly redrive?: RedriveSchedule | undefined;
  /** The file the blocks were read from: startup warns about a name of ours in a file named ossec.conf (as `check` does). */
  readonly configFile?: string | undefined;
}
