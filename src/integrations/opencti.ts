// OpenCTI (ours, issue 23): custom-opencti.py's IOCs in one GraphQL query, its `opencti` events written back.

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
import { openCtiTarget, type OpenCtiTarget } from './opencti-targets.js';
import { openCtiRequestBody } from './opencti-query.js';
import { OPENCTI, openCtiErrorEvent, openCtiEvents, withSource, type OpenCtiEvent } from './opencti-event.js';
import { classifyOpenCti } from './opencti-answer.js';
import { startOpenCtiStandIn } from '../stand-ins/opencti.js';
import { shortText } from './demo-text.js';

/** The skip reason of an alert the script would not look anything up for. */
export const OPENCTI_SKIP = 'opencti-no-ioc';
const OPTION_KEYS = ['cache_ttl_seconds', 'cache_size', 'rate_per_minute', 'negative_cache_ttl_seconds'] as const;

/**
 * The GraphQL endpoint and the dashboard base of a hook_url: the script's own hook
 * (`https://opencti.example.com/graphql`) as it is, an instance URL with `/graphql` added.
 */
export const openCtiEndpoint = (hookUrl: string | undefined): { url: string; linkBase: string } | { error: string } => {
  if (hookUrl === undefined || hookUrl === '') return { error: 'opencti needs a hook_url (https://opencti.example.com/graphql)' };
  const endpoint = apiBase(hookUrl, '');
  if ('error' in endpoint) return endpoint;
  const url = /\/graphql$/i.test(endpoint.base) ? endpoint.base : `${endpoint.base}/graphql`;
  return { url, linkBase: url.slice(0, -'graphql'.length) };
};

/** A block's OpenCTI integration, with its cache counters. */
export interface OpenCtiBlock extends BlockIntegration {
  readonly cache: { readonly stats: CacheStats };
}

const unavailable = (reason: string): OpenCtiBlock => ({ plan: () => [], unavailable: reason, cache: { stats: { hits: 0, misses: 0, size: 0 } } });
const cacheKey = (t: OpenCtiTarget) => JSON.stringify([t.key, t.values, t.patterns]);

const createOpenCti = (config: IntegrationConfig, env: IntegrationEnv): OpenCtiBlock => {
  const apiKey = config.apiKey?.reveal() ?? '';
  const hookUrl = config.hookUrl?.reveal();
  if (apiKey === '') return unavailable('opencti needs an api_key (an OpenCTI API token)');
  const parsed = parseEnrichmentOptions(config.options, OPTION_KEYS);
  if (!parsed.ok) return unavailable(parsed.error);
  const own = lookupFields(config.options);
  if ('error' in own) return unavailable(own.error);
  const endpoint = openCtiEndpoint(hookUrl);
  if ('error' in endpoint) return unavailable(endpoint.error);
  registerSecret(apiKey);
  registerSecret(hookUrl);
  const labels = blockLabels(config.index, config.name);
  const lookups = enrichmentLookups<readonly OpenCtiEvent[]>(config, env, OPENCTI, apiKey, parsed.options);
  const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', accept: '*/*' };
  const secrets = [apiKey, `Bearer ${apiKey}`, ...(hookUrl ? [hookUrl] : [])];
  const written = (alert: Alert, events: readonly OpenCtiEvent[]): Step[] => events.map((e) => queueStep(wazuhLocation(alert, OPENCTI), withSource(e, alert)));

  const lookup = (alert: Alert, target: OpenCtiTarget): HttpStep => {
    let events: readonly OpenCtiEvent[] | undefined;
    return {
      kind: 'http',
      request: { method: 'POST', url: endpoint.url, headers, body: openCtiRequestBody(target) },
      secrets,
      classify: (response) => {
        const classified = classifyOpenCti(response);
        if (classified.verdict.kind === 'retry' && response.status === 429) lookups.spent(Date.now() + (classified.verdict.afterMs ?? 0));
        events = classified.data === undefined ? undefined : openCtiEvents(classified.data, target, endpoint.linkBase);
        return classified.verdict;
      },
      after: () => {
        if (events === undefined) return [];
        lookups.remember(cacheKey(target), events, events.length === 0);
        return written(alert, events);
      },
      // The script's error event when OpenCTI cannot be reached (no source: the script sends it bare).
      onGiveUp: (last) => (last.status === undefined ? [queueStep(wazuhLocation(alert, OPENCTI), openCtiErrorEvent())] : []),
    };
  };

  return {
    skip: (alert) => (openCtiTarget(alert) === undefined ? OPENCTI_SKIP : undefined),
    plan: (alert) => {
      const target = openCtiTarget(alert);
      if (target === undefined) return [];
      const hit = lookups.cached(cacheKey(target));
      log.debug(hit ? 'LookupServedFromCache' : 'LookupRequested', { ...labels, value: shortText(target.values.join(';'), 80), alert_id: stringField(alert, 'id') });
      return hit ? written(alert, hit.value) : [lookup(alert, target)];
    },
    lookups: (alert) => {
      const target = openCtiTarget(alert);
      return target === undefined ? [] : [{ value: target.values.join(', '), cached: lookups.peek(cacheKey(target)) }];
    },
    requestQuota: lookups.reserve,
    ...(parsed.warnings.length === 0 ? {} : { warnings: parsed.warnings }),
    cache: lookups.cache,
  };
};

/**
 * OpenCTI (ours: the block goes in integratord.conf). Requires hook_url (the GraphQL endpoint, or
 * the instance URL) and api_key (a token, sent as `Authorization: Bearer`). Options (all
 * optional): `cache_ttl_seconds` (3600; 0 = off), `negative_cache_ttl_seconds` (600),
 * `cache_size` (10000), `rate_per_minute`.
 */
export const opencti = {
  name: OPENCTI,
  requires: { hookUrl: true, apiKey: true },
  jsonOnlyScript: false,
  ours: true,
  demo: {
    service: 'opencti',
    label: 'OpenCTI',
    start: () => startOpenCtiStandIn(),
    hookUrl: (base) => `${base}/graphql`,
    describe: (r) => `graphql ${shortText(String((r.json as { variables?: { obs?: { filters?: { values?: unknown[] }[] } } } | undefined)?.variables?.obs?.filters?.[0]?.values?.[0] ?? ''), 24)}`,
  },
  create: createOpenCti,
} satisfies Integration;
