// Specs for src/integrations/enrichment-cache.ts (A bounded LRU cache with a time-to-live for threat-intelligence answers, counting hits and misses).

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
  assert.is(cached.lookup('a'), undefined);
  cached.store('a', 'answer');
  assert.equal(cached.lookup('a'), { value: 'answer' });
  c.advance(9_999);
  assert.equal(cached.lookup('a'), { value: 'answer' });
  c.advance(1);
  assert.is(cached.lookup('a'), undefined);
  assert.equal(cached.stats, { hits: 2, misses: 2, size: 0 });
  assert.equal(counted, [false, true, true, false]);
});
cache('keeps negative answers (null) like any other', () => {
  const cached = createEnrichmentCache<string | null>();
  cached.store('unknown', null);
  assert.equal(cached.lookup('unknown'), { value: null });
});
cache('keeps an answer stored with its own TTL (a negative one) only that long, never beyond the cache TTL', () => {
  const c = clock();
  const cached = createEnrichmentCache<string>({ ttlSeconds: 10, now: c.now });
  cached.store('clean', 'no reports', 2);
  cached.store('longer', 'asked 60 s', 60);
  cached.store('off', 'ttl 0', 0);
  assert.is(cached.lookup('off'), undefined);
  c.advance(1_999);
  assert.equal(cached.lookup('clean'), { value: 'no reports' });
  c.advance(1);
  assert.is(cached.lookup('clean'), undefined);
  c.advance(8_000);
  assert.is(cached.lookup('longer'), undefined);
});
cache('evicts the least recently used entry beyond its bound', () => {
  const cached = createEnrichmentCache<number>({ maxEntries: 2 });
  cached.store('a', 1);
  cached.store('b', 2);
  cached.lookup('a');
  cached.store('c', 3);
  assert.equal(cached.lookup('a'), { value: 1 });
  assert.is(cached.lookup('b'), undefined);
  assert.equal(cached.lookup('c'), { value: 3 });
  assert.is(cached.stats.size, 2);
});
cache('stores nothing when the TTL is 0 (cache disabled)', () => {
  const cached = createEnrichmentCache<number>({ ttlSeconds: 0 });
  cached.store('a', 1);
  assert.is(cached.lookup('a'), undefined);
  assert.equal(cached.stats, { hits: 0, misses: 1, size: 0 });
});
cache.run();
