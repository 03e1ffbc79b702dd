// IntegrationConfig values for specs: Wazuh's defaults plus the fields a spec sets.

import type { IntegrationConfig } from '../../src/config/integration-config.js';
import { Secret } from '../../src/config/secret.js';
import type { IntegrationEnv } from '../../src/integrations/definition.js';
import { wazuhPaths } from '../../src/wazuh-home.js';

export interface ConfigFields {
  readonly name: string;
  readonly index?: number;
  readonly hookUrl?: string;
  readonly apiKey?: string;
  readonly options?: Record<string, unknown>;
  readonly timeout?: number;
  readonly retries?: number;
}

/** A decoded <integration> block with Wazuh's defaults (json format, no filters, timeout 10, retries 3). */
export const integrationConfig = (fields: ConfigFields): IntegrationConfig => ({
  index: fields.index ?? 0,
  at: { line: 1, column: 1 },
  name: fields.name,
  hookUrl: fields.hookUrl === undefined ? undefined : new Secret(fields.hookUrl),
  apiKey: fields.apiKey === undefined ? undefined : new Secret(fields.apiKey),
  alertFormat: 'json',
  jsonFormat: true,
  level: 0,
  ruleIds: undefined,
  group: undefined,
  eventLocation: undefined,
  maxLog: 165,
  timeout: fields.timeout ?? 10,
  retries: fields.retries ?? 3,
  options: fields.options,
  optionsText: fields.options === undefined ? undefined : JSON.stringify(fields.options),
});

/** An IntegrationEnv for a Wazuh home (no metrics unless given). */
export const integrationEnv = (home = '/var/ossec', extra: Partial<IntegrationEnv> = {}): IntegrationEnv => ({ paths: wazuhPaths(home), debug: 0, ...extra });
