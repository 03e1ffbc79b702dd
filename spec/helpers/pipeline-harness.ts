// Wires one block pipeline to real parts (HTTP client, script runner, dead-letter files) for specs.

import { from, lastValueFrom, toArray } from 'rxjs';
import type { Alert } from '../../src/alerts/alert.js';
import type { IntegrationConfig } from '../../src/config/integration-config.js';
import { DeadLetterStore, type DeadLetterSink } from '../../src/delivery/dead-letter.js';
import { DestinationPauses } from '../../src/delivery/destination-pauses.js';
import { HttpClient, type HttpSender } from '../../src/delivery/http.js';
import type { QueueWriter } from '../../src/delivery/queue-writer.js';
import { scriptRunner } from '../../src/delivery/run-script.js';
import type { BlockIntegration } from '../../src/integrations/definition.js';
import type { Verdict } from '../../src/delivery/step.js';
import { blockPipeline, type BlockPipelineOptions } from '../../src/pipeline/block-pipeline.js';
import type { Outcome } from '../../src/pipeline/outcome.js';
import { createMetrics, type Metrics } from '../../src/telemetry/metrics.js';
import { tempDir, type TempDir } from './temp-dir.js';

/**
 * An in-memory QueueWriter that records messages: the real socket writer lives with the
 * enrichment integrations; here only the pipeline's handling of queue steps is under test.
 */
export const recordingQueue = (verdict: Verdict = { kind: 'delivered' }): QueueWriter & { messages: string[] } => {
  const messages: string[] = [];
  return {
    messages,
    send: async (message) => {
      messages.push(message);
      return verdict;
    },
    close: async () => undefined,
  };
};

export interface Harness {
  readonly home: TempDir;
  readonly http: HttpClient;
  readonly metrics: Metrics;
  readonly deadLetters: DeadLetterStore;
  readonly pauses: DestinationPauses;
  readonly queue: ReturnType<typeof recordingQueue>;
  /** The block's options with real parts; `extra` overrides any. */
  options(config: IntegrationConfig, integration: BlockIntegration, extra?: Partial<BlockPipelineOptions>): BlockPipelineOptions;
  /** Runs alerts (seq = index) through one block and collects every outcome. */
  run(config: IntegrationConfig, integration: BlockIntegration, alerts: readonly Alert[], extra?: Partial<BlockPipelineOptions>): Promise<Outcome[]>;
  close(): Promise<void>;
}

/** Fast retries for specs: backoff of at most a few ms. */
export const FAST_BACKOFF = { baseMs: 2, capMs: 10 } as const;

export const harness = async (): Promise<Harness> => {
  const home = await tempDir();
  const http = new HttpClient();
  const metrics = createMetrics();
  const deadLetters = new DeadLetterStore(`${home.path}/state`);
  const pauses = new DestinationPauses();
  const queue = recordingQueue();
  const options = (config: IntegrationConfig, integration: BlockIntegration, extra: Partial<BlockPipelineOptions> = {}): BlockPipelineOptions => ({
    config,
    integration,
    http: http as HttpSender,
    scripts: scriptRunner(home.path),
    queue,
    deadLetters: deadLetters as DeadLetterSink,
    pauses,
    metrics,
    backoff: FAST_BACKOFF,
    ...extra,
  });
  return {
    home,
    http,
    metrics,
    deadLetters,
    pauses,
    queue,
    options,
    run: (config, integration, alerts, extra) =>
      lastValueFrom(from(alerts.map((alert, seq) => ({ alert, seq }))).pipe(blockPipeline(options(config, integration, extra)), toArray())),
    close: async () => {
      await http.close();
      await home.remove();
    },
  };
};

/** The value of a counter or gauge for some labels (0 when never touched). */
export const metricValue = async (metric: { get(): Promise<{ values: { labels: object; value: number }[] }> }, labels: Record<string, string>): Promise<number> => {
  const { values } = await metric.get();
  const hit = values.find((v) => Object.entries(labels).every(([k, x]) => (v.labels as Record<string, unknown>)[k] === x));
  return hit?.value ?? 0;
};
