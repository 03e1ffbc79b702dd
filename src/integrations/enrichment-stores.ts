// The stores behind every enrichment (answer caches, api_key quotas): interfaces a Redis implementation can stand behind, and the process-local ones.

import { createHash } from 'node:crypto';
import { TokenBucket } from '../alerts/token-bucket.js';
import { createEnrichmentCache, type CacheStats, type EnrichmentCache } from './enrichment-cache.js';

/** A value now (local stores: no per-alert I/O) or later (a store over the network). */
export type Awaitable<T> = T | Promise<T>;

/** How one integration's cache is bounded: TTL of an answer, shorter TTL of a negative answer, most entries. */
export interface CacheLimits {
  /** Seconds an answer is reused; 0 disables the cache. */
  readonly ttlSeconds: number;
  /** Seconds a negative answer ("nothing known about it") is reused; never longer than ttlSeconds. */
  readonly negativeTtlSeconds: number;
  /** Most entries kept; the least recently used goes first. */
  readonly maxEntries: number;
}

/** One cached answer as it is persisted or shared: the key, the answer (null = negative) and when it expires (ms since the epoch). */
export interface CachedAnswer<V> {
  readonly key: string;
  readonly value: V;
  readonly expiresAt: number;
}

/**
 * The cache of one integration (`virustotal-v2`, `abuseipdb`, `misp` …): answers by indicator, each
 * kept for the cache's TTL (negative answers for the shorter negative TTL), at most `maxEntries`.
 * `get` counts a hit or a miss. Integrations plan an alert synchronously: a store whose `get`
 * returns a Promise (a network store) is taken as a miss by them, so such a store should answer from
 * a local tier it keeps and fill that tier in the background. Never throws.
 */
export interface EnrichmentCacheStore<V> {
  get(key: string): Awaitable<{ readonly value: V } | undefined>;
  /** Stores an answer; `negative` ones are kept for `limits.negativeTtlSeconds`. */
  set(key: string, value: V, options?: { readonly negative?: boolean }): Awaitable<void>;
  /** Whether a fresh answer of `key` is held, without counting a hit or a miss (explain). */
  has(key: string): Awaitable<boolean>;
  readonly limits: CacheLimits;
  readonly stats: CacheStats;
}

/** What a service said of a key's quota (AbuseIPDB: X-RateLimit-Limit/-Remaining/-Reset); absent = not stated. */
export interface QuotaReport {
  readonly limit?: number;
  readonly remaining?: number;
  /** When the quota refills, ms since the epoch. */
  readonly resetAt?: number;
}

/** A key's quota as known now (metrics, /healthz, explain). */
export interface QuotaState extends QuotaReport {
  /** Requests per minute of the key's token bucket; undefined = none. */
  readonly perMinute?: number;
  /** Lookups are held until then (ms since the epoch): the service said the quota is spent. */
  readonly spentUntil?: number;
}

/**
 * The quotas of API keys, one entry per key shared by every block that uses it, identified by
 * `apiKeyId(key)` (a hash: the key itself is never stored, logged or shown). `take` reserves the
 * key's next token and says how long to wait for it (0: go now); while the service says the quota
 * is spent (`remaining` 0 with a reset, or a 429) it says how long until the reset, without
 * reserving. `record` keeps what the service's headers said. Never throws.
 */
export interface EnrichmentQuotaStore {
  /** Sets the key's requests per minute (the lowest of the blocks that use the key wins); undefined leaves it unlimited. */
  configure(keyId: string, perMinute: number | undefined): void;
  take(keyId: string): Awaitable<number>;
  /** How long lookups with this key must wait now (0: they may go), without taking a token. */
  waitMs(keyId: string): Awaitable<number>;
  record(keyId: string, report: QuotaReport): Awaitable<void>;
  /** The service said the quota is spent until `until` (ms since the epoch): a 429 with Retry-After. */
  spend(keyId: string, until: number): Awaitable<void>;
  state(keyId: string): QuotaState | undefined;
}

