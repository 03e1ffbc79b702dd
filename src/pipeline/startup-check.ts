// Wazuh's startup checks of a block (§1.4): which integration, mandatory values, then the integration's own.

import type { EnrichmentStores } from '../integrations/enrichment-stores.js';
import { templateFieldWarnings } from '../integrations/template-fields.js';
import { basename, join } from 'node:path';
import { existsSync } from 'node:fs';
import type { Position } from '../config/diagnostic.js';
import { didYouMean } from '../config/did-you-mean.js';
import type { IntegrationConfig } from '../config/integration-config.js';
import type { BlockIntegration, Integration } from '../integrations/definition.js';
import { INTEGRATIONS, integrationFor } from '../integrations/registry.js';
import { log, registerSecret, urlSecretParts } from '../telemetry/log.js';
import { blockLabels, type Metrics } from '../telemetry/metrics.js';
import { blockTransport, withBlockTransport } from './block-transport.js';
import { INTEGRATORD_CONFIG, WAZUH_CONFIG, type WazuhPaths } from '../wazuh-home.js';
import { testAlert } from '../alerts/test-alert.js';
import { templateProblems } from '../integrations/message-template.js';
import { errorMessage } from '../errors.js';

export type StartupResult =
  | {
      readonly enabled: true;
      readonly integration: Integration;
      readonly block: BlockIntegration;
      /** What the block runs with but the operator should know (unused options, a legacy alert_format). */
      readonly warnings: readonly string[];
    }
  | {
      readonly enabled: false;
      readonly reason: string;
      /** Where the problem is: the block's `<integration>` tag, or the element at fault (an invalid `<options>`, a template). */
      readonly at: Position;
      /** The file `at` is in when it is not the block's own (a `<template_file>`). */
      readonly file?: string;
    };

export interface StartupOptions {
  /** Daemon debug level: custom scripts get `debug` in argv[4] when ≥ 1. */
  readonly debug?: number;
  /** When given, `integratord_block_enabled` is set to 1 or 0 for the block (and the integration gets them). */
  readonly metrics?: Metrics;
  /** The file the block was read from when the block does not say (`IntegrationConfig.file`): a name of ours in ossec.conf is warned about. */
  readonly configFile?: string;
  /** The enrichment stores the blocks share (given to the integration). */
  readonly enrichment?: EnrichmentStores;
}

/** The warning for an integration name Wazuh does not know, used in a file Wazuh reads; undefined otherwise. */
export const ourNameWarning = (integration: Integration, name: string, configFile: string | undefined): string | undefined =>
  integration.ours === true && configFile !== undefined && basename(configFile) === WAZUH_CONFIG
    ? `'${name}' is an integratord integration, not Wazuh's: stock Wazuh disables this block when it reads ${WAZUH_CONFIG}; move the block to ${INTEGRATORD_CONFIG}`
    : undefined;

/** `FILE:LINE:COL: ` of a disabled block's problem, as `check` prints it; `(line L, column C)` style when the file is unknown. */
export const locateRefusal = (config: IntegrationConfig, refusal: { readonly reason: string; readonly at: Position; readonly file?: string }, configFile?: string): string => {
  const file = refusal.file ?? config.file ?? configFile;
  if (file !== undefined) return `${file}:${refusal.at.line}:${refusal.at.column}: ${refusal.reason}`;
  const inside = refusal.at.line !== config.at.line || refusal.at.column !== config.at.column;
  return inside ? `${refusal.reason} (line ${refusal.at.line}, column ${refusal.at.column})` : refusal.reason;
};

/** The names a misspelt block name may have meant: the built-in ones (prefix entries such as `custom-` left out). */
const BUILT_IN_NAMES = INTEGRATIONS.map((i) => i.name).filter((n) => !n.endsWith('-'));

const hintFor = (name: string): string => {
  const suggestion = didYouMean(name, BUILT_IN_NAMES);
  return suggestion === undefined || suggestion === name ? '' : ` Did you mean '${suggestion}'?`;
};

/** Registers the block's secrets with the logger: the api_key, the hook_url with its token-bearing parts (urlSecretParts). */
export const registerBlockSecrets = (config: IntegrationConfig): void => {
  registerSecret(config.apiKey?.reveal());
  for (const part of urlSecretParts(config.hookUrl?.reveal() ?? '')) registerSecret(part);
  for (const part of urlSecretParts(config.proxy?.reveal() ?? '')) registerSecret(part);
  for (const value of Object.values(config.headers ?? {})) registerSecret(value);
};

/** The template tags a block carries, by the name `Integration.templates` lists them. */
const TEMPLATE_TAGS = [
  ['template', (c: IntegrationConfig) => c.template],
  ['subject_template', (c: IntegrationConfig) => c.subjectTemplate],
  ['body_template', (c: IntegrationConfig) => c.bodyTemplate],
] as const;

