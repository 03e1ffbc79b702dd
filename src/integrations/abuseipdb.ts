// AbuseIPDB (ours, issue 23): the alert's public IPs checked, the community script's event written back.

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
import { ABUSEIPDB, abuseIpdbErrorEvent, abuseIpdbEvent, abuseIpdbTargets, DEFAULT_IP_FIELDS, isNegative, type AbuseIpdbReport } from './abuseipdb-event.js';
import { classifyAbuseIpdb, errorDetail, readQuota } from './abuseipdb-answer.js';
import { startAbuseIpdbStandIn } from '../stand-ins/abuseipdb.js';
import { shortText } from './demo-text.js';

/** AbuseIPDB's API base; a set hook_url replaces it (a proxy, a test server). */
export const ABUSEIPDB_API_BASE = 'https://api.abuseipdb.com';
/** The community script's maxAgeInDays. */
export const DEFAULT_MAX_AGE_IN_DAYS = 90;
/** The skip reason of an alert without a public address in the looked-up fields. */
export const ABUSEIPDB_SKIP = 'abuseipdb-no-public-ip';
const OPTION_KEYS = ['cache_ttl_seconds', 'cache_size', 'rate_per_minute', 'negative_cache_ttl_seconds', 'max_age_in_days', 'fields'] as const;

/** The AbuseIPDB-only options: looked-up fields, maxAgeInDays; or why they are wrong. */
export const abuseIpdbOptions = (raw: Readonly<Record<string, unknown>> | undefined): { fields: readonly string[]; maxAgeInDays: number } | { error: string } => {
  const fields = raw?.['fields'] ?? DEFAULT_IP_FIELDS;
  if (!Array.isArray(fields) || fields.length === 0 || !fields.every((f) => typeof f === 'string' && /^[^.\s]+(\.[^.\s]+)*$/.test(f))) {
    return { error: `options.fields must be a non-empty list of dotted alert fields such as "data.srcip" (got ${JSON.stringify(fields)})` };
  }
  const maxAge = raw?.['max_age_in_days'] ?? DEFAULT_MAX_AGE_IN_DAYS;
  if (typeof maxAge !== 'number' || !Number.isInteger(maxAge) || maxAge < 1 || maxAge > 365) return { error: `options.max_age_in_days must be an integer from 1 to 365 (got ${JSON.stringify(maxAge)})` };
  return { fields: fields as string[], maxAgeInDays: maxAge };
};

/** A block's AbuseIPDB integration, with its cache counters. */
export interface AbuseIpdbBlock extends BlockIntegration {
  readonly cache: { readonly stats: CacheStats };
}

const unavailable = (reason: string): AbuseIpdbBlock => ({ plan: () => [], unavailable: reason, cache: { stats: { hits: 0, misses: 0, size: 0 } } });

