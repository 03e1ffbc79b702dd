// The library entry: an integrator from a configuration and an alert source, as observables of outcomes.

import type { IntegrationConfig } from '../config/integration-config.js';
import { formatDiagnostic } from '../config/diagnostic.js';
import { loadConfigFile, loadConfigText, type LoadedConfig } from '../config/load.js';
import { DEFAULT_CONNECTIONS } from '../delivery/http.js';
import { IntegratordError } from '../errors.js';
import { createDeliveryParts } from '../pipeline/delivery-parts.js';
import { DEFAULT_GRACE_MS, Integrator } from '../pipeline/integrator.js';
import { openBlock, type OpenedBlock } from '../pipeline/open-block.js';
import { prepareStateDir } from '../state/state-dir.js';
import { toLogger, withLogger, type Logger } from '../telemetry/log.js';
import { createMetrics } from '../telemetry/metrics.js';
import { DEFAULT_HOME, wazuhPaths, type WazuhPaths } from '../wazuh-home.js';
import type { EmbeddedIntegrator } from './embedded-integrator.js';
import { checkIntegratorOptions, type CreateIntegratorOptions } from './integrator-options.js';
import { PushIntegrator } from './push-integrator.js';
import { defaultHighWaterMark } from './push-stop.js';

export type { CreateIntegratorOptions } from './integrator-options.js';
export type { EmbeddedIntegrator } from './embedded-integrator.js';

type Disabled = EmbeddedIntegrator['disabled'];

/** With `strict` (the default): a configuration that would send every alert nowhere is an error, not a log line. */
const noBlockEnabled = (disabled: Disabled) =>
  new IntegratordError(
    'INTEGRATORD_CONFIG',
    `no <integration> block is enabled (pass strict: false to run anyway): ${disabled.map((d) => `block ${d.block} (${d.integration}): ${d.reason}`).join('; ') || 'the configuration has none'}`,
  );

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
const fromPushedAlerts = async (blocks: readonly IntegrationConfig[], options: CreateIntegratorOptions, paths: WazuhPaths, logger: Logger | undefined): Promise<EmbeddedIntegrator> => {
  const metrics = options.metrics ?? createMetrics();
  const parts = createDeliveryParts({ paths, metrics, queue: options.queue, enrichmentOut: options.enrichmentOut, connections: connectionsOf(options) });
  const disabled: { block: number; integration: string; reason: string }[] = [];
  const opened: Extract<OpenedBlock, { enabled: true }>[] = [];
  for (const config of blocks) {
    const block = openBlock(config, { ...parts, paths, concurrency: options.concurrency, pipeline: { onRetry: options.onRetry } });
    if (block.enabled) opened.push(block);
    else disabled.push({ block: config.index, integration: config.name, reason: block.reason });
  }
  if (opened.length === 0 && options.strict !== false) {
    await parts.close();
    throw noBlockEnabled(disabled);
  }
  const { maxWaiting, sourceBuffer, stallMs } = options;
  const highWaterMark = options.highWaterMark ?? defaultHighWaterMark(options.concurrency);
  const pushed = new PushIntegrator({ blocks: opened, parts, highWaterMark, maxWaiting, sourceBuffer, stallMs, alerts$: options.alerts$, logger });
  const stop = (how?: Parameters<EmbeddedIntegrator['stop']>[0]) => pushed.stop(typeof how === 'number' ? { graceMs: how } : how);
  return {
    outcomes$: pushed.outcomes$,
    metrics,
    disabled,
    get held() {
      return pushed.held;
    },
    get waiting() {
      return pushed.waiting;
    },
    send: (alert, how) => pushed.send(alert, how),
    submit: (alert, how) => pushed.submit(alert, how),
    whenReady: () => pushed.whenReady(),
    writable: () => pushed.writable(),
    done: () => pushed.done(),
    stop,
    [Symbol.asyncDispose]: async () => {
      await stop();
    },
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
    ...(options.onRetry === undefined ? {} : { pipeline: { onRetry: options.onRetry } }),
  });
  const started = await integrator.start(blocks);
  const disabled = started.disabled.map((d) => ({ block: d.config.index, integration: d.config.name, reason: d.reason }));
  if (disabled.length === blocks.length && options.strict !== false) {
    await withLogger(logger, () => integrator.stop(0));
    throw noBlockEnabled(disabled);
  }
  const stop: EmbeddedIntegrator['stop'] = async (how) => {
    // Lane counts are live objects: read them once every delivery of the grace period settled.
    const counts = integrator.counts().map((c) => c.counts);
    const stopOptions = typeof how === 'number' ? { graceMs: how } : (how ?? {});
    await withLogger(logger, () => integrator.stop(stopOptions.graceMs ?? DEFAULT_GRACE_MS));
    const sum = (key: keyof (typeof counts)[number]) => counts.reduce((total, c) => total + c[key], 0);
    return { delivered: sum('delivered'), skipped: sum('skipped') + sum('prefiltered'), deadLettered: sum('deadLettered'), rejected: sum('rejected'), stopped: 0, overflowed: 0 };
  };
  return {
    outcomes$: integrator.outcomes$,
    metrics: integrator.metrics,
    disabled,
    held: 0,
    waiting: 0,
    send: () => Promise.reject(notPushed()),
    submit: () => {
      const [accepted, settled] = [Promise.reject(notPushed()), Promise.reject(notPushed())];
      for (const refused of [accepted, settled]) refused.catch(() => undefined);
      return { accepted, settled };
    },
    whenReady: () => Promise.reject(notPushed()),
    writable: () => {
      throw notPushed();
    },
    done: () => integrator.done(),
    stop,
    [Symbol.asyncDispose]: async () => {
      await stop();
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
    checkIntegratorOptions(options);
    const blocks = await loadBlocks(options);
    const paths = wazuhPaths(options.home ?? DEFAULT_HOME, { state: options.state });
    // A read-only or unsafe state directory fails here, not at the first dead letter (with send() waiting on its retries).
    await prepareStateDir(paths.state);
    if (options.alertsFile !== undefined) return fromAlertsFileInput(blocks, options, paths, options.alertsFile, logger);
    return fromPushedAlerts(blocks, options, paths, logger);
  });
};
