// Maltiverse (reference §6.5): hashes, public source IP, hostname and URL of an alert looked up; ECS events written back.

import { createHash } from 'node:crypto';
import { field, stringField, type Alert } from '../alerts/alert.js';
import type { IntegrationConfig } from '../config/integration-config.js';
import { blockLabels } from '../telemetry/metrics.js';
import { log, registerSecret } from '../telemetry/log.js';
import type { BlockIntegration, Integration, IntegrationEnv } from './definition.js';
import type { HttpResponse, HttpStep, Step, Verdict } from '../delivery/step.js';
import type { CacheStats } from './enrichment-cache.js';
import { enrichmentLookups } from './enrichment-lookups.js';
import { wazuhLocation } from './enrichment-event.js';
import { pathSegment } from '../delivery/path-segment.js';
import { queueStep } from '../delivery/queue-message.js';
import { parseEnrichmentOptions } from './enrichment-options.js';
import { MALTIVERSE, maltiverseEvent, truthy } from './maltiverse-event.js';
import { classifySourceIp } from './public-ip.js';
import { DEFAULT_RATE_LIMIT_WAIT_MS, retryAfterMs } from '../delivery/retry-after.js';
import { startMaltiverseStandIn } from '../stand-ins/maltiverse.js';
import { shortText } from './demo-text.js';

const OPTION_KEYS = ['cache_ttl_seconds', 'negative_cache_ttl_seconds', 'cache_size', 'rate_per_minute'] as const;
/** The skip reason of an alert with nothing to look up (Wazuh runs its script anyway and sends nothing). */
export const MALTIVERSE_SKIP = 'maltiverse-no-indicator';

/** Wazuh's is_valid_url (4.14): http(s), host of letters/digits/./- with an optional 1–5 digit port, no unsafe characters after it. */
export const isValidMaltiverseHookUrl = (url: string): boolean => {
  const parts = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)(.*)$/s.exec(url);
  if (parts === null) return false;
  const [, scheme = '', netloc = '', rest = ''] = parts;
  return ['http', 'https'].includes(scheme.toLowerCase()) && /^[A-Za-z0-9.-]+(?::[0-9]{1,5})?$/.test(netloc) && !/[<>"'{}|\\^`]/.test(rest);
};

/** One lookup of an alert: what is looked up, where, and its cache key. */
export interface Indicator {
  readonly kind: 'md5' | 'sha1' | 'ip' | 'hostname' | 'url';
  /** The looked-up value as the alert has it (the event's threat.indicator.name). */
  readonly name: string;
  /** Path under hook_url: `sample/md5/<md5>`, `ip/<ip>`, `url/<sha256 of the URL>`… */
  readonly path: string;
  /** For URLs: the checksum, used in the event's reference. */
  readonly ref?: string;
}


/**
 * The lookups of an alert in Wazuh's order: syscheck md5_after, sha1_after, a public data.srcip,
 * data.hostname, data.url (by the sha256 of its UTF-8 text). Only non-empty strings count (Wazuh
 * would send `None` or a number as text). `invalidIp` is set when srcip is not an address.
 */
export const maltiverseIndicators = (alert: Alert): { readonly indicators: Indicator[]; readonly invalidIp?: string } => {
  const indicators: Indicator[] = [];
  const text = (...path: string[]) => {
    const value = stringField(alert, ...path);
    return value === undefined || value === '' ? undefined : value;
  };
  const md5 = text('syscheck', 'md5_after');
  if (md5 !== undefined) indicators.push({ kind: 'md5', name: md5, path: `sample/md5/${pathSegment(md5)}` });
  const sha1 = text('syscheck', 'sha1_after');
  if (sha1 !== undefined) indicators.push({ kind: 'sha1', name: sha1, path: `sample/sha1/${pathSegment(sha1)}` });
  const srcip = field(alert, 'data', 'srcip');
  let invalidIp: string | undefined;
  if (srcip !== undefined) {
    const kind = typeof srcip === 'string' ? classifySourceIp(srcip) : 'invalid';
    if (kind === 'public') indicators.push({ kind: 'ip', name: srcip as string, path: `ip/${pathSegment(srcip as string)}` });
    if (kind === 'invalid') invalidIp = String(srcip);
  }
  const hostname = text('data', 'hostname');
  if (hostname !== undefined) indicators.push({ kind: 'hostname', name: hostname, path: `hostname/${pathSegment(hostname)}` });
  const url = text('data', 'url');
  if (url !== undefined) {
    const checksum = createHash('sha256').update(url, 'utf8').digest('hex');
    indicators.push({ kind: 'url', name: url, path: `url/${checksum}`, ref: checksum });
  }
  return invalidIp === undefined ? { indicators } : { indicators, invalidIp };
};

const parseJson = (body: string): { value: unknown } | undefined => {
  try {
    return { value: JSON.parse(body) as unknown };
  } catch {
    return undefined;
  }
};

/**
 * Unlike Wazuh (which turns every answer into an event), HTTP errors are verdicts: 2xx with JSON →
 * delivered; 404 → delivered, unknown indicator (no event); 429 → retry after Retry-After (else
 * 60 s), destination paused; 5xx → retry; a non-JSON 2xx and any other status → drop.
 */
