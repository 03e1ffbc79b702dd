// Specs for src/integrations/enrichment-cache.ts (The local enrichment cache: a bounded LRU with a time-to-live (shorter for negative answers), counting hits and misses).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createEnrichmentCache } from '../../src/integrations/enrichment-cache.js';

const clock = () => {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
};

const cache = suite('createEnrichmentCache');
cache('answers a stored key until its TTL runs out, counting hits and misses', () => {
  const c = clock();
  const counted: boolean[] = [];
  const cached = createEnrichmentCache<string>({ ttlSeconds: 10, now: c.now, onLookup: (hit) => counted.push(hit) });
  assert.is(cached.get('a'), undefined);
  cached.set('a', 'answer');
  assert.equal(cached.get('a'), { value: 'answer' });
  c.advance(9_999);
  assert.equal(cached.get('a'), { value: 'answer' });
  c.advance(1);
  assert.is(cached.get('a'), undefined);
  assert.equal(cached.stats, { hits: 2, misses: 2, size: 0 });
  assert.equal(counted, [false, true, true, false]);
});
cache('keeps negative answers (null) like any other', () => {
  const cached = createEnrichmentCache<string | null>();
  cached.set('unknown', null);
  assert.equal(cached.get('unknown'), { value: null });
});
cache('keeps a negative answer only for the negative TTL, never beyond the cache TTL', () => {
  const c = clock();
  const cached = createEnrichmentCache<string>({ ttlSeconds: 10, negativeTtlSeconds: 2, now: c.now });
  cached.set('clean', 'no reports', { negative: true });
  cached.set('bad', 'reported');
  c.advance(1_999);
  assert.equal(cached.get('clean'), { value: 'no reports' });
  c.advance(1);
  assert.is(cached.get('clean'), undefined);
  assert.equal(cached.get('bad'), { value: 'reported' });
  assert.is(createEnrichmentCache<string>({ ttlSeconds: 5, negativeTtlSeconds: 60 }).limits.negativeTtlSeconds, 5);
});
cache('gives its fresh entries least recently used first, and loads them back within the TTL configured now', () => {
  const c = clock();
  const cached = createEnrichmentCache<number>({ ttlSeconds: 100, now: c.now });
  cached.set('a', 1);
  cached.set('b', 2);
  cached.get('a');
  assert.is(cached.version, 2);
  const saved = cached.entries();
  assert.equal(saved.map((e) => e.key), ['b', 'a']);
  const shorter = createEnrichmentCache<number>({ ttlSeconds: 10, maxEntries: 1, now: c.now });
  assert.is(shorter.load([...saved, { key: 'old', value: 0, expiresAt: c.now() - 1 }]), 2);
  assert.equal(shorter.entries(), [{ key: 'a', value: 1, expiresAt: c.now() + 10_000 }]);
});
cache('evicts the least recently used entry beyond its bound', () => {
  const cached = createEnrichmentCache<number>({ maxEntries: 2 });
  cached.set('a', 1);
  cached.set('b', 2);
  cached.get('a');
  cached.set('c', 3);
  assert.equal(cached.get('a'), { value: 1 });
  assert.is(cached.get('b'), undefined);
  assert.equal(cached.get('c'), { value: 3 });
  assert.is(cached.stats.size, 2);
});
cache('stores nothing when the TTL is 0 (cache disabled)', () => {
  const cached = createEnrichmentCache<number>({ ttlSeconds: 0 });
  cached.set('a', 1);
  assert.is(cached.get('a'), undefined);
  assert.equal(cached.stats, { hits: 0, misses: 1, size: 0 });
});
cache.run();
