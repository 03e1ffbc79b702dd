// The parts every block of one integrator shares: HTTP client, script runner, write-back, pauses, dead letters, enrichment stores.

import { EnrichmentCacheFile } from '../integrations/enrichment-cache-file.js';
import { createLocalEnrichmentStores, type EnrichmentStores, type LocalEnrichmentStores } from '../integrations/enrichment-stores.js';
import { DeadLetterStore } from '../delivery/dead-letter.js';
import { DestinationPauses } from '../delivery/destination-pauses.js';
import { HttpClient, type HttpSender } from '../delivery/http.js';
import { lazyQueueWriter } from '../delivery/open-queue-writer.js';
import type { QueueWriter } from '../delivery/queue-writer.js';
import { scriptRunner, type ScriptRunner } from '../delivery/run-script.js';
import { SmtpClient, type SmtpSender } from '../delivery/smtp.js';
import { createMetrics, type Metrics } from '../telemetry/metrics.js';
import type { WazuhPaths } from '../wazuh-home.js';
import { DEFAULT_REDRIVE_SCHEDULE, scheduleRecord, type RedriveSchedule } from './redrive-schedule.js';

export interface DeliveryParts {
  readonly http: HttpSender;
  readonly scripts: ScriptRunner;
  readonly queue: QueueWriter;
  /** The e-mail sender of the email blocks. */
  readonly smtp: SmtpSender;
  readonly pauses: DestinationPauses;
  readonly deadLetters: DeadLetterStore;
  readonly metrics: Metrics;
  /** The enrichment caches and api_key quotas every block of the integrator shares (each enrichment block keeps its own when absent). */
  readonly enrichment?: EnrichmentStores | undefined;
  /** Resolves once the persisted enrichment caches are read (before the blocks open). */
  readonly ready?: Promise<void>;
  /** Closes what the parts opened (connection pools, the queue writer). */
  close(): Promise<void>;
}

export interface DeliveryPartsOptions {
  readonly paths: WazuhPaths;
  readonly metrics?: Metrics | undefined;
  /** Where enrichment events go instead of the queue socket (--enrichment-out FILE). */
  readonly enrichmentOut?: string | undefined;
  /** A writer of the embedding app; not closed by `close()`. */
  readonly queue?: QueueWriter | undefined;
  /** HTTP connections per destination origin, shared by every block (default DEFAULT_CONNECTIONS, 8). */
  readonly connections?: number | undefined;
  /** The schedule stamped on every dead letter written (default DEFAULT_REDRIVE_SCHEDULE: 30 s doubling to 1 h, for 24 h). */
  readonly redrive?: RedriveSchedule | undefined;
  /** Keep the enrichment caches in STATE (enrichment-cache-file.ts): the daemon on alerts.json. Not with `enrichment`. */
  readonly persistEnrichment?: boolean | undefined;
  /** Enrichment stores of the caller's (a shared store for a cluster): used as they are, nothing persisted here. */
  readonly enrichment?: EnrichmentStores | undefined;
  /** The Retry-After pauses (default a new registry): delivery workers share theirs with the main thread's. */
  readonly pauses?: DestinationPauses | undefined;
  /** Stores shared with the other nodes of a Wazuh cluster, in front of the local ones (--shared-state). */
  readonly sharedEnrichment?: ((local: LocalEnrichmentStores) => EnrichmentStores & { close(): void }) | undefined;
}

/** One set per integrator (daemon, replay, redrive): one connection pool per origin for every block. */
export const createDeliveryParts = (options: DeliveryPartsOptions): DeliveryParts => {
  const http = new HttpClient(options.connections === undefined ? {} : { connections: options.connections });
  const smtp = new SmtpClient();
  const ownQueue = options.queue === undefined;
  const queue = options.queue ?? lazyQueueWriter({ socketPath: options.paths.queueSocket, enrichmentOut: options.enrichmentOut });
  const local = options.enrichment === undefined ? createLocalEnrichmentStores() : undefined;
  const cacheFile = options.persistEnrichment === true && local !== undefined ? new EnrichmentCacheFile(options.paths.state, local) : undefined;
  const shared = local === undefined ? undefined : options.sharedEnrichment?.(local);
  return {
    http,
    scripts: scriptRunner(options.paths.home),
    queue,
    smtp,
    pauses: options.pauses ?? new DestinationPauses(),
    deadLetters: new DeadLetterStore(options.paths.state, { stamp: (record) => scheduleRecord(record, options.redrive ?? DEFAULT_REDRIVE_SCHEDULE) }),
    metrics: options.metrics ?? createMetrics(),
    enrichment: options.enrichment ?? shared ?? local!,
    ready: cacheFile?.load() ?? Promise.resolve(),
    close: async () => {
      shared?.close();
      await Promise.all([http.close(), smtp.close(), ownQueue ? queue.close() : Promise.resolve(), cacheFile?.close()]);
    },
  };
};