export const classifyMaltiverse = (response: HttpResponse): { verdict: Verdict; answer?: unknown } => {
  const { status } = response;
  if (status >= 200 && status < 300) {
    const json = parseJson(response.body);
    return json === undefined ? { verdict: { kind: 'drop', reason: `maltiverse answered ${status} with a body that is not JSON` } } : { verdict: { kind: 'delivered' }, answer: json.value };
  }
  if (status === 404) return { verdict: { kind: 'delivered', detail: 'unknown indicator' }, answer: null };
  if (status === 429) return { verdict: { kind: 'retry', reason: 'maltiverse rate limit (429)', afterMs: retryAfterMs(response.headers) ?? DEFAULT_RATE_LIMIT_WAIT_MS, pause: true } };
  if (status >= 500) {
    const afterMs = retryAfterMs(response.headers);
    return { verdict: afterMs === undefined ? { kind: 'retry', reason: `maltiverse answered ${status}` } : { kind: 'retry', reason: `maltiverse answered ${status}`, afterMs } };
  }
  return { verdict: { kind: 'drop', reason: `maltiverse answered ${status}` } };
};

/** A block's Maltiverse integration, with its cache counters. */
export interface MaltiverseBlock extends BlockIntegration {
  readonly cache: { readonly stats: CacheStats };
}

const unavailable = (reason: string): MaltiverseBlock => ({ plan: () => [], unavailable: reason, cache: { stats: { hits: 0, misses: 0, size: 0 } } });

const createMaltiverse = (config: IntegrationConfig, env: IntegrationEnv): MaltiverseBlock => {
  const apiKey = config.apiKey?.reveal() ?? '';
  const hookUrl = config.hookUrl?.reveal() ?? '';
  if (hookUrl === '' || apiKey === '') return unavailable('maltiverse needs a hook_url and an api_key');
  if (!isValidMaltiverseHookUrl(hookUrl)) {
    return unavailable('hook_url seems to be invalid: Wazuh accepts http(s)://host[:port] without user info, and none of < > " \' { } | \\ ^ ` after it');
  }
  const parsed = parseEnrichmentOptions(config.options, OPTION_KEYS);
  if (!parsed.ok) return unavailable(parsed.error);
  registerSecret(apiKey);
  registerSecret(hookUrl);
  const labels = blockLabels(config.index, config.name);
  const lookups = enrichmentLookups<Readonly<Record<string, unknown>> | null>(config, env, MALTIVERSE, apiKey, parsed.options);
  // os.path.join: a trailing slash on hook_url is not doubled.
  const base = hookUrl.endsWith('/') ? hookUrl : `${hookUrl}/`;
  const headers = { accept: 'application/json', authorization: `Bearer ${apiKey}` };
  const secrets = [apiKey, hookUrl];

  const event = (alert: Alert, indicator: Indicator, ioc: Readonly<Record<string, unknown>> | null): Step[] =>
    ioc === null ? [] : [queueStep(wazuhLocation(alert, MALTIVERSE), maltiverseEvent(field(alert, 'id'), ioc, indicator.name, indicator.ref))];

  const lookup = (alert: Alert, indicator: Indicator, key: string): HttpStep => {
    let answer: unknown;
    return {
      kind: 'http',
      request: { method: 'GET', url: `${base}${indicator.path}`, headers },
      secrets,
      classify: (response) => {
        const classified = classifyMaltiverse(response);
        answer = classified.answer;
        return classified.verdict;
      },
      after: () => {
        // Wazuh writes an event for any truthy answer; only a non-empty object can be an IoC here.
        const ioc = truthy(answer) && typeof answer === 'object' && !Array.isArray(answer) ? (answer as Record<string, unknown>) : null;
        if (ioc === null && truthy(answer)) log.debug('MaltiverseAnswerIgnored', { ...labels, indicator: indicator.kind, reason: 'not a JSON object' });
        lookups.remember(key, ioc, ioc === null);
        return event(alert, indicator, ioc);
      },
    };
  };

  const indicatorsOf = (alert: Alert): Indicator[] => {
    const { indicators, invalidIp } = maltiverseIndicators(alert);
    if (invalidIp !== undefined) log.debug(`# Maltiverse: Invalid IP address format: ${invalidIp}`, labels);
    return indicators;
  };

  return {
    skip: (alert) => (maltiverseIndicators(alert).indicators.length === 0 ? MALTIVERSE_SKIP : undefined),
    plan: (alert) =>
      indicatorsOf(alert).flatMap((indicator): Step[] => {
        const key = `${indicator.kind}:${indicator.ref ?? indicator.name}`;
        const hit = lookups.cached(key);
        log.debug(hit ? 'LookupServedFromCache' : 'LookupRequested', { ...labels, indicator: indicator.kind, alert_id: stringField(alert, 'id') });
        return hit ? event(alert, indicator, hit.value) : [lookup(alert, indicator, key)];
      }),
    ...(parsed.options.ratePerMinute === undefined ? {} : { requestsPerMinute: parsed.options.ratePerMinute }),
    lookups: (alert) => maltiverseIndicators(alert).indicators.map((i) => ({ value: i.name, cached: lookups.peek(`${i.kind}:${i.ref ?? i.name}`) })),
    requestQuota: lookups.reserve,
    ...(parsed.warnings.length === 0 ? {} : { warnings: parsed.warnings }),
    cache: lookups.cache,
  };
};

/**
 * Maltiverse. Requires hook_url (the API base, validated like Wazuh at create time) and api_key
 * (a Bearer token). Options (all optional): `cache_ttl_seconds` (3600; 0 = off), `cache_size`
 * (10000 entries), `rate_per_minute` (none). create never throws: problems make it unavailable.
 */
export const maltiverse = {
  name: MALTIVERSE,
  requires: { hookUrl: true, apiKey: true },
  jsonOnlyScript: true,
  demo: {
    service: 'maltiverse',
    label: 'Maltiverse',
    start: () => startMaltiverseStandIn(),
    hookUrl: (base) => base,
    describe: (r) => `lookup ${shortText(decodeURIComponent(r.url), 40)}`,
  },
  create: createMaltiverse,
} satisfies Integration;