const createAbuseIpdb = (config: IntegrationConfig, env: IntegrationEnv): AbuseIpdbBlock => {
  const apiKey = config.apiKey?.reveal() ?? '';
  const hookUrl = config.hookUrl?.reveal();
  if (apiKey === '') return unavailable('abuseipdb needs an api_key');
  const parsed = parseEnrichmentOptions(config.options, OPTION_KEYS);
  if (!parsed.ok) return unavailable(parsed.error);
  const own = abuseIpdbOptions(config.options);
  if ('error' in own) return unavailable(own.error);
  const endpoint = apiBase(hookUrl, ABUSEIPDB_API_BASE);
  if ('error' in endpoint) return unavailable(endpoint.error);
  registerSecret(apiKey);
  registerSecret(hookUrl);
  const labels = blockLabels(config.index, config.name);
  const lookups = enrichmentLookups<AbuseIpdbReport>(config, env, ABUSEIPDB, apiKey, parsed.options);
  const headers = { key: apiKey, accept: 'application/json' };
  const secrets = hookUrl ? [apiKey, hookUrl] : [apiKey];

  const event = (alert: Alert, ip: string, report: AbuseIpdbReport): Step => queueStep(wazuhLocation(alert, ABUSEIPDB), abuseIpdbEvent(alert, ip, report));

  const lookup = (alert: Alert, ip: string): HttpStep => {
    let report: AbuseIpdbReport | undefined;
    let refusal: { status: number; detail: string } | undefined;
    const query = new URLSearchParams({ ipAddress: ip, maxAgeInDays: String(own.maxAgeInDays) }).toString();
    return {
      kind: 'http',
      request: { method: 'GET', url: `${endpoint.base}/api/v2/check?${query}`, headers },
      secrets,
      classify: (response) => {
        const { resetAt, ...quota } = readQuota(response.headers);
        lookups.quota({ ...quota, ...(resetAt === undefined ? {} : { resetAt: resetAt * 1000 }) });
        const classified = classifyAbuseIpdb(response);
        if (classified.verdict.kind === 'retry' && response.status === 429) lookups.spent(Date.now() + (classified.verdict.afterMs ?? 0));
        report = classified.report;
        const detail = response.status === 200 ? undefined : errorDetail(response.body, 1000);
        refusal = detail === undefined ? undefined : { status: response.status, detail };
        return classified.verdict;
      },
      after: () => {
        if (report === undefined) return [];
        lookups.remember(ip, report, isNegative(report));
        return [event(alert, ip, report)];
      },
      // The script's error event, once the lookup is given up on an answer with AbuseIPDB's detail (never for a timeout).
      onGiveUp: (last) => (refusal === undefined || last.status !== refusal.status ? [] : [queueStep(ABUSEIPDB, abuseIpdbErrorEvent(refusal.status, refusal.detail))]),
    };
  };

  const targets = (alert: Alert): string[] => {
    const { ips, invalid } = abuseIpdbTargets(alert, own.fields);
    for (const value of invalid) log.debug('AbuseIpdbInvalidAddress', { ...labels, value: shortText(value, 60), alert_id: stringField(alert, 'id') });
    return ips;
  };

  return {
    skip: (alert) => (abuseIpdbTargets(alert, own.fields).ips.length === 0 ? ABUSEIPDB_SKIP : undefined),
    plan: (alert) =>
      targets(alert).map((ip): Step => {
        const hit = lookups.cached(ip);
        log.debug(hit ? 'LookupServedFromCache' : 'LookupRequested', { ...labels, ip, alert_id: stringField(alert, 'id') });
        return hit ? event(alert, ip, hit.value) : lookup(alert, ip);
      }),
    lookups: (alert) => abuseIpdbTargets(alert, own.fields).ips.map((ip) => ({ value: ip, cached: lookups.peek(ip) })),
    requestQuota: lookups.reserve,
    ...(parsed.warnings.length === 0 ? {} : { warnings: parsed.warnings }),
    cache: lookups.cache,
  };
};

/**
 * AbuseIPDB (ours: the block goes in integratord.conf). Requires api_key (the `Key:` header);
 * hook_url replaces https://api.abuseipdb.com. Options (all optional): `fields` (["data.srcip",
 * "data.dstip"]), `max_age_in_days` (90), `cache_ttl_seconds` (3600; 0 = off),
 * `negative_cache_ttl_seconds` (600), `cache_size` (10000), `rate_per_minute` (none).
 */
export const abuseipdb = {
  name: ABUSEIPDB,
  requires: { hookUrl: false, apiKey: true },
  jsonOnlyScript: false,
  ours: true,
  demo: {
    service: 'abuseipdb',
    label: 'AbuseIPDB',
    start: () => startAbuseIpdbStandIn(),
    hookUrl: (base) => base,
    describe: (r) => `check ${shortText(new URL(r.url, 'http://x').searchParams.get('ipAddress') ?? '', 40)}`,
  },
  create: createAbuseIpdb,
} satisfies Integration;
