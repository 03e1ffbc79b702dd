// The public library API: embed integratord's pipeline in a Node app.

/** An integrator for an app: `send`/`writable` with backpressure, `alerts$`, or a followed `alertsFile`; see createIntegrator. */
export { createIntegrator, type CreateIntegratorOptions, type EmbeddedIntegrator } from './library/create-integrator.js';
/** The parts of CreateIntegratorOptions: common options, the configuration, the alert source (a union: one at most). */
export type { CommonIntegratorOptions, IntegratorAlertSource, IntegratorConfigSource } from './library/integrator-options.js';
/** What `send()`/`submit()` take (`signal`) and what `submit()` answers (`accepted`, `settled`). */
export type { SendOptions, Submitted } from './library/embedded-integrator.js';
/** What `stop()` takes (`graceMs`, `signal`) and resolves with (counts per kind); push-mode limits and their defaults; dead-letter reasons of our own. */
export {
  DEFAULT_HIGH_WATER_MARK,
  defaultHighWaterMark,
  DEFAULT_SOURCE_BUFFER,
  DEFAULT_STALL_MS,
  DEFAULT_WAITING_PER_MARK,
  OVERFLOW_REASON,
  STOPPED_REASON,
  type PushLimits,
  type StopCounts,
  type StopOptions,
} from './library/push-stop.js';
/** Dead letters from an app: list them, redrive them through the current blocks (as `integratord dlq`). */
export { listDeadLetters, redriveDeadLetters, type DeadLetterPlace, type DeadLetterRecord, type RedriveOptions, type RedriveResult } from './library/dead-letters.js';
/** RxJS operators for an app's own pipeline: follow a file, keep what a block takes, deliver through a block. */
export { deliver, fromAlertsFile, matchBlock, type DeliverOptions } from './library/operators.js';
/** A followed file's alerts as lines the app commits (bounded by a high-water mark), with the cursor to resume from. */
export { DEFAULT_LINES_HIGH_WATER_MARK, fromAlertLines, type AlertLine, type AlertLinesOptions } from './library/alert-lines.js';
/** A position in a followed file (for `fromAlertLines`' startAt and commit()), and how a file is followed. */
export type { CursorPosition } from './alerts/cursor-store.js';
export type { FollowOptions } from './alerts/follow-options.js';
/** Reads ossec.conf (a file or its text) into validated blocks, or located diagnostics. */
export { loadConfigFile, loadConfigText, type LoadedConfig } from './config/load.js';
/** One decoded `<integration>` block. */
export type { IntegrationConfig } from './config/integration-config.js';
/** A located configuration error or warning. */
export type { Diagnostic } from './config/diagnostic.js';
/** A diagnostic as one `file:line:column: error: …` line. */
export { formatDiagnostic } from './config/diagnostic.js';
/** A configuration secret (api_key, hook_url): never printed, `reveal()` to use it. */
export { Secret } from './config/secret.js';
/** An alert as analysisd writes it (any JSON object; interfaces are accepted by the operators). */
export type { Alert } from './alerts/alert.js';
/** The daemon's engine (followed file or replay, per-block cursors) and its outcome type. */
export { Integrator } from './pipeline/integrator.js';
export type { IntegratorOptions } from './pipeline/integrator-options.js';
/** What happened to one alert in one block (delivered, skipped, dead-lettered, rejected), and with its block. */
export type { BlockOutcome, Outcome } from './pipeline/outcome.js';
/** What `onRetry` (createIntegrator, deliver) is told each time a delivery is retried. */
export type { RetryEvent, RetryListener } from './pipeline/retry-event.js';
/** The parts every block shares (HTTP pools, scripts, write-back, dead letters); close them when done. */
export { createDeliveryParts, type DeliveryParts } from './pipeline/delivery-parts.js';
/** Prometheus metrics of one integrator. */
export { createMetrics, type Metrics } from './telemetry/metrics.js';
/** The process-wide logger (`configureLog`) and independent loggers (`createLogger`). */
export { configureLog, createLogger, type Logger, type LogOptions } from './telemetry/log.js';
/** Where Wazuh's files are under a home directory (integrations/, the queue socket, state). */
export { wazuhPaths, type WazuhPaths } from './wazuh-home.js';
/** The project's error, with a stable `code` to check. */
export { IntegratordError, type ErrorCode } from './errors.js';
