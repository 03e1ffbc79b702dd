// The library entry: an integrator from a configuration and an alert source, as observables of outcomes.

import { connectable, filter, map, merge, Subject, type Observable } from 'rxjs';
import { isAlert } from '../alerts/alert.js';
import type { IntegrationConfig } from '../config/integration-config.js';
import { formatDiagnostic } from '../config/diagnostic.js';
import { loadConfigFile, loadConfigText, type LoadedConfig } from '../config/load.js';
import type { QueueWriter } from '../delivery/queue-writer.js';
import { IntegratordError } from '../errors.js';
import { createDeliveryParts } from '../pipeline/delivery-parts.js';
import { DEFAULT_GRACE_MS, Integrator, type BlockOutcome } from '../pipeline/integrator.js';
import { openBlock } from '../pipeline/open-block.js';
import type { Envelope, Outcome } from '../pipeline/outcome.js';
import { createMetrics, type Metrics } from '../telemetry/metrics.js';
import { DEFAULT_HOME, wazuhPaths, type WazuhPaths } from '../wazuh-home.js';

export interface CreateIntegratorOptions {
  /** ossec.conf text, or decoded blocks. One of `config` and `configFile` is required. */
  readonly config?: string | readonly IntegrationConfig[];
  readonly configFile?: string;
  /** Alerts pushed by the app (objects as analysisd writes them). One of `alerts$` and `alertsFile`. */
  readonly alerts$?: Observable<unknown>;
  /** An alerts.json to follow, with a durable cursor per block in `state`. */
  readonly alertsFile?: string;
  /** Cursors, dead letters and rejected lines (default HOME/var/integratord). */
  readonly state?: string;
  /** Wazuh home: integrations/ for custom scripts, queue/sockets/queue for write-backs (default /var/ossec). */
  readonly home?: string;
  /** With `alertsFile`: blocks without a cursor start at the beginning instead of the end. */
  readonly fromBeginning?: boolean;
  /** Where VirusTotal/Maltiverse events go (default: the queue socket, or `enrichmentOut`). */
  readonly queue?: QueueWriter;
  /** A JSON Lines file for enrichment events, where no Wazuh runs. */
  readonly enrichmentOut?: string;
  /** Alerts one block delivers at once (default 4). */
  readonly concurrency?: number;
  readonly metrics?: Metrics;
}

export interface EmbeddedIntegrator {
  /** Every outcome (delivered, skipped, dead-lettered, rejected) with its block. Subscribe before alerts flow. */
  readonly outcomes$: Observable<BlockOutcome>;
  readonly metrics: Metrics;
  /** Blocks that failed Wazuh's startup checks, with the reason. */
  readonly disabled: readonly { readonly block: number; readonly integration: string; readonly reason: string }[];
  /** Resolves when the source ended and every delivery settled (a followed file only ends with `stop`). */
  done(): Promise<void>;
  /** Stops reading, lets deliveries finish within `graceMs`, saves cursors, closes connections. */
  stop(graceMs?: number): Promise<void>;
}

const loadBlocks = async (options: CreateIntegratorOptions): Promise<readonly IntegrationConfig[]> => {
  if (Array.isArray(options.config)) return options.config;
  let loaded: LoadedConfig;
  if (typeof options.config === 'string') loaded = loadConfigText(options.config);
  else if (options.configFile !== undefined) loaded = await loadConfigFile(options.configFile);
  else throw new IntegratordError('INTEGRATORD_USAGE', 'createIntegrator needs `config` or `configFile`');
  if (!loaded.ok) throw new IntegratordError('INTEGRATORD_CONFIG', loaded.diagnostics.map(formatDiagnostic).join('\n'));
  return loaded.integrations;
};

