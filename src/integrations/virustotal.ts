// VirusTotal (reference §6.4): the hash of each FIM alert looked up, Wazuh's result/error events written back.

import { field, stringField, type Alert } from '../alerts/alert.js';
import type { IntegrationConfig } from '../config/integration-config.js';
import { blockLabels } from '../telemetry/metrics.js';
import { log, registerSecret } from '../telemetry/log.js';
import type { BlockIntegration, Integration, IntegrationEnv } from './definition.js';
import type { HttpRequest, HttpStep, Step } from '../delivery/step.js';
import { hookUrlProblem } from './json-post.js';
import type { CacheStats } from './enrichment-cache.js';
import { enrichmentLookups } from './enrichment-lookups.js';
import { wazuhLocation } from './enrichment-event.js';
import { pathSegment } from '../delivery/path-segment.js';
import { queueStep } from '../delivery/queue-message.js';
import { parseEnrichmentOptions, type EnrichmentOptions } from './enrichment-options.js';
import { classifyVirusTotal, type VirusTotalReport } from './virustotal-answer.js';
import { giveUpEvent, resultEvent, VIRUSTOTAL } from './virustotal-event.js';
import { startVirusTotalStandIn } from '../stand-ins/virustotal.js';
import { shortText } from './demo-text.js';

/** Wazuh's API base; a set hook_url replaces it (a proxy, a test server). */
export const VIRUSTOTAL_API_BASE = 'https://www.virustotal.com';
/**
 * Wazuh's User-Agent (two spaces included). Wazuh also sends `Accept-Encoding: gzip, deflate`;
 * we do not, so that the answer arrives uncompressed whatever the HTTP client decodes.
 */
const USER_AGENT = 'gzip,  Python library-client-VirusTotal';
const OPTION_KEYS = ['api_version', 'cache_ttl_seconds', 'negative_cache_ttl_seconds', 'cache_size', 'rate_per_minute'] as const;

/** Why an alert is not looked up: Wazuh's three pre-filter cases (its script then exits 1; we count a skip). */
export type VirusTotalSkip = 'virustotal-no-syscheck' | 'virustotal-no-md5' | 'virustotal-md5-invalid';

/** 32 hex digits in one case: Wazuh rejects mixed case. */
const MD5 = /^(?:[0-9a-f]{32}|[0-9A-F]{32})$/;
const SHA256 = /^[0-9a-fA-F]{64}$/;

/**
 * Wazuh's pre-filter, stricter on one point: md5_after must be exactly the hash (Wazuh accepts a
 * string that contains one whole-word hash and sends the whole string).
 */
export const virusTotalSkip = (alert: Alert): VirusTotalSkip | undefined => {
  const syscheck = field(alert, 'syscheck');
  if (typeof syscheck !== 'object' || syscheck === null || Array.isArray(syscheck)) return 'virustotal-no-syscheck';
  if (!('md5_after' in syscheck)) return 'virustotal-no-md5';
  const md5 = stringField(alert, 'syscheck', 'md5_after');
  return md5 !== undefined && MD5.test(md5) ? undefined : 'virustotal-md5-invalid';
};

/** The hash looked up: md5_after for v2 (Wazuh); for v3 sha256_after when the alert has a valid one. */
const lookupHash = (alert: Alert, options: EnrichmentOptions): string => {
  const sha256 = stringField(alert, 'syscheck', 'sha256_after');
  if (options.apiVersion === 'v3' && sha256 !== undefined && SHA256.test(sha256)) return sha256;
  return stringField(alert, 'syscheck', 'md5_after') ?? '';
};

/** A block's VirusTotal integration, with its cache counters (also fed to metrics when the env has them). */
export interface VirusTotalBlock extends BlockIntegration {
  readonly cache: { readonly stats: CacheStats };
}

const unavailable = (reason: string): VirusTotalBlock => ({
  plan: () => [],
  unavailable: reason,
  cache: { stats: { hits: 0, misses: 0, size: 0 } },
});

/** The API base from hook_url (trailing slashes removed), or why it cannot be used (hookUrlProblem; never shows the URL). */
export const apiBase = (hookUrl: string | undefined, fallback: string): { base: string } | { error: string } => {
  if (hookUrl === undefined || hookUrl === '') return { base: fallback };
  const problem = hookUrlProblem(hookUrl);
  return problem === undefined ? { base: hookUrl.replace(/\/+$/, '') } : { error: problem };
};

