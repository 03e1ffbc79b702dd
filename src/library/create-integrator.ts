// The library entry: an integrator from a configuration and an alert source, as observables of outcomes.

import type { Writable } from 'node:stream';
import type { Observable, Subscribable } from 'rxjs';
import type { IntegrationConfig } from '../config/integration-config.js';
import { formatDiagnostic } from '../config/diagnostic.js';
import { loadConfigFile, loadConfigText, type LoadedConfig } from '../config/load.js';
import { DEFAULT_CONNECTIONS } from '../delivery/http.js';
import type { QueueWriter } from '../delivery/queue-writer.js';
import { IntegratordError } from '../errors.js';
import { createDeliveryParts } from '../pipeline/delivery-parts.js';
import { DEFAULT_GRACE_MS, Integrator } from '../pipeline/integrator.js';
import type { BlockOutcome } from '../pipeline/outcome.js';
import { openBlock, type OpenedBlock } from '../pipeline/open-block.js';
import { toLogger, withLogger, type Logger, type LogOptions } from '../telemetry/log.js';
import { createMetrics, type Metrics } from '../telemetry/metrics.js';
import { DEFAULT_HOME, wazuhPaths, type WazuhPaths } from '../wazuh-home.js';
import { PushIntegrator } from './push-integrator.js';
import type { StopCounts, StopOptions } from './push-stop.js';

export interface CreateIntegratorOptions {
  /** ossec.conf text, or decoded blocks. One of `config` and `configFile` is required. */
  readonly config?: string | readonly IntegrationConfig[];
  readonly configFile?: string;
  /**
   * Alerts pushed by an observable the app controls (objects as analysisd writes them). Bounded by
   * `highWaterMark`: a value arriving while that many alerts are unsettled ends the subscription
   * (overflow, INTEGRATORD_USAGE): `done()` rejects with it; the alerts accepted before still get
   * their outcomes. Without `alerts$` and `alertsFile`, alerts come only through `send` and `writable`.
   * Any Subscribable (`subscribe(observer)`): an Observable of another rxjs copy or version works.
   */
  readonly alerts$?: Subscribable<unknown>;
  /** Unsettled alerts held at most (send, writable, alerts$); default 1,000. */
  readonly highWaterMark?: number;
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
  /** HTTP connections per destination origin, shared by every block (default max(8, concurrency)). */
  readonly connections?: number;
  readonly metrics?: Metrics;
  /**
   * This integrator's own log lines (startup checks, retries, dead letters…): a Logger, or LogOptions
   * (`debug`, `format`, `destination: { write(line) }`). Default: the process-wide logger (configureLog).
   * Other integrators and the process-wide logger are not affected.
   */
  readonly logger?: Logger | LogOptions;
}

export interface EmbeddedIntegrator {
  /**
   * Every outcome (delivered, skipped, dead-lettered, rejected) with its block. Hot: it replays
   * nothing, except that outcomes of the turn the integrator was created in wait for the next turn
   * (subscribe right after `await createIntegrator(...)`). Completes at the end; never errors.
   */
  readonly outcomes$: Observable<BlockOutcome>;
  /**
   * Hands one alert to every enabled block; resolves with its outcome in each block once all are
   * final (delivered, skipped with the reason, dead-lettered). Waits for room first when
   * `highWaterMark` alerts are unsettled. Rejects (INTEGRATORD_USAGE) once `stop()` was called,
   * and with an `alertsFile`.
   */
  send(alert: unknown): Promise<readonly BlockOutcome[]>;
  /**
   * An object-mode Writable (highWaterMark as above): a write completes when the alert is accepted,
   * so `write()` returns false and `drain` follows when the integrator is full; `end()` finishes
   * once every written alert settled. For `stream.pipeline`. Throws with an `alertsFile`.
   */
  writable(): Writable;
  /** Alerts accepted and not yet final in every block (at most `highWaterMark`; 0 with an `alertsFile`). */
  readonly held: number;
  readonly metrics: Metrics;
  /** Blocks that failed Wazuh's startup checks, with the reason. */
  readonly disabled: readonly { readonly block: number; readonly integration: string; readonly reason: string }[];
  /**
   * Resolves when the source ended (alerts$ completed, or `stop()`) and every delivery settled;
   * rejects with the source's error when `alerts$` errored (or overflowed). A followed file only ends with `stop`.
   */
  done(): Promise<void>;
  /**
   * Stops accepting (later sends reject), lets deliveries finish within `graceMs` (default 5 s; an
   * aborted `signal` cuts it short), then dead-letters every alert still unsettled with reason
   * `stopped` (`dlq redrive` sends them later) and closes connections; at once when nothing is in
   * flight. Resolves with the counts. A followed file keeps its cursors instead (unsettled lines
   * are read again). Idempotent.
   */
  stop(options?: StopOptions | number): Promise<StopCounts>;
}

const notPushed = () => new IntegratordError('INTEGRATORD_USAGE', 'send() and writable() are for integrators without `alertsFile` (the file is their source)');

/** Enough connections per destination for every delivery a block runs at once. */
const connectionsOf = (options: CreateIntegratorOptions): number => options.connections ?? Math.max(DEFAULT_CONNECTIONS, options.concurrency ?? 0);

