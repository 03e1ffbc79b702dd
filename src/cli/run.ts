// `integratord run`: the drop-in daemon — startup checks, follow alerts.json, signals, metrics.

import { DEFAULT_CONNECTIONS } from '../delivery/http.js';
import { EXIT, type Command, type CommandIo } from './command.js';
import { runHelp as help } from './run-help.js';
import { VERSION } from './version.js';
import { LOG_OPTIONS, setUpLogging, type Logging } from './log-options.js';
import { HOME_OPTIONS, parseOptions, positiveNumber } from './parse-options.js';
import { logDiagnostics } from '../config/log-diagnostics.js';
import { durationSeconds } from '../config/duration.js';
import { CursorStore } from '../alerts/cursor-store.js';
import { IntegratordError, errorMessage } from '../errors.js';
import { loadHomeConfig, type HomeConfig } from '../config/load-home-config.js';
import { watchCursorLag } from '../pipeline/cursor-lag.js';
import { AutoRedrive } from '../pipeline/auto-redrive.js';
import { DEFAULT_REDRIVE_SCHEDULE } from '../pipeline/redrive-schedule.js';
import type { IntegrationConfig } from '../config/integration-config.js';
import { DEFAULT_GRACE_MS, Integrator, type StartReport } from '../pipeline/integrator.js';
import { HealthMonitor, type DisabledBlock } from '../telemetry/health.js';
import { forgetRemovedBlocks } from '../telemetry/forget-removed-blocks.js';
import { checkListenAddress, parseListenAddress, readTokenFile, serveTelemetry, type HttpEndpoint } from '../telemetry/http-server.js';
import { log } from '../telemetry/log.js';
import { createMetrics } from '../telemetry/metrics.js';
import { WorkersRegistry } from '../telemetry/workers-registry.js';
import { refuseWorkersWithSharedState, WORKERS_OPTION, workerCount } from './workers-option.js';
import { LiveSilences } from '../silences/live-silences.js';
import { eitherSilences, SharedSilences } from '../shared-state/shared-silences.js';
import { clusterParts, openSharedState, SHARED_STATE_OPTIONS } from './shared-state-options.js';
import { prepareStateDir } from '../state/state-dir.js';
import { acquireStateLock, type StateLock } from '../state/state-lock.js';
import { readSharedState } from '../config/read-shared-state.js';
import { wazuhPaths, type WazuhPaths } from '../wazuh-home.js';

const OPTIONS = {
  ...HOME_OPTIONS,
  ...LOG_OPTIONS,
  ...SHARED_STATE_OPTIONS,
  alerts: { type: 'string' },
  state: { type: 'string' },
  'from-beginning': { type: 'boolean', default: false },
  http: { type: 'string' },
  'http-allow-remote': { type: 'boolean', default: false },
  'http-token-file': { type: 'string' },
  grace: { type: 'string', default: String(DEFAULT_GRACE_MS / 1000) },
  concurrency: { type: 'string', default: '4' },
  ...WORKERS_OPTION,
  'enrichment-out': { type: 'string' },
  'max-line-bytes': { type: 'string' },
  'redrive-base': { type: 'string', default: String(DEFAULT_REDRIVE_SCHEDULE.baseMs / 1000) },
  'redrive-max-age': { type: 'string', default: '24h' },
  'rotate-wait': { type: 'string' },
  'dry-run': { type: 'boolean', default: false },
  'show-secrets': { type: 'boolean', default: false },
} as const;


/** --rotate-wait as milliseconds (seconds or 30s, 5m, …; 0 allowed), undefined for the default; a usage error otherwise. */
const rotateWait = (text: string | undefined): number | undefined => {
  if (text === undefined) return undefined;
  const seconds = durationSeconds(text);
  if (seconds === undefined) throw new IntegratordError('INTEGRATORD_USAGE', `--rotate-wait expects a duration (5, 30s, 2m), got '${text}'`);
  return seconds * 1000;
};

/** The disabled blocks of a start or reload, as /healthz lists them. */
const disabledBlocks = (report: StartReport): DisabledBlock[] =>
  report.disabled.map(({ config, reason }) => ({ block: config.index, integration: config.name, reason }));

const SIGNAL_NUMBERS: Readonly<Record<string, number>> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

