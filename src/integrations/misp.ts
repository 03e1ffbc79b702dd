// MISP (ours, issue 23): the IOCs the wazuh-misp-integration custom-misp.py extracts looked up at attributes/restSearch, its one event per alert written back.

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
import { MISP, mispAlertEvent, mispIocs, mispValues, type MispAnswer, type MispAttribute } from './misp-event.js';
import { classifyMisp } from './misp-answer.js';
import { startMispStandIn } from '../stand-ins/misp.js';
import { shortText } from './demo-text.js';

/** The skip reason of an alert without an IOC the script looks up. */
export const MISP_SKIP = 'misp-no-ioc';
/** The cache namespace: the attr_info shape (a shared or persisted cache of the older SOCFortress shape is never read). */
export const MISP_CACHE = 'misp-attr-info';
const OPTION_KEYS = ['cache_ttl_seconds', 'cache_size', 'rate_per_minute', 'negative_cache_ttl_seconds'] as const;

/** The MISP base of a hook_url: the instance URL, with the script's `/attributes/restSearch/` suffix accepted and dropped. */
export const mispBase = (hookUrl: string | undefined): { base: string } | { error: string } => {
  if (hookUrl === undefined || hookUrl === '') return { error: 'misp needs a hook_url (the MISP instance, e.g. https://misp.example.com)' };
  const endpoint = apiBase(hookUrl, '');
  return 'error' in endpoint ? endpoint : { base: endpoint.base.replace(/\/attributes\/restSearch(\/.*)?$/i, '') };
};

/** The script's restSearch body for one value, as JSON. */
export const mispSearchBody = (value: string): string =>
  JSON.stringify({ value, returnFormat: 'json', includeContext: true, includeEventTags: true, includeAttributeTags: true, includeSightings: true });

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
  const endpoint = mispBase(hookUrl);
  if ('error' in endpoint) return unavailable(endpoint.error);
  registerSecret(apiKey);
  registerSecret(hookUrl);
  const labels = blockLabels(config.index, config.name);
  const lookups = enrichmentLookups<MispAttribute | null>(config, env, MISP_CACHE, apiKey, parsed.options);
  const headers = { 'content-type': 'application/json', authorization: apiKey, accept: 'application/json' };
  const secrets = hookUrl ? [apiKey, hookUrl] : [apiKey];

  /** The lookups of the values not cached, one after the other; after the last, the alert's one event (or none). */
  const chain = (alert: Alert, iocs: readonly (readonly [string, string])[], pending: readonly string[], answers: Map<string, MispAnswer>): Step[] => {
    const [value, ...rest] = pending;
    if (value === undefined) {
      const event = mispAlertEvent(alert, iocs, answers);
      return event === undefined ? [] : [queueStep(wazuhLocation(alert, MISP), event, true)];
    }
    let answer: MispAnswer | undefined;
    const step: HttpStep = {
      kind: 'http',
      request: { method: 'POST', url: `${endpoint.base}/attributes/restSearch/`, headers, body: mispSearchBody(value) },
      secrets,
      classify: (response) => {
        const classified = classifyMisp(response, value);
        if (classified.verdict.kind === 'retry' && response.status === 429) lookups.spent(Date.now() + (classified.verdict.afterMs ?? 0));
        answer = classified.answer;
        return classified.verdict;
      },
      after: () => {
        if (answer?.kind !== 'found') return [];
        lookups.remember(value, answer.match, answer.match === null);
        answers.set(value, answer);
        return chain(alert, iocs, rest, answers);
      },
      // An error answer (401, 403 …): the other values still asked, the script's error event written at the end; the
      // alert stays dead-lettered. MISP unreachable or down past the retries: no event now; the alert is dead-lettered
      // and redriven, the values already answered served from the cache then (the script saves the alert for a retry).
      onGiveUp: () => {
        if (answer?.kind !== 'error') return [];
        log.warning('MispErrorAnswer', { ...labels, status: answer.status, alert_id: stringField(alert, 'id') });
        answers.set(value, answer);
        return chain(alert, iocs, rest, answers);
      },
    };
    return [step];
  };

  const iocsOf = (alert: Alert) => {
    const { iocs, refused } = mispIocs(alert);
    for (const value of refused) log.debug('MispValueRefused', { ...labels, value: shortText(value, 60), alert_id: stringField(alert, 'id') });
    return iocs;
  };

  return {
    skip: (alert) => (mispIocs(alert).iocs.length === 0 ? MISP_SKIP : undefined),
    plan: (alert) => {
      const iocs = iocsOf(alert);
      const answers = new Map<string, MispAnswer>();
      const pending: string[] = [];
      for (const value of mispValues(iocs)) {
        const hit = lookups.cached(value);
        log.debug(hit ? 'LookupServedFromCache' : 'LookupRequested', { ...labels, value: shortText(value, 80), alert_id: stringField(alert, 'id') });
        if (hit) answers.set(value, { kind: 'found', match: hit.value });
        else pending.push(value);
      }
      return chain(alert, iocs, pending, answers);
    },
    lookups: (alert) => mispValues(mispIocs(alert).iocs).map((value) => ({ value, cached: lookups.peek(value) })),
    requestQuota: lookups.reserve,
    ...(parsed.warnings.length === 0 ? {} : { warnings: parsed.warnings }),
    cache: lookups.cache,
  };
};

/**
 * MISP (ours: the block goes in integratord.conf). Requires hook_url (the MISP instance) and
 * api_key (sent as `Authorization: <key>`, no "Bearer", as the script does). Options (all
 * optional): `cache_ttl_seconds` (3600; 0 = off), `negative_cache_ttl_seconds` (600),
 * `cache_size` (10000), `rate_per_minute`.
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