const createVirusTotal = (config: IntegrationConfig, env: IntegrationEnv): VirusTotalBlock => {
  const apiKey = config.apiKey?.reveal() ?? '';
  const hookUrl = config.hookUrl?.reveal();
  if (apiKey === '') return unavailable('virustotal needs an api_key');
  const parsed = parseEnrichmentOptions(config.options, OPTION_KEYS);
  if (!parsed.ok) return unavailable(parsed.error);
  const endpoint = apiBase(hookUrl, VIRUSTOTAL_API_BASE);
  if ('error' in endpoint) return unavailable(endpoint.error);
  registerSecret(apiKey);
  registerSecret(hookUrl);
  const { options } = parsed;
  const labels = blockLabels(config.index, config.name);

  // v2 and v3 answers differ (v3 looks up sha256): one cache per API version.
  const lookups = enrichmentLookups<VirusTotalReport>(config, env, `${VIRUSTOTAL}-${options.apiVersion}`, apiKey, options);
  const secrets = hookUrl ? [apiKey, hookUrl] : [apiKey];

  const request = (hash: string): HttpRequest =>
    options.apiVersion === 'v2'
      ? {
          method: 'GET',
          url: `${endpoint.base}/vtapi/v2/file/report?${new URLSearchParams({ apikey: apiKey, resource: hash }).toString()}`,
          headers: { 'user-agent': USER_AGENT },
        }
      : {
          method: 'GET',
          url: `${endpoint.base}/api/v3/files/${pathSegment(hash)}`,
          headers: { 'user-agent': USER_AGENT, accept: 'application/json', 'x-apikey': apiKey },
        };

  /** The result event, with the alert's agent context (error events go without it, as in Wazuh). */
  const result = (alert: Alert, report: VirusTotalReport): Step => queueStep(wazuhLocation(alert, VIRUSTOTAL), resultEvent(alert, report));

  const lookup = (alert: Alert, hash: string, key: string): HttpStep => {
    let report: VirusTotalReport | undefined;
    return {
      kind: 'http',
      request: request(hash),
      secrets,
      classify: (response) => {
        const classified = classifyVirusTotal(options.apiVersion, response);
        report = classified.report;
        return classified.verdict;
      },
      after: () => {
        if (report === undefined) return [];
        lookups.remember(key, report, report.found === 0);
        return [result(alert, report)];
      },
      onGiveUp: (last) => {
        const event = giveUpEvent(last);
        return event === undefined ? [] : [queueStep(VIRUSTOTAL, event)];
      },
    };
  };

  return {
    skip: virusTotalSkip,
    plan: (alert) => {
      if (virusTotalSkip(alert) !== undefined) return [];
      const hash = lookupHash(alert, options);
      const key = hash.toLowerCase();
      const hit = lookups.cached(key);
      log.debug(hit ? 'LookupServedFromCache' : 'LookupRequested', { ...labels, hash, alert_id: stringField(alert, 'id') });
      return hit ? [result(alert, hit.value)] : [lookup(alert, hash, key)];
    },
    ...(options.ratePerMinute === undefined ? {} : { requestsPerMinute: options.ratePerMinute }),
    lookups: (alert) => {
      if (virusTotalSkip(alert) !== undefined) return [];
      const hash = lookupHash(alert, options);
      return [{ value: hash, cached: lookups.peek(hash.toLowerCase()) }];
    },
    requestQuota: lookups.reserve,
    ...(parsed.warnings.length === 0 ? {} : { warnings: parsed.warnings }),
    cache: lookups.cache,
  };
};

/**
 * VirusTotal. Options (all optional): `api_version` "v2" (Wazuh's `GET /vtapi/v2/file/report`,
 * md5) or "v3" (`GET /api/v3/files/<sha256 or md5>`, `x-apikey`); `cache_ttl_seconds` (3600; 0 =
 * off), `cache_size` (10000 entries), `rate_per_minute` (none). A bad option or hook_url makes the
 * block unavailable with the reason; create never throws.
 */
export const virustotal = {
  name: VIRUSTOTAL,
  requires: { hookUrl: false, apiKey: true },
  jsonOnlyScript: true,
  demo: {
    service: 'virustotal',
    label: 'VirusTotal',
    start: () => startVirusTotalStandIn(),
    hookUrl: (base) => base,
    describe: (r) => `lookup ${shortText(new URL(r.url, 'http://x').searchParams.get('resource') ?? r.url.split('/').pop() ?? '', 12)}`,
  },
  create: createVirusTotal,
} satisfies Integration;
