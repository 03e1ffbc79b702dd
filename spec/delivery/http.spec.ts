// Specs for src/delivery/http.ts (The one HTTP client of integratord: one undici Pool per origin, bounded, keep-alive, deadline by AbortSignal).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { HttpClient, HttpError } from '../../src/delivery/http.js';
import { startStandIn } from '../../src/stand-ins/stand-in-server.js';
import { closedPort } from '../helpers/closed-port.js';

const post = (url: string, body = '{"a":1}') => ({ method: 'POST' as const, url, headers: { 'content-type': 'application/json' }, body });
const never = () => new AbortController().signal;

const failure = async (promise: Promise<unknown>): Promise<HttpError> => {
  try {
    await promise;
  } catch (error) {
    assert.instance(error, HttpError);
    return error as HttpError;
  }
  throw new Error('expected a rejection');
};

const send = suite('HttpClient.send');
send('resolves with status, headers and body for any status', async () => {
  const s = await startStandIn({ answer: () => ({ status: 200, body: 'ok', headers: { 'x-id': '7' } }) });
  const http = new HttpClient();
  try {
    const ok = await http.send(post(`${s.url}/hook?q=1`), never());
    assert.equal([ok.status, ok.body, ok.headers['x-id']], [200, 'ok', '7']);
    s.script({ status: 404, body: 'no_service' });
    const missing = await http.send(post(`${s.url}/hook`), never());
    assert.equal([missing.status, missing.body], [404, 'no_service']);
    assert.is(s.received[0]?.url, '/hook?q=1');
    assert.equal(s.received[0]?.json, { a: 1 });
    assert.is(s.received[0]?.headers['content-type'], 'application/json');
  } finally {
    await http.close();
    await s.close();
  }
});
send('reuses kept-alive connections: many requests, few sockets', async () => {
  const s = await startStandIn({ answer: () => ({ status: 200, body: 'ok' }) });
  const ports = new Set<number>();
  const http = new HttpClient({ connections: 2 });
  try {
    await Promise.all(Array.from({ length: 20 }, () => http.send(post(s.url), never())));
    for (const r of s.received) ports.add(r.remotePort);
    assert.is(s.received.length, 20);
    assert.ok(ports.size <= 2, `${ports.size} connections`);
  } finally {
    await http.close();
    await s.close();
  }
});
send('keeps at most maxBodyBytes of a large body', async () => {
  const s = await startStandIn({ answer: () => ({ status: 200, body: 'x'.repeat(300_000) }) });
  const http = new HttpClient({ maxBodyBytes: 1000 });
  try {
    const r = await http.send(post(s.url), never());
    assert.is(r.body.length, 1000);
    const again = await http.send(post(s.url), never());
    assert.is(again.status, 200, 'the client still works afterwards');
  } finally {
    await http.close();
    await s.close();
  }
});
send('rejects with HTTP_CONNECTION_REFUSED when nothing listens', async () => {
  const http = new HttpClient();
  try {
    const e = await failure(http.send(post(`http://127.0.0.1:${await closedPort()}/`), never()));
    assert.is(e.code, 'HTTP_CONNECTION_REFUSED');
  } finally {
    await http.close();
  }
});
send('rejects with HTTP_CONNECTION_RESET when the server drops the connection', async () => {
  const s = await startStandIn({ answer: () => ({ status: 200 }) });
  const http = new HttpClient();
  try {
    s.script('reset');
    const e = await failure(http.send(post(s.url), never()));
    assert.is(e.code, 'HTTP_CONNECTION_RESET');
  } finally {
    await http.close();
    await s.close();
  }
});
send('rejects with HTTP_TIMEOUT when a timeout signal fires, HTTP_ABORTED on a plain abort', async () => {
  const s = await startStandIn({ answer: () => ({ status: 200 }) });
  const http = new HttpClient();
  try {
    s.script('hang', 'hang');
    const timedOut = await failure(http.send(post(s.url), AbortSignal.timeout(50)));
    assert.is(timedOut.code, 'HTTP_TIMEOUT');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const aborted = await failure(http.send(post(s.url), controller.signal));
    assert.is(aborted.code, 'HTTP_ABORTED');
  } finally {
    await http.close();
    await s.close();
  }
});
send('rejects an invalid or non-HTTP URL without naming it', async () => {
  const http = new HttpClient();
  try {
    const bad = await failure(http.send(post('not a url with secret-token'), never()));
    assert.is(bad.code, 'HTTP_INVALID_URL');
    assert.not.ok(bad.message.includes('secret-token'));
    const ftp = await failure(http.send(post('ftp://127.0.0.1/x'), never()));
    assert.is(ftp.code, 'HTTP_INVALID_URL');
  } finally {
    await http.close();
  }
});
send('refuses a header value no request can carry without using a connection: the origin keeps working', async () => {
  const s = await startStandIn({ answer: () => ({ status: 200, body: 'ok' }) });
  const http = new HttpClient({ connections: 2 });
  try {
    for (const value of ['a\ufffdb', 'a\u0000b', 'line\nbreak']) {
      const bad = await failure(http.send({ ...post(s.url), headers: { 'idempotency-key': value } }, never()));
      assert.equal([bad.code, bad.message], ['HTTP_INVALID_HEADER', "invalid value in header 'idempotency-key'"]);
    }
    const name = await failure(http.send({ ...post(s.url), headers: { 'bad name': 'x' } }, never()));
    assert.is(name.code, 'HTTP_INVALID_HEADER');
    // undici 7.30 kept one pool connection per refused request: with 2 connections this used to hang.
    const ok = await http.send({ ...post(s.url), headers: { 'x-latin1': 'café' } }, AbortSignal.timeout(5000));
    assert.is(ok.status, 200);
    assert.is(s.received.length, 1);
  } finally {
    await http.close();
    await s.close();
  }
});
send('rejects every send after close', async () => {
  const http = new HttpClient();
  await http.close();
  const e = await failure(http.send(post('http://127.0.0.1:9/'), never()));
  assert.is(e.code, 'HTTP_ABORTED');
});
send('sends a path as written when it is plain URL text: %2E%2E stays, nothing resolves to the base', async () => {
  const s = await startStandIn({ answer: () => ({ status: 200, body: '{}' }) });
  const http = new HttpClient();
  try {
    for (const path of ['/hostname/%2E%2E', '/hostname/%2E', '/v1/hostname/%2e%2E?x=1', '/ip/2001:db8::1']) {
      await http.send({ method: 'GET', url: `${s.url}${path}`, headers: {} }, never());
    }
    await http.send({ method: 'GET', url: `${s.url}/a b/"q"`, headers: {} }, never());
    assert.equal(
      s.received.map((r) => r.url),
      ['/hostname/%2E%2E', '/hostname/%2E', '/v1/hostname/%2e%2E?x=1', '/ip/2001:db8::1', '/a%20b/%22q%22'],
      'other text is still percent-encoded by the URL parser',
    );
  } finally {
    await http.close();
    await s.close();
  }
});
send.run();

