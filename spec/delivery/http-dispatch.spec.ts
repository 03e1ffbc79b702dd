// Specs for src/delivery/http-dispatch.ts (One request through undici's dispatch(): a small callback handler).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Pool, util } from 'undici';
import { dispatchRequest, flatHeaders } from '../../src/delivery/http-dispatch.js';
import type { HttpResponse } from '../../src/delivery/step.js';
import { startStandIn } from '../../src/stand-ins/stand-in-server.js';

const dispatch = suite('dispatchRequest');

dispatch('flatHeaders keeps the spelling and order, and refuses what undici would (name, then value)', () => {
  assert.equal(flatHeaders({ 'Content-Type': 'application/json', 'Idempotency-Key': 'k-1' }), ['Content-Type', 'application/json', 'Idempotency-Key', 'k-1']);
  assert.equal(flatHeaders({ 'bad name': 'x' }), { problem: 'invalid header name' });
  assert.equal(flatHeaders({ 'x-key': 'a\r\nb' }), { problem: "invalid value in header 'x-key'" });
});

dispatch('calls back once with status, body, and headers parsed only when read', async () => {
  const s = await startStandIn({ answer: () => ({ status: 429, body: 'slow down', headers: { 'retry-after': '2' } }) });
  const pool = new Pool(s.url, { connections: 1 });
  let parsed = 0;
  const parse = (raw: Buffer[]) => (parsed++, util.parseHeaders(raw) as Record<string, string | string[]>);
  try {
    const calls: [unknown, HttpResponse | undefined][] = [];
    await new Promise<void>((resolve) =>
      dispatchRequest(pool, { origin: s.url, path: '/p?q=1', method: 'POST', headers: ['Content-Type', 'application/json'], body: Buffer.from('{"a":1}') }, 1024, parse, (error, response) => {
        calls.push([error, response]);
        resolve();
      }),
    );
    assert.is(calls.length, 1);
    const [error, response] = calls[0]!;
    assert.is(error, undefined);
    assert.equal([response?.status, response?.body], [429, 'slow down']);
    assert.is(parsed, 0, 'headers not parsed until read');
    assert.is(response?.headers['retry-after'], '2');
    assert.is(response?.headers['retry-after'], '2');
    assert.is(parsed, 1, 'parsed once');
    assert.equal([s.received[0]?.url, s.received[0]?.body, s.received[0]?.headers['content-type']], ['/p?q=1', '{"a":1}', 'application/json']);
  } finally {
    await pool.close();
    await s.close();
  }
});

dispatch('cancel aborts a request in flight, frees its connection, and never calls back', async () => {
  const s = await startStandIn({ answer: () => ({ status: 200, body: 'ok' }) });
  s.script('hang');
  const pool = new Pool(s.url, { connections: 1 });
  try {
    let called = false;
    const cancel = dispatchRequest(pool, { origin: s.url, path: '/', method: 'POST', headers: [], body: null }, 1024, util.parseHeaders as never, () => (called = true));
    await s.waitFor(1);
    cancel(new Error('deadline'));
    // The one connection serves the next request: the cancelled one gave it back.
    const next = await new Promise<HttpResponse | undefined>((resolve) =>
      dispatchRequest(pool, { origin: s.url, path: '/', method: 'POST', headers: [], body: null }, 1024, util.parseHeaders as never, (_e, r) => resolve(r)),
    );
    assert.is(next?.status, 200);
    assert.is(called, false);
  } finally {
    await pool.close();
    await s.close();
  }
});

dispatch.run();
