// Wazuh's startup checks of a block (§1.4): which integration, mandatory values, then the integration's own.

import { join } from 'node:path';
import { existsSync } from 'node:fs';
import type { IntegrationConfig } from '../config/integration-config.js';
import type { BlockIntegration, Integration } from '../integrations/definition.js';
import { integrationFor } from '../integrations/registry.js';
import { log, registerSecret, urlSecretParts } from '../telemetry/log.js';
import { blockLabels, type Metrics } from '../telemetry/metrics.js';
import type { WazuhPaths } from '../wazuh-home.js';

export type StartupResult =
  | { readonly enabled: true; readonly integration: Integration; readonly block: BlockIntegration }
  | { readonly enabled: false; readonly reason: string };

export interface StartupOptions {
  /** Daemon debug level: custom scripts get `debug` in argv[4] when ≥ 1. */
  readonly debug?: number;
  /** When given, `integratord_block_enabled` is set to 1 or 0 for the block. */
  readonly metrics?: Metrics;
}

/**
 * Decides whether a block runs, logging Wazuh's lines: ERROR `Invalid integration: '<name>'. Not
 * currently supported.` (or `File not found inside 'integrations'` when no such script exists
 * either, as Wazuh checks the file first), `Missing hook URL.`, `Missing API Key.` (presence is
 * what counts: an empty value passes), then the integration's own refusal (a custom script
 * missing or writable), else INFO `Enabling integration for: '<name>'.`. Built-in integrations
 * run natively and need no file in integrations/. Registers the block's secrets with the logger
 * (the api_key; the hook_url with its token-bearing parts, see urlSecretParts).
 * Never throws: a disabled block is a result.
 */
export const startupCheck = (config: IntegrationConfig, paths: WazuhPaths, options: StartupOptions = {}): StartupResult => {
  const name = config.name;
  const enabled = (value: 0 | 1) => options.metrics?.blockEnabled.set(blockLabels(config.index, name), value);
  const disabled = (reason: string): StartupResult => {
    log.error(reason);
    enabled(0);
    return { enabled: false, reason };
  };
  registerSecret(config.apiKey?.reveal());
  for (const part of urlSecretParts(config.hookUrl?.reveal() ?? '')) registerSecret(part);
  const unable = (why: string) => disabled(`Unable to enable integration for: '${name}'. ${why}`);
  const integration = integrationFor(name);
  if (integration === undefined) {
    if (!existsSync(join(paths.integrations, name))) return unable("File not found inside 'integrations'.");
    return disabled(`Invalid integration: '${name}'. Not currently supported.`);
  }
  if (integration.requires.hookUrl && config.hookUrl === undefined) return unable('Missing hook URL.');
  if (integration.requires.apiKey && config.apiKey === undefined) return unable('Missing API Key.');
  let block: BlockIntegration;
  try {
    block = integration.create(config, { paths, debug: options.debug ?? 0, ...(options.metrics ? { metrics: options.metrics } : {}) });
  } catch (error) {
    return unable(error instanceof Error ? error.message : String(error));
  }
  if (block.unavailable !== undefined) return unable(block.unavailable);
  log.info(`Enabling integration for: '${name}'.`);
  enabled(1);
  return { enabled: true, integration, block };
};
