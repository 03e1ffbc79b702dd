// The <options> of the enrichment integrations (VirusTotal, Maltiverse, AbuseIPDB): API version, cache, rate limit.

import { DEFAULT_CACHE_SIZE, DEFAULT_CACHE_TTL_SECONDS, DEFAULT_NEGATIVE_TTL_SECONDS } from './enrichment-cache.js';

/** VirusTotal's API: v2 (Wazuh's) or v3. */
export type VirusTotalApiVersion = 'v2' | 'v3';

export interface EnrichmentOptions {
  /** VirusTotal only: `v2` (Wazuh's, the default) or `v3`. */
  readonly apiVersion: VirusTotalApiVersion;
  readonly cacheTtlSeconds: number;
  readonly cacheSize: number;
  /** Seconds a negative answer (unknown indicator, no reports) is reused: at most cacheTtlSeconds. */
  readonly negativeCacheTtlSeconds: number;
  /** Requests per minute of the block; undefined = no limit (Wazuh has none). */
  readonly ratePerMinute: number | undefined;
}

/** The options read, with warnings to log; or why the block cannot run. */
export type ParsedOptions =
  | { readonly ok: true; readonly options: EnrichmentOptions; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly error: string };

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u);

/**
 * Reads `{"api_version": "v2"|"v3", "cache_ttl_seconds": N ≥ 0, "negative_cache_ttl_seconds": N ≥ 0, "cache_size": N ≥ 1 (integer),
 * "rate_per_minute": N > 0}`; every key is optional. `keys` lists the keys this integration
 * accepts; others are reported as warnings (Wazuh ignores options for these integrations, so an
 * unknown key must not disable the block). A bad value of a known key is an error: the block is
 * then unavailable with that message. Never throws.
 */
export const parseEnrichmentOptions = (raw: unknown, keys: readonly string[]): ParsedOptions => {
  const options: { -readonly [K in keyof EnrichmentOptions]: EnrichmentOptions[K] } = {
    apiVersion: 'v2',
    cacheTtlSeconds: DEFAULT_CACHE_TTL_SECONDS,
    cacheSize: DEFAULT_CACHE_SIZE,
    negativeCacheTtlSeconds: DEFAULT_NEGATIVE_TTL_SECONDS,
    ratePerMinute: undefined,
  };
  if (raw === undefined) return { ok: true, options, warnings: [] };
  if (!isRecord(raw)) return { ok: false, error: 'options must be a JSON object' };
  const warnings: string[] = [];
  const number = (key: string, value: unknown, valid: (n: number) => boolean, rule: string): number | string =>
    typeof value === 'number' && Number.isFinite(value) && valid(value) ? value : `options.${key} must be ${rule} (got ${JSON.stringify(value)})`;

  for (const [key, value] of Object.entries(raw)) {
    if (!keys.includes(key)) {
      warnings.push(`options.${key} is not used by this integration (known: ${keys.join(', ')})`);
      continue;
    }
    let result: number | string | undefined;
    switch (key) {
      case 'api_version':
        if (value !== 'v2' && value !== 'v3') return { ok: false, error: `options.api_version must be "v2" or "v3" (got ${JSON.stringify(value)})` };
        options.apiVersion = value;
        break;
      case 'cache_ttl_seconds':
        result = number(key, value, (n) => n >= 0, 'a number of seconds ≥ 0 (0 disables the cache)');
        if (typeof result === 'number') options.cacheTtlSeconds = result;
        break;
      case 'negative_cache_ttl_seconds':
        result = number(key, value, (n) => n >= 0, 'a number of seconds ≥ 0 (0: negative answers are not cached)');
        if (typeof result === 'number') options.negativeCacheTtlSeconds = result;
        break;
      case 'cache_size':
        result = number(key, value, (n) => Number.isInteger(n) && n >= 1, 'an integer ≥ 1');
        if (typeof result === 'number') options.cacheSize = result;
        break;
      case 'rate_per_minute':
        result = number(key, value, (n) => n > 0, 'a number > 0');
        if (typeof result === 'number') options.ratePerMinute = result;
        break;
    }
    if (typeof result === 'string') return { ok: false, error: result };
  }
  return { ok: true, options, warnings };
};