/** One attempt of a prepared request, as a promise. */
const attempt = (prepared: ReturnType<HttpClient['prepare']>) =>
  new Promise<{ error?: HttpError; status?: number; body?: string; headers?: Record<string, unknown> }>((resolve) =>
    prepared.start((error, response) => resolve(error !== undefined ? { error } : { status: response!.status, body: response!.body, headers: response!.headers as Record<string, unknown> })),
  );

const prepare = suite('HttpClient.prepare');
prepare('built once, sent by each start: same bytes every time, the path as written, every status answered with its headers', async () => {
  const s = await startStandIn({ answer: () => ({ status: 503, body: 'busy', headers: { 'retry-after': '7' } }) });
  const http = new HttpClient();
  try {
    const prepared = http.prepare({ method: 'POST', url: `${s.url}/hook/%2E%2E?x=1`, headers: { 'Content-Type': 'application/json', 'Accept-Charset': 'UTF-8' }, body: '{"é":1}' });
    assert.is(prepared.destination, s.url);
    const first = await attempt(prepared);
    const second = await attempt(prepared);
    assert.equal([first.status, first.body, first.headers?.['retry-after']], [503, 'busy', '7']);
    assert.is(second.status, 503);
    assert.equal(s.received.map((r) => [r.url, r.body]), [['/hook/%2E%2E?x=1', '{"é":1}'], ['/hook/%2E%2E?x=1', '{"é":1}']]);
    assert.equal([s.received[1]?.headers['content-type'], s.received[1]?.headers['accept-charset'], s.received[1]?.headers['content-length']], ['application/json', 'UTF-8', '8']);
  } finally {
    await http.close();
    await s.close();
  }
});
prepare('a header or URL undici would refuse fails the attempt with its code, before any connection is taken', async () => {
  const s = await startStandIn({ answer: () => ({ status: 200, body: 'ok' }) });
  const http = new HttpClient({ connections: 1 });
  try {
    const bad = await attempt(http.prepare({ ...post(s.url), headers: { 'x-key': 'line\nbreak' } }));
    assert.is(bad.error?.code, 'HTTP_INVALID_HEADER');
    assert.not.match(bad.error!.message, /break/);
    assert.is((await attempt(http.prepare(post('ftp://127.0.0.1/x')))).error?.code, 'HTTP_INVALID_URL');
    assert.is((await attempt(http.prepare(post('not a url')))).error?.code, 'HTTP_INVALID_URL');
    // The one connection is still free.
    assert.is((await attempt(http.prepare(post(s.url)))).status, 200);
  } finally {
    await http.close();
    await s.close();
  }
});
prepare('keeps at most maxBodyBytes of a body, and the next request still goes through', async () => {
  const s = await startStandIn({ answer: () => ({ status: 200, body: 'x'.repeat(300_000) }) });
  const http = new HttpClient({ maxBodyBytes: 1000, connections: 1 });
  try {
    assert.is((await attempt(http.prepare(post(s.url)))).body?.length, 1000);
    assert.is((await attempt(http.prepare(post(s.url)))).body?.length, 1000);
  } finally {
    await http.close();
    await s.close();
  }
});
prepare('a refused connection is HTTP_CONNECTION_REFUSED; a cancelled attempt never calls back; a closed client refuses', async () => {
  const port = await closedPort();
  const http = new HttpClient();
  assert.is((await attempt(http.prepare(post(`http://127.0.0.1:${port}/x`)))).error?.code, 'HTTP_CONNECTION_REFUSED');
  const s = await startStandIn({ answer: () => ({ status: 200 }) });
  s.script('hang');
  try {
    let called = false;
    const cancel = http.prepare(post(s.url)).start(() => (called = true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    cancel(new Error('deadline'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.is(called, false);
    await http.close();
    assert.is((await attempt(http.prepare(post(s.url)))).error?.code, 'HTTP_ABORTED');
  } finally {
    await s.close();
  }
});
prepare.run();