const loadBlocks = async (options: CreateIntegratorOptions): Promise<readonly IntegrationConfig[]> => {
  if (Array.isArray(options.config)) return options.config;
  let loaded: LoadedConfig;
  if (typeof options.config === 'string') loaded = loadConfigText(options.config);
  else if (options.configFile !== undefined) loaded = await loadConfigFile(options.configFile);
  else throw new IntegratordError('INTEGRATORD_USAGE', 'createIntegrator needs `config` or `configFile`');
  if (!loaded.ok) throw new IntegratordError('INTEGRATORD_CONFIG', loaded.diagnostics.map(formatDiagnostic).join('\n'));
  return loaded.integrations;
};

/** Alerts pushed by the app (send, writable, alerts$): every enabled block delivers each one. No cursor: the app owns the source. */
const fromPushedAlerts = (blocks: readonly IntegrationConfig[], options: CreateIntegratorOptions, paths: WazuhPaths, logger: Logger | undefined): EmbeddedIntegrator => {
  const metrics = options.metrics ?? createMetrics();
  const parts = createDeliveryParts({ paths, metrics, queue: options.queue, enrichmentOut: options.enrichmentOut, connections: connectionsOf(options) });
  const disabled: { block: number; integration: string; reason: string }[] = [];
  const opened: Extract<OpenedBlock, { enabled: true }>[] = [];
  for (const config of blocks) {
    const block = openBlock(config, { ...parts, paths, concurrency: options.concurrency });
    if (block.enabled) opened.push(block);
    else disabled.push({ block: config.index, integration: config.name, reason: block.reason });
  }
  const pushed = new PushIntegrator({ blocks: opened, parts, highWaterMark: options.highWaterMark, alerts$: options.alerts$, logger });
  return {
    outcomes$: pushed.outcomes$,
    metrics,
    disabled,
    get held() {
      return pushed.held;
    },
    send: (alert) => pushed.send(alert),
    writable: () => pushed.writable(),
    done: () => pushed.done(),
    stop: (stop) => pushed.stop(typeof stop === 'number' ? { graceMs: stop } : stop),
  };
};

/** A followed alerts file: the daemon's Integrator (per-block cursors in `state`). */
const fromAlertsFileInput = async (blocks: readonly IntegrationConfig[], options: CreateIntegratorOptions, paths: WazuhPaths, alertsFile: string, logger: Logger | undefined): Promise<EmbeddedIntegrator> => {
  const integrator = new Integrator({
    paths,
    input: { kind: 'follow', alertsFile, withoutCursor: options.fromBeginning ? 'beginning' : 'end' },
    ...(options.metrics ? { metrics: options.metrics } : {}),
    ...(options.queue ? { queue: options.queue } : {}),
    enrichmentOut: options.enrichmentOut,
    connections: connectionsOf(options),
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
  });
  const started = await integrator.start(blocks);
  return {
    outcomes$: integrator.outcomes$,
    metrics: integrator.metrics,
    disabled: started.disabled.map((d) => ({ block: d.config.index, integration: d.config.name, reason: d.reason })),
    held: 0,
    send: () => Promise.reject(notPushed()),
    writable: () => {
      throw notPushed();
    },
    done: () => integrator.done(),
    stop: async (stop) => {
      // Lane counts are live objects: read them once every delivery of the grace period settled.
      const counts = integrator.counts().map((c) => c.counts);
      const options = typeof stop === 'number' ? { graceMs: stop } : (stop ?? {});
      await withLogger(logger, () => integrator.stop(options.graceMs ?? DEFAULT_GRACE_MS));
      const sum = (key: keyof (typeof counts)[number]) => counts.reduce((total, c) => total + c[key], 0);
      return { delivered: sum('delivered'), skipped: sum('skipped') + sum('prefiltered'), deadLettered: sum('deadLettered'), rejected: sum('rejected'), stopped: 0 };
    },
  };
};

/**
 * Builds an integrator for an app: `config` (ossec.conf text or blocks) or `configFile`, and
 * alerts through `send`/`writable` (with backpressure), `alerts$` (an observable the app
 * controls), or `alertsFile` (a file followed through rotation, with a durable cursor per block). Blocks run Wazuh's startup checks; the disabled ones are listed.
 * Rejects with an IntegratordError when the configuration is invalid or the options incomplete.
 */
export const createIntegrator = async (options: CreateIntegratorOptions): Promise<EmbeddedIntegrator> => {
  const logger = options.logger === undefined ? undefined : toLogger(options.logger);
  // Everything started here (blocks, the follower, timers) keeps writing to `logger`; send/stop enter it again.
  return withLogger(logger, async () => {
    const blocks = await loadBlocks(options);
    const paths = wazuhPaths(options.home ?? DEFAULT_HOME, { state: options.state });
    if (options.alertsFile !== undefined) {
      if (options.alerts$ !== undefined) throw new IntegratordError('INTEGRATORD_USAGE', 'createIntegrator takes `alerts$` or `alertsFile`, not both');
      return fromAlertsFileInput(blocks, options, paths, options.alertsFile, logger);
    }
    return fromPushedAlerts(blocks, options, paths, logger);
  });
};
