import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { RedisDedupClaims } from '../../src/shared-state/redis-dedup-claims.js';
import { SharedState } from '../../src/shared-state/shared-state.js';
import { RedisServer } from '../helpers/redis-server.js';

const test = suite('RedisDedupClaims (two nodes, a real redis-server)');

const nodes = async (server: RedisServer, leaseMs = 2000) => {
  const a = new SharedState({ url: server.url, node: 'node-a', cluster: 'spec' });
  const b = new SharedState({ url: server.url, node: 'node-b', cluster: 'spec' });
  await Promise.all([a.ready(), b.ready()]);
  return { a, b, claimsA: new RedisDedupClaims(a, { leaseMs, pollMs: 20 }), claimsB: new RedisDedupClaims(b, { leaseMs, pollMs: 20 }) };
};

test('the first node to claim a key sends; the other, once it is delivered, suppresses for the window', async () => {
  const server = await RedisServer.start();
  const { a, b, claimsA, claimsB } = await nodes(server);
  try {
    assert.is(await claimsA.claim('blk', 'k1', 'a.1', 60_000), 'send');
    const waiting = claimsB.claim('blk', 'k1', 'b.1', 60_000); // node a's claim is in flight: b waits
    await new Promise((resolve) => setTimeout(resolve, 100));
    claimsA.delivered('blk', 'k1', 'a.1', 60_000);
    assert.is(await waiting, 'suppressed');
    assert.is(await claimsB.claim('blk', 'k2', 'b.2', 60_000), 'send', 'another key is free');
    const marker = await a.redis.get('integratord:spec:dedup:blk:k1:delivered');
    assert.equal(JSON.parse(marker ?? '{}'), { node: 'node-a', alert_id: 'a.1' });
    assert.ok((await a.redis.pttl('integratord:spec:dedup:blk:k1:delivered')) > 59_000);
  } finally {
    await Promise.all([a.close(), b.close()]);
    await server.close();
  }
});

test('a node that dies mid-send loses nothing: the other takes the key after the lease', async () => {
  const server = await RedisServer.start();
  const { a, b, claimsA, claimsB } = await nodes(server, 300);
  try {
    assert.is(await claimsA.claim('blk', 'k', 'a.1', 60_000), 'send');
    await a.close(); // never confirms
    const started = Date.now();
    assert.is(await claimsB.claim('blk', 'k', 'b.1', 60_000), 'send');
    assert.ok(Date.now() - started >= 200, 'b waited for the lease');
  } finally {
    await b.close();
    await server.close();
  }
});

test('a claim given up (dead-lettered) lets the next node send at once', async () => {
  const server = await RedisServer.start();
  const { a, b, claimsA, claimsB } = await nodes(server, 10_000);
  try {
    assert.is(await claimsA.claim('blk', 'k', 'a.1', 60_000), 'send');
    claimsA.release('blk', 'k');
    const started = Date.now();
    assert.is(await claimsB.claim('blk', 'k', 'b.1', 60_000), 'send');
    assert.ok(Date.now() - started < 2000);
  } finally {
    await Promise.all([a.close(), b.close()]);
    await server.close();
  }
});

test('with Redis down every claim is send (fail open: duplicates, never a miss)', async () => {
  const server = await RedisServer.start();
  const { a, b, claimsA, claimsB } = await nodes(server);
  try {
    await server.stop();
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.is(await claimsA.claim('blk', 'k', 'a.1', 60_000), 'send');
    assert.is(await claimsB.claim('blk', 'k', 'b.1', 60_000), 'send');
  } finally {
    await Promise.all([a.close(), b.close()]);
    await server.close();
  }
});

test.run();