/** Alerts pushed by the app: every enabled block delivers the shared stream. No cursor: the app owns the source. */
const fromPushedAlerts = (blocks: readonly IntegrationConfig[], options: CreateIntegratorOptions, paths: WazuhPaths, alerts$: Observable<unknown>): EmbeddedIntegrator => {
  const metrics = options.metrics ?? createMetrics();
  const parts = createDeliveryParts({ paths, metrics, queue: options.queue, enrichmentOut: options.enrichmentOut });
  const disabled: { block: number; integration: string; reason: string }[] = [];
  // Every block subscribes before the first alert flows (a synchronous source would otherwise
  // give everything to the first block only).
  const shared = connectable(alerts$.pipe(map((alert, seq) => ({ alert, seq }))), { connector: () => new Subject(), resetOnDisconnect: false });
  const streams: Observable<BlockOutcome>[] = [];
  for (const config of blocks) {
    const opened = openBlock(config, { ...parts, paths, concurrency: options.concurrency });
    if (!opened.enabled) {
      disabled.push({ block: config.index, integration: config.name, reason: opened.reason });
      continue;
    }
    const tag = (o: Outcome): BlockOutcome => ({ ...o, block: config.index, integration: config.name });
    const alerts = shared.pipe(filter((e): e is Envelope => isAlert(e.alert)), opened.deliver, map(tag));
    const rejected = shared.pipe(
      filter((e) => !isAlert(e.alert)),
      map((e) => tag({ kind: 'rejected', seq: e.seq, reason: 'not-an-object' })),
    );
    streams.push(merge(alerts, rejected));
  }
  const outcomes = new Subject<BlockOutcome>();
  let finished: () => void = () => undefined;
  const completed = new Promise<void>((resolve) => (finished = resolve));
  const subscription = merge(...streams).subscribe({
    next: (o) => outcomes.next(o),
    error: (e: unknown) => {
      outcomes.error(e);
      finished();
    },
    complete: () => {
      outcomes.complete();
      finished();
    },
  });
  // Connect on the next turn, so that the caller can subscribe to outcomes$ first.
  setImmediate(() => subscription.add(shared.connect()));
  return {
    outcomes$: outcomes.asObservable(),
    metrics,
    disabled,
    done: () => completed,
    stop: async (graceMs = DEFAULT_GRACE_MS) => {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([completed, new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
      clearTimeout(timer);
      subscription.unsubscribe();
      outcomes.complete();
      await parts.close();
      finished();
    },
  };
};

/** A followed alerts file: the daemon's Integrator (per-block cursors in `state`). */
const fromAlertsFileInput = async (blocks: readonly IntegrationConfig[], options: CreateIntegratorOptions, paths: WazuhPaths, alertsFile: string): Promise<EmbeddedIntegrator> => {
  const integrator = new Integrator({
    paths,
    input: { kind: 'follow', alertsFile, withoutCursor: options.fromBeginning ? 'beginning' : 'end' },
    ...(options.metrics ? { metrics: options.metrics } : {}),
    ...(options.queue ? { queue: options.queue } : {}),
    enrichmentOut: options.enrichmentOut,
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
  });
  const started = await integrator.start(blocks);
  return {
    outcomes$: integrator.outcomes$,
    metrics: integrator.metrics,
    disabled: started.disabled.map((d) => ({ block: d.config.index, integration: d.config.name, reason: d.reason })),
    done: () => integrator.done(),
    stop: async (graceMs) => {
      await integrator.stop(graceMs);
    },
  };
};

/**
 * Builds an integrator for an app: `config` (ossec.conf text or blocks) or `configFile`, and
 * `alerts$` (alerts the app pushes) or `alertsFile` (a file followed through rotation, with a
 * durable cursor per block). Blocks run Wazuh's startup checks; the disabled ones are listed.
 * Rejects with an IntegratordError when the configuration is invalid or the options incomplete.
 */
export const createIntegrator = async (options: CreateIntegratorOptions): Promise<EmbeddedIntegrator> => {
  const blocks = await loadBlocks(options);
  const paths = wazuhPaths(options.home ?? DEFAULT_HOME, { state: options.state });
  if (options.alerts$ !== undefined) return fromPushedAlerts(blocks, options, paths, options.alerts$);
  if (options.alertsFile !== undefined) return fromAlertsFileInput(blocks, options, paths, options.alertsFile);
  throw new IntegratordError('INTEGRATORD_USAGE', 'createIntegrator needs `alerts$` or `alertsFile`');
};
