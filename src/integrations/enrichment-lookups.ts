// What every enrichment block shares: its integration's cache (hits and misses counted per block) and its api_key's quota (one bucket for every block using the key).

import type { IntegrationConfig } from '../config/integration-config.js';
import { blockLabels } from '../telemetry/metrics.js';
import type { CacheStats } from './enrichment-cache.js';
import type { EnrichmentOptions } from './enrichment-options.js';
import { apiKeyId, createLocalEnrichmentStores, type Awaitable, type EnrichmentStores, type QuotaReport } from './enrichment-stores.js';
import type { IntegrationEnv } from './definition.js';

/** One block's view of the enrichment stores. */
export interface EnrichmentLookups<V> {
  /** The cached answer of `key` (a hit or a miss counted for the block); a store that answers later counts as a miss. */
  cached(key: string): { readonly value: V } | undefined;
  /** Keeps an answer; a negative one (nothing known) for the shorter TTL. */
  remember(key: string, value: V, negative: boolean): void;
  /** Reserves the key's next request: the ms to wait before sending it (the quota spent: until its reset). */
  reserve(): Awaitable<number>;
  /** What the service's answer said of the key's quota (metrics: integratord_enrichment_quota_left). */
  quota(report: QuotaReport): void;
  /** The service said the quota is spent until `until` (ms since the epoch). */
  spent(until: number): void;
  /** Whether `key` is cached now, without counting (explain). */
  peek(key: string): boolean;
  readonly cache: { readonly stats: CacheStats };
  readonly keyId: string;
}

const isPromise = <T>(value: Awaitable<T>): value is Promise<T> => typeof (value as Promise<T>)?.then === 'function';

/**
 * The lookups of one block: the cache of `namespace` (one per integration and answer shape, such as
 * `virustotal-v3`) from the daemon's stores (`env.enrichment`; a block of its own when absent: library
 * use, specs), and the quota of `apiKey` (by its hash) at the block's rate_per_minute.
 */
export const enrichmentLookups = <V>(config: IntegrationConfig, env: IntegrationEnv, namespace: string, apiKey: string, options: EnrichmentOptions): EnrichmentLookups<V> => {
  const stores: EnrichmentStores = env.enrichment ?? createLocalEnrichmentStores();
  const labels = blockLabels(config.index, config.name);
  const cache = stores.cache<V>(namespace, { ttlSeconds: options.cacheTtlSeconds, negativeTtlSeconds: options.negativeCacheTtlSeconds, maxEntries: options.cacheSize });
  const keyId = apiKeyId(apiKey);
  stores.quotas.configure(keyId, options.ratePerMinute);
  let hits = 0;
  let misses = 0;
  let waiting = 0;
  /** A lookup held until the quota refills: counted in integratord_enrichment_waiting for as long as it waits. */
  const held = (ms: number) => {
    env.metrics?.enrichmentWaiting.set(labels, ++waiting);
    setTimeout(() => env.metrics?.enrichmentWaiting.set(labels, --waiting), ms).unref();
  };
  const left = () => {
    const state = stores.quotas.state(keyId);
    if (state?.remaining !== undefined) env.metrics?.enrichmentQuotaLeft.set(labels, state.spentUntil === undefined ? state.remaining : 0);
  };
  return {
    cached: (key) => {
      const answer = cache.get(key);
      const hit = isPromise(answer) ? undefined : answer;
      if (hit === undefined) misses++;
      else hits++;
      (hit === undefined ? env.metrics?.enrichmentCacheMisses : env.metrics?.enrichmentCacheHits)?.inc(labels);
      return hit;
    },
    remember: (key, value, negative) => void cache.set(key, value, { negative }),
    reserve: () => {
      const spent = stores.quotas.waitMs(keyId);
      if (typeof spent === 'number' && spent > 0) held(spent);
      return stores.quotas.take(keyId);
    },
    quota: (report) => {
      void stores.quotas.record(keyId, report);
      left();
    },
    spent: (until) => {
      void stores.quotas.spend(keyId, until);
      env.metrics?.enrichmentQuotaLeft.set(labels, 0);
    },
    peek: (key) => {
      const has = cache.has(key);
      return isPromise(has) ? false : has;
    },
    cache: {
      get stats() {
        return { hits, misses, size: cache.stats.size };
      },
    },
    keyId,
  };
};
