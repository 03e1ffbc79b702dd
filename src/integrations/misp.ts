// MISP (ours, issue 23): the IOCs custom-misp.py extracts looked up at attributes/restSearch, its event written back.

import { stringField, type Alert } from '../alerts/alert.js';
import type { IntegrationConfig } from '../config/integration-config.js';
import { blockLabels } from '../telemetry/metrics.js';
import { log, registerSecret } from '../telemetry/log.js';
import type { BlockIntegration, Integration, IntegrationEnv } from './definition.js';
import type { HttpStep, Step } from '../delivery/step.js';
import { queueStep } from '../delivery/queue-message.js';
import type { CacheStats } from './enrichment-cache.js';
import { enrichmentLookups } from './enrichment-lookups.js';
import { wazuhLocation } from './enrichment-event.js';
import { parseEnrichmentOptions } from './enrichment-options.js';
import { apiBase } from './virustotal.js';
import { lookupFields } from './lookup-options.js';
import { MISP, mispErrorEvent, mispEvent, mispTargets, type MispMatch } from './misp-event.js';
import { classifyMisp } from './misp-answer.js';
import { startMispStandIn } from '../stand-ins/misp.js';
import { shortText } from './demo-text.js';

/** The skip reason of an alert without an IOC the script (or options.fields) looks up. */
export const MISP_SKIP = 'misp-no-ioc';
const OPTION_KEYS = ['cache_ttl_seconds', 'cache_size', 'rate_per_minute', 'negative_cache_ttl_seconds', 'fields'] as const;

/** The MISP base of a hook_url: the instance URL, with the script's `/attributes/restSearch/` suffix accepted and dropped. */
export const mispBase = (hookUrl: string | undefined): { base: string } | { error: string } => {
  if (hookUrl === undefined || hookUrl === '') return { error: 'misp needs a hook_url (the MISP instance, e.g. https://misp.example.com)' };
  const endpoint = apiBase(hookUrl, '');
  return 'error' in endpoint ? endpoint : { base: endpoint.base.replace(/\/attributes\/restSearch(\/.*)?$/i, '') };
};

/** The restSearch body: the script's filter (`value:<ioc>`), as JSON. */
export const mispSearchBody = (value: string): string => JSON.stringify({ returnFormat: 'json', value });

/** A block's MISP integration, with its cache counters. */
export interface MispBlock extends BlockIntegration {
  readonly cache: { readonly stats: CacheStats };
}

const unavailable = (reason: string): MispBlock => ({ plan: () => [], unavailable: reason, cache: { stats: { hits: 0, misses: 0, size: 0 } } });

const createMisp = (config: IntegrationConfig, env: IntegrationEnv): MispBlock => {
  const apiKey = config.apiKey?.reveal() ?? '';
  const hookUrl = config.hookUrl?.reveal();
  if (apiKey === '') return unavailable('misp needs an api_key (the MISP automation key)');
  const parsed = parseEnrichmentOptions(config.options, OPTION_KEYS);
  if (!parsed.ok) return unavailable(parsed.error);
  const own = lookupFields(config.options);
  if ('error' in own) return unavailable(own.error);
  const endpoint = mispBase(hookUrl);
  if ('error' in endpoint) return unavailable(endpoint.error);
  registerSecret(apiKey);
  registerSecret(hookUrl);
  const labels = blockLabels(config.index, config.name);
  const lookups = enrichmentLookups<MispMatch>(config, env, MISP, apiKey, parsed.options);
  const headers = { authorization: apiKey, accept: 'application/json', 'content-type': 'application/json' };
  const secrets = hookUrl ? [apiKey, hookUrl] : [apiKey];
  const written = (alert: Alert, match: MispMatch): Step[] => (match === null ? [] : [queueStep(wazuhLocation(alert, MISP), mispEvent(match))]);

  const lookup = (alert: Alert, value: string): HttpStep => {
    let match: MispMatch | undefined;
    return {
      kind: 'http',
      request: { method: 'POST', url: `${endpoint.base}/attributes/restSearch`, headers, body: mispSearchBody(value) },
      secrets,
      classify: (response) => {
        const classified = classifyMisp(response);
        if (classified.verdict.kind === 'retry' && response.status === 429) lookups.spent(Date.now() + (classified.verdict.afterMs ?? 0));
        match = classified.match;
        return classified.verdict;
      },
      after: () => {
        if (match === undefined) return [];
        lookups.remember(value, match, match === null);
        return written(alert, match);
      },
      // The script writes its error event when MISP cannot be reached; an answer (401, 429 …) writes none.
      onGiveUp: (last) => (last.status === undefined ? [queueStep(wazuhLocation(alert, MISP), mispErrorEvent())] : []),
    };
  };

  const targets = (alert: Alert): string[] => {
    const { values, refused } = mispTargets(alert, own.fields);
    for (const value of refused) log.debug('MispValueRefused', { ...labels, value: shortText(value, 60), alert_id: stringField(alert, 'id') });
    return values;
  };

  return {
    skip: (alert) => (mispTargets(alert, own.fields).values.length === 0 ? MISP_SKIP : undefined),
    plan: (alert) =>
      targets(alert).flatMap((value): Step[] => {
        const hit = lookups.cached(value);
        log.debug(hit ? 'LookupServedFromCache' : 'LookupRequested', { ...labels, value: shortText(value, 80), alert_id: stringField(alert, 'id') });
        return hit ? written(alert, hit.value) : [lookup(alert, value)];
      }),
    lookups: (alert) => mispTargets(alert, own.fields).values.map((value) => ({ value, cached: lookups.peek(value) })),
    requestQuota: lookups.reserve,
    ...(parsed.warnings.length === 0 ? {} : { warnings: parsed.warnings }),
    cache: lookups.cache,
  };
};

/**
 * MISP (ours: the block goes in integratord.conf). Requires hook_url (the MISP instance) and
 * api_key (sent as `Authorization: <key>`, no "Bearer", as the script does). Options (all
 * optional): `fields` (extra alert fields to look up, none by default), `cache_ttl_seconds`
 * (3600; 0 = off), `negative_cache_ttl_seconds` (600), `cache_size` (10000), `rate_per_minute`.
 */
export const misp = {
  name: MISP,
  requires: { hookUrl: true, apiKey: true },
  jsonOnlyScript: false,
  ours: true,
  demo: {
    service: 'misp',
    label: 'MISP',
    start: () => startMispStandIn(),
    hookUrl: (base) => base,
    describe: (r) => `restSearch ${shortText(String((r.json as { value?: unknown } | undefined)?.value ?? ''), 24)}`,
  },
  create: createMisp,
} satisfies Integration;
