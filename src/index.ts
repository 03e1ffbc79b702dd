// The public library API: embed integratord's pipeline in a Node app.

export { createIntegrator, type CreateIntegratorOptions, type EmbeddedIntegrator } from './library/create-integrator.js';
export { deliver, fromAlertsFile, matchBlock } from './library/operators.js';
export { loadConfigFile, loadConfigText, type LoadedConfig } from './config/load.js';
export type { IntegrationConfig } from './config/integration-config.js';
export type { Diagnostic } from './config/diagnostic.js';
export { formatDiagnostic } from './config/diagnostic.js';
export { Secret } from './config/secret.js';
export type { Alert } from './alerts/alert.js';
export { Integrator, type BlockOutcome, type IntegratorOptions } from './pipeline/integrator.js';
export type { Outcome } from './pipeline/outcome.js';
export { createDeliveryParts, type DeliveryParts } from './pipeline/delivery-parts.js';
export { createMetrics, type Metrics } from './telemetry/metrics.js';
export { configureLog, createLogger, type Logger, type LogOptions } from './telemetry/log.js';
export { wazuhPaths, type WazuhPaths } from './wazuh-home.js';
export { IntegratordError, type ErrorCode } from './errors.js';
