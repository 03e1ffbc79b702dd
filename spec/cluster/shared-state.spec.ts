import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import client from 'prom-client';
import { SharedState } from '../../src/shared-state/shared-state.js';
import { RedisServer } from '../helpers/redis-server.js';
import { captureLog } from '../helpers/capture-log.js';
import { eventually } from '../helpers/eventually.js';

const test = suite('SharedState (a real redis-server)');

test('connects, namespaces keys by cluster, and answers commands', async () => {
  const server = await RedisServer.start();
  const shared = new SharedState({ url: server.url, node: 'node-a', cluster: 'prod' });
  try {
    assert.is(await shared.ready(), true);
    assert.is(shared.key('claim', 'x'), 'integratord:prod:claim:x');
    await shared.attempt('spec', (r) => r.set(shared.key('k'), 'v'));
    assert.is(await shared.attempt('spec', (r) => r.get('integratord:prod:k')), 'v');
    assert.equal(shared.report().up, true);
  } finally {
    await shared.close();
    await server.close();
  }
});

test('fails open while Redis is down (logged once, metric 0, fallbacks counted) and re-joins when it is back', async () => {
  const server = await RedisServer.start();
  const registry = new client.Registry();
  const logs = captureLog();
  const shared = new SharedState({ url: server.url, node: 'a', registry });
  try {
    await shared.ready();
    await server.stop();
    await eventually(() => !shared.up, 'down noticed');
    for (let i = 0; i < 5; i++) assert.is(await shared.attempt('dedup', (r) => r.get('x')), undefined);
    const text = await registry.metrics();
    assert.match(text, /integratord_shared_state_up 0/);
    assert.match(text, /integratord_shared_state_fallbacks_total\{store="dedup"\} 5/);
    await new Promise((resolve) => setTimeout(resolve, 600)); // several reconnect attempts fail meanwhile
    assert.is(logs.lines.filter((l) => l.includes('SharedStateDown')).length, 1);
    assert.ok(shared.report().downSince);
    await server.start();
    await eventually(() => shared.up, 're-joined');
    assert.match(await registry.metrics(), /integratord_shared_state_up 1/);
    assert.is(await shared.attempt('dedup', (r) => r.ping()), 'PONG');
    assert.ok(logs.lines.some((l) => l.includes('SharedStateUp')));
  } finally {
    logs.restore();
    await shared.close();
    await server.close();
  }
});

test('a password in the URL is never logged, not even in the connection errors', async () => {
  const server = await RedisServer.start();
  const logs = captureLog();
  const shared = new SharedState({ url: `redis://admin:S3cretRedisPassw0rd@127.0.0.1:${server.port}/2` });
  try {
    await shared.ready(1000);
    assert.is(shared.up, false); // no such user on this server: refused
    await eventually(() => logs.lines.some((l) => l.includes('SharedStateDown')), 'the outage logged');
    const all = logs.lines.join('\n');
    assert.not.match(all, /S3cretRedisPassw0rd/);
    assert.match(all, /url=redis:\/\/127\.0\.0\.1:\d+\/2 /);
    assert.not.match(JSON.stringify(shared.report()), /S3cret/);
  } finally {
    logs.restore();
    await shared.close();
    await server.close();
  }
});

test.run();
