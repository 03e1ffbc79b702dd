// Specs for src/integrations/enrichment-stores.ts (The stores behind every enrichment (answer caches, api_key quotas): interfaces a Redis implementation can stand behind, and the process-local ones).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { apiKeyId, createLocalEnrichmentStores, createLocalQuotaStore } from '../../src/integrations/enrichment-stores.js';

const clock = () => {
  let t = 1_700_000_000_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
};

const ids = suite('apiKeyId');
ids('is 16 hex digits of the key hash: stable, distinct per key, never the key', () => {
  const key = 'abcdef0123456789abcdef0123456789';
  assert.match(apiKeyId(key), /^[0-9a-f]{16}$/);
  assert.is(apiKeyId(key), apiKeyId(key));
  assert.is.not(apiKeyId(key), apiKeyId(`${key}x`));
  assert.not.ok(key.includes(apiKeyId(key)));
});
ids.run();

const quotas = suite('createLocalQuotaStore');
quotas('spaces the tokens of a key at its rate, shared by every taker of the key', () => {
  const c = clock();
  const store = createLocalQuotaStore(c.now);
  store.configure('k', 4);
  assert.is(store.take('k'), 0);
  assert.is(store.take('k'), 15_000);
  assert.is(store.take('other'), 0);
  assert.is(store.take('other'), 0);
  c.advance(30_000);
  assert.is(store.take('k'), 0);
});
quotas('keeps the lowest rate when blocks configure one key differently', () => {
  const c = clock();
  const store = createLocalQuotaStore(c.now);
  store.configure('k', 60);
  store.configure('k', 4);
  store.configure('k', 30);
  assert.is(store.state('k')?.perMinute, 4);
});
quotas('holds the key until the reset when the service says none is left, and not once it says some are', () => {
  const c = clock();
  const store = createLocalQuotaStore(c.now);
  store.record('k', { limit: 1000, remaining: 0, resetAt: c.now() + 5_000 });
  assert.is(store.waitMs('k'), 5_000);
  assert.is(store.take('k'), 5_000);
  assert.equal(store.state('k'), { limit: 1000, remaining: 0, resetAt: c.now() + 5_000, spentUntil: c.now() + 5_000 });
  c.advance(5_000);
  assert.is(store.take('k'), 0);
  store.spend('k', c.now() + 60_000);
  assert.is(store.waitMs('k'), 60_000);
  store.record('k', { remaining: 999 });
  assert.is(store.waitMs('k'), 0);
});
quotas.run();

const stores = suite('createLocalEnrichmentStores');
stores('gives one cache per namespace, shared by the blocks that ask for it', () => {
  const local = createLocalEnrichmentStores();
  const limits = { ttlSeconds: 60, negativeTtlSeconds: 10, maxEntries: 5 };
  const a = local.cache<string>('abuseipdb', limits);
  void a.set('198.51.100.7', 'report');
  assert.equal(local.cache<string>('abuseipdb', { ...limits, maxEntries: 1 }).get('198.51.100.7'), { value: 'report' });
  assert.is(local.cache<string>('virustotal-v2', limits).get('198.51.100.7'), undefined);
  assert.equal([...local.caches.keys()], ['abuseipdb', 'virustotal-v2']);
});
stores.run();
