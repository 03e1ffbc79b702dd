// Enrichment caches shared by a Wazuh cluster's nodes: every answer one node gets is in Redis (with its TTL) and announced to the others.

import type { CacheLimits, CachedAnswer, EnrichmentCacheStore, EnrichmentStores, LocalEnrichmentStores } from '../integrations/enrichment-stores.js';
import { log } from '../telemetry/log.js';
import { RedisQuotaStore } from './redis-quota-store.js';
import type { SharedState } from './shared-state.js';

/** 64 KiB: a larger answer stays in this node's cache only (Redis and every node's memory are not filled by one attacker-chosen answer). */
export const MAX_SHARED_ANSWER_BYTES = 64 * 1024;

const CHANNEL = 'enrichment-answers';

interface Announced extends CachedAnswer<unknown> {
  readonly ns: string;
}

/**
 * Caches: each integration's local cache (sync, as integrations plan alerts) as the first tier, Redis
 * (`integratord:<cluster>:enrich:<namespace>:<key>`, expiring with the answer) behind it. An answer set
 * on one node is written to Redis and announced; every node puts it in its local cache at once, so
 * the next alert with that indicator is a hit on any node. A local miss also asks Redis in the
 * background (an answer another node got while this one was away). Quotas: RedisQuotaStore.
 */
export const createRedisEnrichmentStores = (shared: SharedState, local: LocalEnrichmentStores): EnrichmentStores & { close(): void } => {
  const caches = new Map<string, EnrichmentCacheStore<unknown>>();
  const redisKey = (ns: string, key: string) => shared.key('enrich', ns, key);
  const take = (answer: Announced) => {
    const cache = local.caches.get(answer.ns);
    if (cache !== undefined) cache.load([answer]);
  };
  const sub = shared.subscriber();
  sub.on('message', (_channel: string, text: string) => {
    try {
      take(JSON.parse(text) as Announced);
    } catch {
      // Not ours: ignored.
    }
  });
  sub.subscribe(shared.key(CHANNEL)).catch(() => undefined);
  const fetching = new Set<string>();
  const fetch = (ns: string, key: string) => {
    const id = `${ns}\n${key}`;
    if (fetching.has(id) || !shared.up) return;
    fetching.add(id);
    void shared
      .attempt('enrichment', (r) => r.get(redisKey(ns, key)))
      .then((text) => {
        if (typeof text === 'string') take(JSON.parse(text) as Announced);
      })
      .catch(() => undefined)
      .finally(() => fetching.delete(id));
  };
  const cache = <V>(ns: string, limits: CacheLimits): EnrichmentCacheStore<V> => {
    const found = caches.get(ns);
    if (found !== undefined) return found as EnrichmentCacheStore<V>;
    const first = local.cache<V>(ns, limits);
    const store: EnrichmentCacheStore<V> = {
      get: (key) => {
        const hit = first.get(key);
        if (hit === undefined && limits.ttlSeconds > 0) fetch(ns, key);
        return hit;
      },
      set: (key, value, options) => {
        void first.set(key, value, options);
        const ttl = (options?.negative === true ? Math.min(limits.negativeTtlSeconds, limits.ttlSeconds) : limits.ttlSeconds) * 1000;
        if (ttl <= 0) return;
        const text = JSON.stringify({ ns, key, value, expiresAt: Date.now() + ttl } satisfies Announced);
        if (Buffer.byteLength(text) > MAX_SHARED_ANSWER_BYTES) {
          if (log.enabled('debug')) log.debug('EnrichmentAnswerNotShared', { namespace: ns, bytes: Buffer.byteLength(text), max_bytes: MAX_SHARED_ANSWER_BYTES });
          return;
        }
        void shared.attempt('enrichment', (r) => r.multi().set(redisKey(ns, key), text, 'PX', ttl).publish(shared.key(CHANNEL), text).exec());
      },
      has: (key) => first.has(key),
      limits: first.limits,
      get stats() {
        return first.stats;
      },
    };
    caches.set(ns, store);
    return store;
  };
  return { cache, quotas: new RedisQuotaStore(shared), close: () => void sub.unsubscribe().catch(() => undefined) };
};