/** Resolves once the daemon has stopped; the exit code (1 when a cursor could not be saved). */
const serve = async (
  integrator: Integrator,
  health: HealthMonitor,
  paths: WazuhPaths,
  logging: Logging,
  graceMs: number,
  endpoint: HttpEndpoint | undefined,
  stopLag: () => void,
  dryRun: boolean,
  lock: StateLock | undefined,
  listening: () => void,
  blocks: { configs: readonly IntegrationConfig[] },
  redrive: AutoRedrive | undefined,
): Promise<number> => {
  let reloading = Promise.resolve();
  const reload = () => {
    logging.reopen();
    void integrator.reopenFiles();
    reloading = reloading.then(async () => {
      log.info(`SIGHUP received: reading ${paths.configFiles.join(' and ')} again.`);
      let loaded: HomeConfig;
      try {
        loaded = await loadHomeConfig(paths);
      } catch (error) {
        log.error(`Reload refused, the running configuration stays: ${errorMessage(error)}`);
        return;
      }
      if (!logDiagnostics(loaded.diagnostics)) {
        log.error(`Reload refused: ${loaded.file} has errors (above); the running configuration stays.`);
        return;
      }
      const result = await integrator.reload(loaded.integrations, graceMs);
      blocks.configs = loaded.integrations;
      health.started(integrator.running.length, disabledBlocks(result.started));
      await forgetRemovedBlocks(integrator.metrics.registry, health, loaded.integrations, integrator.running);
      log.info(`Configuration reloaded: ${result.kept} block(s) unchanged, ${result.stopped} stopped, ${result.started.enabled.length} started, ${result.started.disabled.length} disabled.`);
    });
  };
  return new Promise<number>((resolve) => {
    // With every block disabled and no --http nothing else keeps the event loop alive: the daemon
    // must wait for SIGHUP (a fixed configuration) or SIGTERM, not exit with an unsettled promise.
    const keepAlive = setInterval(() => undefined, 2 ** 30);
    const stop = (signal: NodeJS.Signals) => {
      clearInterval(keepAlive);
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      process.off('SIGHUP', reload);
      log.info(`(1225): SIGNAL [(${SIGNAL_NUMBERS[signal] ?? 0})-(${signal})] Received. Exit Cleaning...`);
      void reloading
        .then(() => redrive?.stop(graceMs))
        .then(() => integrator.stop(graceMs))
        .then(async ({ unsaved }) => {
          stopLag();
          await endpoint?.close();
          await lock?.release();
          if (unsaved.length > 0) {
            const which = unsaved.map((u) => `${u.key} at offset ${u.offset} (${u.path}: ${u.error})`).join(', ');
            log.error(`Cursors NOT saved: ${which}. Those blocks resume from their last saved position after a restart (alerts since then are delivered again). Stopped.`);
          } else {
            log.info(dryRun ? 'Stopped (dry run: no cursor was moved).' : 'Cursors saved. Stopped.');
          }
          await logging.close();
          resolve(unsaved.length > 0 ? EXIT.failure : EXIT.ok);
        });
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    process.on('SIGHUP', reload);
    listening();
  });
};

export const run: Command = {
  name: 'run',
  help,
  async run(argv: readonly string[], io: CommandIo) {
    const { values } = parseOptions(argv, OPTIONS);
    if (values['show-secrets'] && !values['dry-run']) throw new IntegratordError('INTEGRATORD_USAGE', '--show-secrets only applies to --dry-run');
    const graceMs = (positiveNumber('grace', values.grace, false) ?? 5) * 1000;
    const concurrency = positiveNumber('concurrency', values.concurrency);
    const workers = workerCount(values.workers);
    const maxLineBytes = positiveNumber('max-line-bytes', values['max-line-bytes']);
    const redriveMaxAge = durationSeconds(values['redrive-max-age']);
    if (redriveMaxAge === undefined) throw new IntegratordError('INTEGRATORD_USAGE', `--redrive-max-age expects a duration (90, 30s, 5m, 2h, 1d), got '${values['redrive-max-age']}'`);
    const schedule = { ...DEFAULT_REDRIVE_SCHEDULE, baseMs: (positiveNumber('redrive-base', values['redrive-base'], false) ?? 30) * 1000, maxAgeMs: redriveMaxAge * 1000 };
    const rotateWaitMs = rotateWait(values['rotate-wait']);
    const address = values.http === undefined ? undefined : parseListenAddress(values.http);
    if (address === undefined && (values['http-allow-remote'] || values['http-token-file'] !== undefined)) {
      throw new IntegratordError('INTEGRATORD_USAGE', '--http-allow-remote and --http-token-file only apply to --http');
    }
    if (address) checkListenAddress(address, values['http-allow-remote']);
    const httpToken = values['http-token-file'] === undefined ? undefined : readTokenFile(values['http-token-file']);
    const logging = setUpLogging(values, io.stderr);
    const paths = wazuhPaths(values.home, { config: values.config, state: values.state });
    const alertsFile = values.alerts ?? paths.alerts;

    const loaded = await loadHomeConfig(paths);
    if (!logDiagnostics(loaded.diagnostics)) {
      log.critical(`(1202): Configuration error at '${loaded.file}'.`);
      await logging.close();
      return EXIT.failure;
    }
    if (loaded.integrations.length === 0) {
      log.info('Remote integrations not configured. Clean exit.');
      await logging.close();
      return EXIT.ok;
    }

    // The state directory is checked (and owned by this daemon) before any block starts.
    let lock: StateLock | undefined;
    try {
      await prepareStateDir(paths.state);
      if (!values['dry-run']) {
        lock = await acquireStateLock(paths.state);
        await CursorStore.removeLeftovers(paths.state);
      }
    } catch (error) {
      log.critical(errorMessage(error));
      await logging.close();
      return EXIT.failure;
    }

    // With delivery workers, /metrics serves this registry plus what every worker counted.
    const metrics = createMetrics(workers > 1 ? new WorkersRegistry() : undefined);
    const health = new HealthMonitor();
    // A Wazuh cluster's shared state: Redis down at start is not an error (local stores until it is back).
    const shared = openSharedState(values, metrics.registry, await readSharedState(paths.configFiles));
    try {
      await refuseWorkersWithSharedState(workers, shared);
    } catch (error) {
      log.critical(errorMessage(error));
      await lock?.release();
      await logging.close();
      return EXIT.usage;
    }
    if (shared !== undefined && !(await shared.ready())) log.warning(`Shared state ${shared.target.shown} not reachable yet: node '${shared.node}' starts on its local stores.`);
    // STATE/silences.json, read before the first alert and again within a second of every change (and the cluster's).
    const local = await LiveSilences.open(paths.state);
    const clusterSilences = shared === undefined ? undefined : await SharedSilences.open(shared);
    const either = eitherSilences(local, clusterSilences);
    const silences = { match: either.match.bind(either), close: () => (local.close(), clusterSilences?.close()) };
    const integrator = new Integrator({
      paths,
      input: { kind: 'follow', alertsFile, withoutCursor: values['from-beginning'] ? 'beginning' : 'end', rotateWaitMs },
      metrics,
      debug: logging.debug,
      concurrency,
      workers,
      // Enough connections per destination for every alert in flight (8 was a ceiling above --concurrency 8).
      connections: Math.max(DEFAULT_CONNECTIONS, concurrency ?? 0),
      enrichmentOut: values['enrichment-out'],
      maxLineBytes,
      silences,
      ...clusterParts(shared),
      redrive: schedule,
      dryRun: values['dry-run'] ? { write: (line) => io.stdout.write(`${line}\n`), showSecrets: values['show-secrets'] } : undefined,
    });
    let endpoint: HttpEndpoint | undefined;
    let following = '';
    try {
      if (address) {
        endpoint = await serveTelemetry(address, metrics.registry, () => (shared === undefined ? health.report() : { ...health.report(), sharedState: shared.report() }), httpToken === undefined ? {} : { token: httpToken });
        log.info(`Metrics on ${endpoint.url}/metrics, health on ${endpoint.url}/healthz.`);
      }
      const started = await integrator.start(loaded.integrations);
      health.started(started.enabled.length, disabledBlocks(started));
      if (started.enabled.length === 0) log.warning('No integration could be enabled; alerts are read but nothing is sent until a reload (SIGHUP) fixes the configuration.');
      following = `Following ${alertsFile} (${started.enabled.length} of ${loaded.integrations.length} integration blocks enabled; state in ${paths.state}; integratord ${VERSION}).`;
    } catch (error) {
      silences.close();
      await integrator.stop(0);
      await shared?.close();
      await endpoint?.close();
      await lock?.release();
      await logging.close();
      throw error;
    }
    const blocks = { configs: loaded.integrations };
    // The daemon holds the state lock: it is the one process that redrives (dlq redrive asks it).
    const redrive = values['dry-run']
      ? undefined
      : new AutoRedrive({ configs: () => blocks.configs, paths, delivery: integrator.deliveryParts, metrics, debug: logging.debug, open: (config) => integrator.redriveBlock(config), tickMs: Math.min(1000, schedule.baseMs), passEveryMs: schedule.baseMs / 2 });
    redrive?.start();
    const stopCursorLag = watchCursorLag(integrator, alertsFile, metrics, health);
    const stopLag = () => {
      stopCursorLag();
      silences.close();
      void shared?.close();
    };
    // "Following" is logged once the signal handlers are in place: a supervisor (or a spec) that
    // sends SIGTERM as soon as it reads the line gets a clean stop, never Node's default exit.
    return serve(integrator, health, paths, logging, graceMs, endpoint, stopLag, values['dry-run'], lock, () => log.info(following), blocks, redrive);
  },
};