/** Every enrichment store of a process: one cache per integration, one quota store for every key. */
export interface EnrichmentStores {
  /** The cache of `namespace`, created with `limits` on first use (later blocks share it as it is). */
  cache<V>(namespace: string, limits: CacheLimits): EnrichmentCacheStore<V>;
  readonly quotas: EnrichmentQuotaStore;
}

/** The id of an api_key in stores, metrics and logs: the first 16 hex digits of its SHA-256. */
export const apiKeyId = (apiKey: string): string => createHash('sha256').update(apiKey, 'utf8').digest('hex').slice(0, 16);

interface KeyQuota {
  perMinute: number | undefined;
  bucket: TokenBucket | undefined;
  report: QuotaReport;
  spentUntil: number | undefined;
}

/** The quota store of one process: token buckets and reported quotas in memory, on the wall clock (or `now`). */
export const createLocalQuotaStore = (now: () => number = Date.now): EnrichmentQuotaStore => {
  const keys = new Map<string, KeyQuota>();
  const entry = (keyId: string): KeyQuota => {
    let found = keys.get(keyId);
    if (found === undefined) keys.set(keyId, (found = { perMinute: undefined, bucket: undefined, report: {}, spentUntil: undefined }));
    return found;
  };
  const held = (q: KeyQuota): number => {
    const t = now();
    const reset = q.report.remaining === 0 && q.report.resetAt !== undefined ? q.report.resetAt : undefined;
    const until = Math.max(q.spentUntil ?? 0, reset ?? 0);
    return until > t ? until - t : 0;
  };
  return {
    configure: (keyId, perMinute) => {
      const q = entry(keyId);
      if (perMinute === undefined || !(perMinute > 0) || (q.perMinute !== undefined && q.perMinute <= perMinute)) return;
      q.perMinute = perMinute;
      q.bucket = new TokenBucket(perMinute, { per: 'minute', burst: 1, now });
    },
    take: (keyId) => {
      const q = entry(keyId);
      const wait = held(q);
      if (wait > 0) return wait;
      return Math.ceil(q.bucket?.take() ?? 0);
    },
    waitMs: (keyId) => held(entry(keyId)),
    record: (keyId, report) => {
      const q = entry(keyId);
      q.report = { ...q.report, ...report };
      if (report.remaining !== undefined && report.remaining > 0) q.spentUntil = undefined;
    },
    spend: (keyId, until) => {
      const q = entry(keyId);
      q.spentUntil = Math.max(q.spentUntil ?? 0, until);
      q.report = { ...q.report, remaining: 0 };
    },
    state: (keyId) => {
      const q = keys.get(keyId);
      if (q === undefined) return undefined;
      const spent = held(q) > 0 ? { spentUntil: now() + held(q) } : {};
      return { ...q.report, ...(q.perMinute === undefined ? {} : { perMinute: q.perMinute }), ...spent };
    },
  };
};

/** The local stores, with what persisting their caches needs. */
export interface LocalEnrichmentStores extends EnrichmentStores {
  readonly caches: ReadonlyMap<string, EnrichmentCache<unknown>>;
  /** Entries read back from STATE for caches not created yet: a cache takes its own when it is created. */
  readonly pending: Map<string, CachedAnswer<unknown>[]>;
}

/** The stores of one process, in memory: caches (persisted by enrichment-cache-file.ts) and quotas. */
export const createLocalEnrichmentStores = (options: { readonly now?: () => number } = {}): LocalEnrichmentStores => {
  const caches = new Map<string, EnrichmentCache<unknown>>();
  const pending = new Map<string, CachedAnswer<unknown>[]>();
  return {
    cache: <V>(namespace: string, limits: CacheLimits) => {
      let found = caches.get(namespace);
      if (found === undefined) {
        caches.set(namespace, (found = createEnrichmentCache<unknown>({ ...limits, ...(options.now ? { now: options.now } : {}) })));
        found.load(pending.get(namespace) ?? []);
        pending.delete(namespace);
      }
      return found as EnrichmentCacheStore<V>;
    },
    quotas: createLocalQuotaStore(options.now),
    caches,
    pending,
  };
};
