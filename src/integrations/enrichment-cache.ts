// The local enrichment cache: a bounded LRU with a time-to-live (shorter for negative answers), counting hits and misses.

import type { CachedAnswer, CacheLimits, EnrichmentCacheStore } from './enrichment-stores.js';

/** Default time-to-live, in seconds: a verdict rarely changes within an hour, and VirusTotal's public quota is 4 lookups/min. */
export const DEFAULT_CACHE_TTL_SECONDS = 3600;
/** Default TTL of a negative answer (unknown indicator, no reports): a clean indicator may be reported soon. */
export const DEFAULT_NEGATIVE_TTL_SECONDS = 600;
/** Default bound, in entries: ~300 B per VirusTotal answer, a few KB per Maltiverse answer → tens of MB at worst. */
export const DEFAULT_CACHE_SIZE = 10_000;

export interface CacheStats {
  readonly hits: number;
  readonly misses: number;
  /** Entries held now (expired ones are removed when met). */
  readonly size: number;
}

export interface EnrichmentCacheOptions extends Partial<CacheLimits> {
  /** Called on every lookup (hit or miss): feeds the metrics. */
  readonly onLookup?: (hit: boolean) => void;
  /** Clock in ms since the epoch (answers persist across restarts), for tests. */
  readonly now?: () => number;
}

/** The local store, with what persisting it needs: its fresh entries (least recently used first), loading them back, a change count. */
export interface EnrichmentCache<V> extends EnrichmentCacheStore<V> {
  get(key: string): { readonly value: V } | undefined;
  set(key: string, value: V, options?: { readonly negative?: boolean }): void;
  has(key: string): boolean;
  entries(): CachedAnswer<V>[];
  /** Adds entries read back (expired ones ignored, the bound kept); returns how many were taken. */
  load(entries: Iterable<CachedAnswer<V>>): number;
  /** Grows on every set: a persister writes when it changed. */
  readonly version: number;
}

interface Entry<V> {
  readonly value: V;
  readonly expiresAt: number;
}

/**
 * Creates a cache. A Map keeps insertion order: a hit is re-inserted (most recent last), the first
 * key is the least recently used. Never throws.
 */
export const createEnrichmentCache = <V>(options: EnrichmentCacheOptions = {}): EnrichmentCache<V> => {
  const ttlSeconds = options.ttlSeconds ?? DEFAULT_CACHE_TTL_SECONDS;
  const limits: CacheLimits = {
    ttlSeconds,
    negativeTtlSeconds: Math.min(ttlSeconds, options.negativeTtlSeconds ?? DEFAULT_NEGATIVE_TTL_SECONDS),
    maxEntries: Math.max(1, options.maxEntries ?? DEFAULT_CACHE_SIZE),
  };
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry<V>>();
  let hits = 0;
  let misses = 0;
  let version = 0;

  const count = (hit: boolean) => {
    if (hit) hits++;
    else misses++;
    options.onLookup?.(hit);
  };
  const put = (key: string, entry: Entry<V>) => {
    entries.delete(key);
    entries.set(key, entry);
    while (entries.size > limits.maxEntries) {
      const oldest = entries.keys().next();
      if (oldest.done === true) break;
      entries.delete(oldest.value);
    }
  };

  return {
    limits,
    get: (key) => {
      const entry = entries.get(key);
      if (entry !== undefined && entry.expiresAt > now()) {
        entries.delete(key);
        entries.set(key, entry);
        count(true);
        return { value: entry.value };
      }
      if (entry !== undefined) entries.delete(key);
      count(false);
      return undefined;
    },
    set: (key, value, setOptions) => {
      const ms = (setOptions?.negative === true ? limits.negativeTtlSeconds : limits.ttlSeconds) * 1000;
      if (ms <= 0) return;
      put(key, { value, expiresAt: now() + ms });
      version++;
    },
    has: (key) => (entries.get(key)?.expiresAt ?? 0) > now(),
    entries: () => {
      const t = now();
      const fresh: CachedAnswer<V>[] = [];
      for (const [key, entry] of entries) if (entry.expiresAt > t) fresh.push({ key, value: entry.value, expiresAt: entry.expiresAt });
      return fresh;
    },
    load: (loaded) => {
      if (limits.ttlSeconds <= 0) return 0;
      const t = now();
      // An entry is never kept past the TTL configured now, whatever the file says.
      const latest = t + limits.ttlSeconds * 1000;
      let taken = 0;
      for (const { key, value, expiresAt } of loaded) {
        if (!(expiresAt > t) || entries.has(key)) continue;
        put(key, { value, expiresAt: Math.min(expiresAt, latest) });
        taken++;
      }
      return taken;
    },
    get version() {
      return version;
    },
    get stats() {
      return { hits, misses, size: entries.size };
    },
  };
};
