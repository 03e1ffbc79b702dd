// Specs for src/stand-ins/stand-in-server.ts (A loopback HTTP server core for stand-in services (demo and specs): records requests, scripts failures).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { request } from 'undici';
import { startStandIn } from '../../src/stand-ins/stand-in-server.js';

const server = suite('startStandIn');

server('answers normally and records method, path, headers and parsed JSON body', async () => {
  const s = await startStandIn({ answer: () => ({ status: 200, body: 'ok' }) });
  try {
    const res = await request(`${s.url}/hook?x=1`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    assert.is(res.statusCode, 200);
    assert.is(await res.body.text(), 'ok');
    assert.is(s.received.length, 1);
    assert.is(s.received[0]?.url, '/hook?x=1');
    assert.equal(s.received[0]?.json, { a: 1 });
    assert.is(s.received[0]?.headers['content-type'], 'application/json');
  } finally {
    await s.close();
  }
});

server('plays scripted behaviours first, then the normal answer', async () => {
  const s = await startStandIn({ answer: () => ({ status: 202, body: { status: 'success' } }) });
  try {
    s.script({ status: 503, headers: { 'retry-after': '2' } }, { status: 429 });
    const a = await request(s.url, { method: 'POST', body: 'x' });
    assert.is(a.statusCode, 503);
    assert.is(a.headers['retry-after'], '2');
    await a.body.dump();
    const b = await request(s.url, { method: 'POST', body: 'x' });
    assert.is(b.statusCode, 429);
    await b.body.dump();
    const c = await request(s.url, { method: 'POST', body: 'x' });
    assert.is(c.statusCode, 202);
    assert.equal(await c.body.json(), { status: 'success' });
  } finally {
    await s.close();
  }
});

server('resets the connection when told to', async () => {
  const s = await startStandIn({ answer: () => ({ status: 200 }) });
  try {
    s.script('reset');
    await request(s.url, { method: 'POST', body: 'x' }).then(
      () => assert.unreachable('should fail'),
      (error: { code?: string }) => assert.ok(error.code, 'a connection error with a code'),
    );
  } finally {
    await s.close();
  }
});

server('hangs until closed, and waitFor resolves on arrival', async () => {
  const s = await startStandIn({ answer: () => ({ status: 200 }) });
  s.script('hang');
  const pending = request(s.url, { method: 'POST', body: 'x', signal: AbortSignal.timeout(5000) }).catch((e: Error) => e);
  await s.waitFor(1);
  assert.is(s.received.length, 1);
  await s.close();
  assert.instance(await pending, Error);
});

server('delays one scripted answer, keeps only the last requests when told, counts them all', async () => {
  const s = await startStandIn({ answer: () => ({ status: 200 }), keep: 1 });
  try {
    s.script({ status: 201, delayMs: 30 });
    const started = Date.now();
    const a = await request(s.url, { method: 'POST', body: 'first' });
    await a.body.dump();
    assert.is(a.statusCode, 201);
    assert.ok(Date.now() - started >= 25);
    const b = await request(s.url, { method: 'POST', body: 'second' });
    await b.body.dump();
    assert.is(s.count, 2);
    assert.equal(s.received.map((r) => r.body), ['second']);
    assert.ok(s.received[0]!.remotePort > 0);
  } finally {
    await s.close();
  }
});

server.run();
