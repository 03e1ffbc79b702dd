// The enrichment caches kept across restarts: STATE/enrichment-cache.json, loaded at start, replaced atomically every minute when changed and at stop.

import { join } from 'node:path';
import { errorCode, errorMessage } from '../errors.js';
import { readStateFile, writeFileAtomically } from '../state/safe-file.js';
import { log } from '../telemetry/log.js';
import type { CachedAnswer, LocalEnrichmentStores } from './enrichment-stores.js';

/** The file's name under STATE. */
export const ENRICHMENT_CACHE_FILE = 'enrichment-cache.json';
/** How often changed caches are written (ms): never per alert. */
export const CACHE_SAVE_EVERY_MS = 60_000;
/** Largest file read or written (32 MiB): past it the least recently used entries are left out. */
export const MAX_CACHE_FILE_BYTES = 32 * 1024 * 1024;
/** Largest answer kept on disk (64 KiB of JSON): a bigger one (service text is attacker input) stays in memory only. */
export const MAX_PERSISTED_ANSWER_BYTES = 64 * 1024;

/** `{"version": 1, "caches": {namespace: [[key, value, expiresAt], …]}}`, least recently used first. */
interface CacheFile {
  readonly version: 1;
  readonly caches: Record<string, [string, unknown, number][]>;
}

const isEntry = (u: unknown): u is [string, unknown, number] => Array.isArray(u) && u.length === 3 && typeof u[0] === 'string' && typeof u[2] === 'number';

/** The entries of a file's content by namespace; malformed entries are left out. Throws on a file that is not this format. */
export const readCacheFile = (text: string): Map<string, CachedAnswer<unknown>[]> => {
  const json = JSON.parse(text) as unknown;
  const caches = typeof json === 'object' && json !== null && (json as CacheFile).version === 1 ? (json as CacheFile).caches : undefined;
  if (typeof caches !== 'object' || caches === null || Array.isArray(caches)) throw new Error('not an integratord enrichment cache file (version 1)');
  const loaded = new Map<string, CachedAnswer<unknown>[]>();
  for (const [namespace, entries] of Object.entries(caches)) {
    if (!Array.isArray(entries)) continue;
    loaded.set(namespace, entries.filter(isEntry).map(([key, value, expiresAt]) => ({ key, value, expiresAt })));
  }
  return loaded;
};

/**
 * The file's content for `caches`: fresh entries only, each at most MAX_PERSISTED_ANSWER_BYTES, the
 * whole at most `maxBytes` (the most recently used entries of every cache go in first).
 */
export const cacheFileText = (caches: ReadonlyMap<string, { entries(): CachedAnswer<unknown>[] }>, maxBytes = MAX_CACHE_FILE_BYTES): string => {
  const out: Record<string, string[]> = {};
  let bytes = 40;
  const now = Date.now();
  const queues = [...caches].map(([namespace, cache]) => ({ namespace, entries: cache.entries() }));
  for (const q of queues) out[q.namespace] = [];
  // Round robin from each cache's most recent end, so that one big cache does not crowd out the others.
  for (let more = true; more; ) {
    more = false;
    for (const q of queues) {
      const entry = q.entries.pop();
      if (entry === undefined) continue;
      more = true;
      if (!(entry.expiresAt > now)) continue;
      const text = JSON.stringify([entry.key, entry.value, entry.expiresAt]);
      if (text.length > MAX_PERSISTED_ANSWER_BYTES || bytes + text.length + 1 > maxBytes) continue;
      bytes += text.length + 1;
      out[q.namespace]!.push(text);
    }
  }
  const body = Object.entries(out).map(([namespace, lines]) => `${JSON.stringify(namespace)}:[${lines.reverse().join(',')}]`);
  return `{"version":1,"caches":{${body.join(',')}}}\n`;
};

/**
 * Keeps the caches of the local stores in STATE: `load()` before the blocks open (their caches take
 * the entries as they are created, see LocalEnrichmentStores.pending), then a write every
 * CACHE_SAVE_EVERY_MS when a cache changed, and one at `close()`. A missing file is an empty cache; an
 * unreadable or oversized one is logged and ignored (the caches start empty: lookups are asked again,
 * nothing is lost). A failed write is logged and tried again at the next tick.
 */
export class EnrichmentCacheFile {
  readonly #path: string;
  readonly #stores: LocalEnrichmentStores;
  readonly #everyMs: number;
  #timer: NodeJS.Timeout | undefined;
  #saved = -1;
  #writing: Promise<void> = Promise.resolve();

  constructor(state: string, stores: LocalEnrichmentStores, options: { readonly everyMs?: number } = {}) {
    this.#path = join(state, ENRICHMENT_CACHE_FILE);
    this.#stores = stores;
    this.#everyMs = options.everyMs ?? CACHE_SAVE_EVERY_MS;
  }

  get path(): string {
    return this.#path;
  }

  /** Reads the file into the stores' `pending` (explain: nothing written, ever). Never rejects. */
  async read(): Promise<void> {
    try {
      const bytes = await readStateFile(this.#path);
      if (bytes.length > MAX_CACHE_FILE_BYTES) throw new Error(`${bytes.length} bytes, more than ${MAX_CACHE_FILE_BYTES}`);
      let count = 0;
      for (const [namespace, entries] of readCacheFile(bytes.toString('utf8'))) {
        this.#stores.pending.set(namespace, entries);
        count += entries.length;
      }
      log.info('EnrichmentCacheLoaded', { file: this.#path, entries: count });
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') log.warning('EnrichmentCacheNotLoaded', { file: this.#path, error: errorMessage(error) });
    }
  }

  /** Reads the file (see read); then writes every `everyMs` when a cache changed. Never rejects. */
  async load(): Promise<void> {
    await this.read();
    this.#saved = this.#version();
    this.#timer ??= setInterval(() => void this.save(), this.#everyMs).unref();
  }

  #version(): number {
    let sum = this.#stores.caches.size;
    for (const cache of this.#stores.caches.values()) sum += cache.version;
    return sum;
  }

  /** Writes the caches when they changed since the last write. Never rejects. */
  save(): Promise<void> {
    this.#writing = this.#writing.then(async () => {
      const version = this.#version();
      if (version === this.#saved) return;
      try {
        await writeFileAtomically(this.#path, cacheFileText(this.#stores.caches));
        this.#saved = version;
      } catch (error) {
        log.error('EnrichmentCacheNotSaved', { file: this.#path, error: errorMessage(error) });
      }
    });
    return this.#writing;
  }

  /** Stops the timer and writes a last time. */
  async close(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.save();
  }
}
