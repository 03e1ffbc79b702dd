// A bounded LRU cache with a time-to-live for threat-intelligence answers, counting hits and misses.

/** Default time-to-live, in seconds: a verdict rarely changes within an hour, and VirusTotal's public quota is 4 lookups/min. */
export const DEFAULT_CACHE_TTL_SECONDS = 3600;
/** Default bound, in entries: ~300 B per VirusTotal answer, a few KB per Maltiverse answer → tens of MB at worst. */
export const DEFAULT_CACHE_SIZE = 10_000;

export interface CacheStats {
  readonly hits: number;
  readonly misses: number;
  /** Entries held now (expired ones are removed when met). */
  readonly size: number;
}

export interface EnrichmentCacheOptions {
  /** Seconds an answer is reused; 0 disables the cache (every lookup is a miss). */
  readonly ttlSeconds?: number;
  /** Most entries kept; the least recently used goes first. */
  readonly maxEntries?: number;
  /** Called on every lookup (hit or miss): feeds the metrics. */
  readonly onLookup?: (hit: boolean) => void;
  /** Clock in ms, for tests. */
  readonly now?: () => number;
}

export interface EnrichmentCache<V> {
  /** The fresh answer for `key` (counted as a hit), or undefined (counted as a miss). */
  lookup(key: string): { readonly value: V } | undefined;
  /**
   * Stores an answer (a negative answer too: `null` for "unknown indicator"), for `ttlSeconds`
   * when given (never longer than the cache's TTL: negative answers are kept shorter), else the cache's TTL.
   */
  store(key: string, value: V, ttlSeconds?: number): void;
  readonly stats: CacheStats;
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
  const ttlMs = (options.ttlSeconds ?? DEFAULT_CACHE_TTL_SECONDS) * 1000;
  const maxEntries = Math.max(1, options.maxEntries ?? DEFAULT_CACHE_SIZE);
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry<V>>();
  let hits = 0;
  let misses = 0;

  const count = (hit: boolean) => {
    if (hit) hits++;
    else misses++;
    options.onLookup?.(hit);
  };

  return {
    lookup: (key) => {
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
    store: (key, value, ttlSeconds) => {
      const ms = ttlSeconds === undefined ? ttlMs : Math.min(ttlMs, ttlSeconds * 1000);
      if (ms <= 0) return;
      entries.delete(key);
      entries.set(key, { value, expiresAt: now() + ms });
      while (entries.size > maxEntries) {
        const oldest = entries.keys().next();
        if (oldest.done === true) break;
        entries.delete(oldest.value);
      }
    },
    get stats() {
      return { hits, misses, size: entries.size };
    },
  };
};