/**
 * The startup decision alone, with no log line and no metric: what `run` does with the block
 * (startupCheck) and what `check` reports. Wazuh's order and wording: `Invalid integration:
 * '<name>'. Not currently supported.` (or `File not found inside 'integrations'` when no such
 * script exists either, as Wazuh checks the file first; both with a did-you-mean for a misspelt
 * built-in name), `Missing hook URL.`, `Missing API Key.` (presence is what counts: an empty value
 * passes), then a block-level config problem (invalid `<options>`, located at the element), then
 * a template that does not compile or render send-test's alert (located at the template), then
 * the integration's own refusal (a custom script missing or writable, a bad hook_url, bad
 * enrichment options). Built-in integrations run natively and need no file in integrations/.
 * Never throws: a disabled block is a result.
 */
export const startupDecision = (config: IntegrationConfig, paths: WazuhPaths, options: StartupOptions = {}): StartupResult => {
  const name = config.name;
  const disabled = (reason: string, at: Position = config.at, file?: string): StartupResult => ({ enabled: false, reason, at, ...(file === undefined || file === config.file ? {} : { file }) });
  const unable = (why: string, at?: Position, file?: string) => disabled(`Unable to enable integration for: '${name}'. ${why}`, at, file);
  const integration = integrationFor(name);
  if (integration === undefined) {
    if (!existsSync(join(paths.integrations, name))) return unable(`File not found inside 'integrations'.${hintFor(name)}`);
    return disabled(`Invalid integration: '${name}'. Not currently supported.${hintFor(name)}`);
  }
  if (integration.requires.hookUrl && config.hookUrl === undefined) return unable('Missing hook URL.');
  if (integration.requires.apiKey && config.apiKey === undefined) return unable('Missing API Key.');
  if (config.invalid !== undefined) return unable(config.invalid.reason, config.invalid.at);
  // Every template the integration renders, on send-test's alert: one that fails here (a <body_template> that is not JSON) would fail on every alert; located at the template, in its own file.
  const [problem] = templateProblems(config, integration.templates ?? [], testAlert());
  if (problem !== undefined) return unable(problem.message, problem.at, problem.file);
  let block: BlockIntegration;
  try {
    block = integration.create(config, { paths, debug: options.debug ?? 0, ...(options.metrics ? { metrics: options.metrics } : {}), ...(options.enrichment ? { enrichment: options.enrichment } : {}) });
  } catch (error) {
    return unable(errorMessage(error));
  }
  if (block.unavailable !== undefined) return unable(block.unavailable);
  const transport = blockTransport(config);
  if ('problem' in transport) return unable(transport.problem);
  block = withBlockTransport(block, transport.transport, config.headers);
  const warnings = [...(block.warnings ?? [])];
  const ours = ourNameWarning(integration, name, config.file ?? options.configFile);
  if (ours !== undefined) warnings.push(ours);
  for (const [tag, of] of TEMPLATE_TAGS) {
    if (of(config) !== undefined && !(integration.templates ?? []).includes(tag)) {
      warnings.push(`<${tag === 'template' && of(config)?.text === undefined ? 'template_file' : tag}> is not used by ${name}: its payload stays as it is`);
    }
  }
  warnings.push(...templateFieldWarnings(config, integration.templates ?? []));
  if (integration.jsonOnlyScript === true && !config.jsonFormat) {
    warnings.push(
      `<alert_format> is not json: Wazuh's ${name} script cannot read the legacy format and fails on every alert; integratord delivers ${name} natively and ignores alert_format (add <alert_format>json</alert_format> to keep Wazuh working too)`,
    );
  }
  return { enabled: true, integration, block, warnings };
};

/**
 * Decides whether a block runs (startupDecision) and logs Wazuh's lines: the refusal as ERROR
 * (with its line and column when it points inside the block), else each warning and INFO
 * `Enabling integration for: '<name>'.`. Registers the block's secrets with the logger first.
 * Never throws: a disabled block is a result.
 */
export const startupCheck = (config: IntegrationConfig, paths: WazuhPaths, options: StartupOptions = {}): StartupResult => {
  registerBlockSecrets(config);
  const result = startupDecision(config, paths, options);
  const labels = blockLabels(config.index, config.name);
  if (!result.enabled) {
    log.error(locateRefusal(config, result, options.configFile));
    options.metrics?.blockEnabled.set(labels, 0);
    return result;
  }
  for (const warning of result.warnings) log.warning(`${config.name} block ${config.index}: ${warning}`, labels);
  log.info(`Enabling integration for: '${config.name}'.`);
  options.metrics?.blockEnabled.set(labels, 1);
  return result;
};
