import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createLocalEnrichmentStores } from '../../src/integrations/enrichment-stores.js';
import { createRedisEnrichmentStores } from '../../src/shared-state/redis-enrichment-stores.js';
import { SharedState } from '../../src/shared-state/shared-state.js';
import { eventually } from '../helpers/eventually.js';
import { RedisServer } from '../helpers/redis-server.js';

const test = suite('Redis enrichment stores (two nodes, a real redis-server)');
const LIMITS = { ttlSeconds: 3600, negativeTtlSeconds: 600, maxEntries: 100 };

const twoNodes = async (server: RedisServer) => {
  const shared = ['node-a', 'node-b'].map((node) => new SharedState({ url: server.url, node, cluster: 'spec' }));
  await Promise.all(shared.map((s) => s.ready()));
  const stores = shared.map((s) => createRedisEnrichmentStores(s, createLocalEnrichmentStores()));
  await new Promise((resolve) => setTimeout(resolve, 100)); // subscriptions in place
  return { shared, stores, close: async () => (stores.forEach((s) => s.close()), await Promise.all(shared.map((s) => s.close()))) };
};

test('an answer one node got is a hit on the other (announced), in Redis with its TTL', async () => {
  const server = await RedisServer.start();
  const { shared, stores, close } = await twoNodes(server);
  try {
    const [a, b] = stores.map((s) => s.cache<{ positives: number }>('virustotal-v2', LIMITS));
    assert.is(b!.get('44d88612fea8a8f36de82e1278abb02f'), undefined);
    a!.set('44d88612fea8a8f36de82e1278abb02f', { positives: 60 });
    await eventually(() => b!.get('44d88612fea8a8f36de82e1278abb02f') !== undefined, 'node b holds node a answer');
    assert.equal(b!.get('44d88612fea8a8f36de82e1278abb02f'), { value: { positives: 60 } });
    const ttl = await shared[0]!.redis.pttl('integratord:spec:enrich:virustotal-v2:44d88612fea8a8f36de82e1278abb02f');
    assert.ok(ttl > 3590_000 && ttl <= 3600_000, `TTL ${ttl}`);
  } finally {
    await close();
    await server.close();
  }
});

test('a node that missed the announcement gets the answer from Redis after its first miss', async () => {
  const server = await RedisServer.start();
  const { stores, shared, close } = await twoNodes(server);
  try {
    const [a] = stores.map((s) => s.cache<string>('abuseipdb', LIMITS));
    a!.set('203.0.113.9', 'bad');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const late = createRedisEnrichmentStores(shared[1]!, createLocalEnrichmentStores()).cache<string>('abuseipdb', LIMITS);
    assert.is(late.get('203.0.113.9'), undefined, 'a local miss first');
    await eventually(() => late.get('203.0.113.9') !== undefined, 'filled from Redis');
  } finally {
    await close();
    await server.close();
  }
});

test('one token bucket per api_key across both nodes, on Redis time: 4 a minute means waits of 0, 15, 30, 45 s', async () => {
  const server = await RedisServer.start();
  const { stores, close } = await twoNodes(server);
  try {
    for (const s of stores) s.quotas.configure('key-1', 4);
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) waits.push(await stores[i % 2]!.quotas.take('key-1'));
    const rounded = waits.map((w) => Math.round(w / 1000));
    assert.equal(rounded, [0, 15, 30, 45], `waits ${waits.join(', ')}`);
  } finally {
    await close();
    await server.close();
  }
});

test('a quota the service says is spent (remaining 0 until reset) holds every node until the reset', async () => {
  const server = await RedisServer.start();
  const { stores, close } = await twoNodes(server);
  try {
    await stores[0]!.quotas.record('key-2', { limit: 1000, remaining: 0, resetAt: Date.now() + 20_000 });
    const wait = await stores[1]!.quotas.take('key-2');
    assert.ok(wait > 18_000 && wait <= 20_500, `node b waits ${wait} ms`);
    assert.ok((await stores[1]!.quotas.waitMs('key-2')) > 18_000);
  } finally {
    await close();
    await server.close();
  }
});

test('Redis down: each node falls back to its own bucket (lookups keep flowing)', async () => {
  const server = await RedisServer.start();
  const { stores, shared, close } = await twoNodes(server);
  try {
    for (const s of stores) s.quotas.configure('key-3', 4);
    await server.stop();
    await eventually(() => !shared[0]!.up, 'down');
    assert.is(await stores[0]!.quotas.take('key-3'), 0);
    assert.is(await stores[1]!.quotas.take('key-3'), 0);
    const cache = stores[0]!.cache<string>('misp', LIMITS);
    cache.set('x', 'y');
    assert.equal(cache.get('x'), { value: 'y' }, 'the local tier still answers');
  } finally {
    await close();
    await server.close();
  }
});

test.run();
