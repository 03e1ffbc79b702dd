// Builds the IntegrationConfig of one block for specs, with Wazuh's defaults.

import { blockIdBase } from '../../src/config/block-identity.js';
import type { IntegrationConfig } from '../../src/config/integration-config.js';
import { Secret } from '../../src/config/secret.js';
import type { IntegrationEnv } from '../../src/integrations/definition.js';
import { wazuhPaths } from '../../src/wazuh-home.js';

export interface BlockSpec extends Partial<Omit<IntegrationConfig, 'hookUrl' | 'apiKey' | 'options'>> {
  readonly hookUrl?: string;
  readonly apiKey?: string;
  /** Options as an object; `optionsText` follows it unless given. */
  readonly options?: Record<string, unknown>;
}

/** A decoded block: name `custom-test`, index 0, every filter off, max_log 165, timeout 10, retries 3, json; its id as a lone block's. */
export const blockConfig = (spec: BlockSpec = {}): IntegrationConfig => {
  const { hookUrl, apiKey, options, ...rest } = spec;
  const secretUrl = hookUrl === undefined ? undefined : new Secret(hookUrl);
  return {
    id: blockIdBase({ name: spec.name ?? 'custom-test', hookUrl: secretUrl }),
    index: 0,
    at: { line: 1, column: 1 },
    name: 'custom-test',
    alertFormat: 'json',
    jsonFormat: true,
    level: 0,
    ruleIds: undefined,
    group: undefined,
    eventLocation: undefined,
    maxLog: 165,
    timeout: 10,
    retries: 3,
    optionsText: options === undefined ? undefined : JSON.stringify(options),
    ...rest,
    hookUrl: secretUrl,
    apiKey: apiKey === undefined ? undefined : new Secret(apiKey),
    options: options === undefined ? undefined : Object.freeze({ ...options }),
  };
};

/** An IntegrationEnv for a Wazuh home (no metrics unless given). */
export const integrationEnv = (home = '/var/ossec', extra: Partial<IntegrationEnv> = {}): IntegrationEnv => ({ paths: wazuhPaths(home), debug: 0, ...extra });

/** The id a lone block of this name and hook_url gets (the file name of its cursor and dead letters). */
export const blockIdOf = (name: string, hookUrl?: string): string => blockIdBase({ name, hookUrl: hookUrl === undefined ? undefined : new Secret(hookUrl) });
