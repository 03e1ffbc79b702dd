// Specs for src/integrations/enrichment-cache-file.ts (The enrichment caches kept across restarts: STATE/enrichment-cache.json, loaded at start, replaced atomically every minute when changed and at stop).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cacheFileText, EnrichmentCacheFile, ENRICHMENT_CACHE_FILE, readCacheFile } from '../../src/integrations/enrichment-cache-file.js';
import { createLocalEnrichmentStores } from '../../src/integrations/enrichment-stores.js';
import { tempDir } from '../helpers/temp-dir.js';
import { captureLogRecords } from '../helpers/capture-log.js';

const LIMITS = { ttlSeconds: 3600, negativeTtlSeconds: 600, maxEntries: 100 };

const file = suite('EnrichmentCacheFile');
file('a restart answers from the cache it saved at stop, file 0600; no write when nothing changed', async () => {
  const dir = await tempDir();
  try {
    const before = createLocalEnrichmentStores();
    const saver = new EnrichmentCacheFile(dir.path, before);
    await saver.load();
    before.cache<object>('abuseipdb', LIMITS).set('185.220.101.1', { abuseConfidenceScore: 100 });
    before.cache<null>('maltiverse', LIMITS).set('ip:8.8.8.8', null, { negative: true });
    await saver.close();
    const path = join(dir.path, ENRICHMENT_CACHE_FILE);
    assert.is((await stat(path)).mode & 0o777, 0o600);
    const written = (await stat(path)).mtimeMs;

    const after = createLocalEnrichmentStores();
    const loader = new EnrichmentCacheFile(dir.path, after);
    await loader.load();
    assert.equal(after.cache('abuseipdb', LIMITS).get('185.220.101.1'), { value: { abuseConfidenceScore: 100 } });
    assert.equal(after.cache('maltiverse', LIMITS).get('ip:8.8.8.8'), { value: null });
    assert.is(after.cache('virustotal-v2', LIMITS).get('185.220.101.1'), undefined);
    await new Promise((r) => setTimeout(r, 20));
    await loader.close();
    assert.is((await stat(path)).mtimeMs > written, true, 'a new cache was created: the file is written again');
  } finally {
    await dir.remove();
  }
});
file('writes every interval when a cache changed, not per answer', async () => {
  const dir = await tempDir();
  try {
    const stores = createLocalEnrichmentStores();
    const saver = new EnrichmentCacheFile(dir.path, stores, { everyMs: 30 });
    await saver.load();
    const cache = stores.cache<number>('abuseipdb', LIMITS);
    for (let i = 0; i < 50; i++) cache.set(`k${i}`, i);
    await new Promise((r) => setTimeout(r, 120));
    const saved = readCacheFile(await readFile(join(dir.path, ENRICHMENT_CACHE_FILE), 'utf8'));
    assert.is(saved.get('abuseipdb')?.length, 50);
    await saver.close();
  } finally {
    await dir.remove();
  }
});
file('refuses a symlink planted at the file and starts empty, logging why; a corrupt file likewise', async () => {
  const dir = await tempDir();
  const log = captureLogRecords();
  try {
    await writeFile(join(dir.path, 'elsewhere.json'), cacheFileText(new Map([['abuseipdb', { entries: () => [{ key: 'a', value: 1, expiresAt: Date.now() + 60_000 }] }]])));
    await symlink(join(dir.path, 'elsewhere.json'), join(dir.path, ENRICHMENT_CACHE_FILE));
    const stores = createLocalEnrichmentStores();
    await new EnrichmentCacheFile(dir.path, stores).load();
    assert.is(stores.cache('abuseipdb', LIMITS).get('a'), undefined);
    const broken = await tempDir();
    await writeFile(join(broken.path, ENRICHMENT_CACHE_FILE), '{"version":1,"caches":');
    await new EnrichmentCacheFile(broken.path, createLocalEnrichmentStores()).load();
    await broken.remove();
    assert.equal(log.records.filter((r) => r.message === 'EnrichmentCacheNotLoaded').length, 2);
  } finally {
    log.restore();
    await dir.remove();
  }
});
file.run();

const text = suite('cacheFileText');
text('keeps the most recently used entries of every cache within the byte bound, leaves out oversized answers and expired ones', () => {
  const now = Date.now();
  const entries = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ key: `${prefix}${i}`, value: i, expiresAt: now + 60_000 }));
  const caches = new Map([
    ['big', { entries: () => [...entries('b', 100), { key: 'huge', value: 'x'.repeat(70_000), expiresAt: now + 60_000 }] }],
    ['small', { entries: () => [{ key: 'old', value: 0, expiresAt: now - 1 }, ...entries('s', 2)] }],
  ]);
  const read = readCacheFile(cacheFileText(caches, 300));
  const big = read.get('big')?.map((e) => e.key) ?? [];
  assert.ok(big.length > 0 && big.length < 100, `bounded (${big.length})`);
  assert.not.ok(big.includes('huge'));
  assert.is(big.at(-1), 'b99', 'the most recent kept, in LRU order');
  assert.equal(read.get('small')?.map((e) => e.key), ['s0', 's1']);
});
text.run();
