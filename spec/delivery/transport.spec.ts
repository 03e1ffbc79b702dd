// Specs for src/delivery/transport.ts (a block's proxy and private CA) through the one HTTP client, against a real tinyproxy and TLS stand-in.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { HttpClient, HttpError } from '../../src/delivery/http.js';
import { classifyError } from '../../src/delivery/classify-http.js';
import { dispatcherKey, proxyEnv } from '../../src/delivery/transport.js';
import { startStandIn } from '../../src/stand-ins/stand-in-server.js';
import { privateCa, startTlsStandIn } from '../helpers/private-ca.js';
import { startTinyproxy } from '../helpers/tinyproxy.js';

const post = (url: string, transport?: { proxy?: string; ca?: { file: string; pem: string } }) => ({
  method: 'POST' as const,
  url,
  headers: { 'content-type': 'application/json' },
  body: '{"a":1}',
  ...(transport === undefined ? {} : { transport }),
});
const never = () => new AbortController().signal;
/** Requests tinyproxy logged (`Request (file descriptor N): CONNECT 127.0.0.1:PORT …`). */
const proxied = (log: string) => log.split('\n').filter((l) => /Request \(file descriptor/.test(l));

const keys = suite('dispatcherKey and proxyEnv');
keys('direct requests are keyed by origin, proxied ones by proxy and CA, so blocks with the same settings share', () => {
  const ca = { file: '/etc/ca.pem', pem: 'x' };
  assert.is(dispatcherKey('https://a', undefined, {}), 'https://a');
  assert.is(dispatcherKey('https://a', { ca }, {}), 'https://a ca=/etc/ca.pem');
  assert.is(dispatcherKey('https://a', { proxy: 'http://p:3128' }, {}), dispatcherKey('https://b', { proxy: 'http://p:3128' }, {}));
  assert.is.not(dispatcherKey('https://a', { proxy: 'http://p:3128', ca }, {}), dispatcherKey('https://a', { proxy: 'http://p:3128' }, {}));
  assert.is(dispatcherKey('https://a', undefined, { httpsProxy: 'http://p' }), 'env-proxy');
});
keys('reads either case of the variables and ignores empty ones', () => {
  assert.equal(proxyEnv({ HTTPS_PROXY: 'http://p:1', no_proxy: 'localhost', http_proxy: '' }), { httpsProxy: 'http://p:1', noProxy: 'localhost' });
  assert.equal(proxyEnv({}), {});
});

const proxy = suite('through a real proxy (tinyproxy on loopback)');
proxy('a request with <proxy> goes through the proxy and reaches the service; one without does not', async () => {
  const tp = await startTinyproxy();
  const s = await startStandIn({ answer: () => ({ status: 200, body: 'ok' }) });
  const http = new HttpClient({ env: {} });
  try {
    const answer = await http.send(post(`${s.url}/hook`, { proxy: tp.url }), never());
    assert.is(answer.status, 200);
    assert.equal(s.received[0]?.json, { a: 1 });
    const port = new URL(s.url).port;
    assert.ok(proxied(tp.log()).some((l) => l.includes(`127.0.0.1:${port}`)), tp.log());
    const before = proxied(tp.log()).length;
    await http.send(post(`${s.url}/direct`), never());
    assert.is(proxied(tp.log()).length, before, 'a block without <proxy> goes direct');
    assert.is(s.received.length, 2);
  } finally {
    await http.close();
    await s.close();
    await tp.stop();
  }
});
proxy('HTTP_PROXY of the environment applies without <proxy>, and NO_PROXY exempts a host', async () => {
  const tp = await startTinyproxy();
  const s = await startStandIn({ answer: () => ({ status: 200, body: 'ok' }) });
  const viaEnv = new HttpClient({ env: { HTTP_PROXY: tp.url } });
  const exempt = new HttpClient({ env: { HTTP_PROXY: tp.url, NO_PROXY: '127.0.0.1' } });
  try {
    assert.is((await viaEnv.send(post(`${s.url}/env`), never())).status, 200);
    const afterEnv = proxied(tp.log()).length;
    assert.ok(afterEnv >= 1, tp.log());
    assert.is((await exempt.send(post(`${s.url}/exempt`), never())).status, 200);
    assert.is(proxied(tp.log()).length, afterEnv, 'NO_PROXY=127.0.0.1 goes direct');
    assert.is(s.received.length, 2);
  } finally {
    await Promise.all([viaEnv.close(), exempt.close()]);
    await s.close();
    await tp.stop();
  }
});
proxy('a proxy that refuses the connection is a retryable error, not a crash', async () => {
  const http = new HttpClient({ env: {} });
  const s = await startStandIn({ answer: () => ({ status: 200, body: 'ok' }) });
  try {
    const tp = await startTinyproxy();
    const url = tp.url;
    await tp.stop();
    const error = await http.send(post(`${s.url}/hook`, { proxy: url }), never()).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.instance(error, HttpError);
    assert.is(classifyError(error).kind, 'retry');
    assert.is(s.received.length, 0);
  } finally {
    await http.close();
    await s.close();
  }
});

const tls = suite('private CA (<ca_file>) against a TLS stand-in');
tls('with the CA the request is delivered; without it the TLS error is a retry with a clear reason', async () => {
  const ca = privateCa();
  const s = await startTlsStandIn(ca);
  const http = new HttpClient({ env: {} });
  try {
    const answer = await http.send(post(`${s.url}/hook`, { ca: { file: ca.caFile, pem: ca.caPem } }), never());
    assert.is(answer.status, 200);
    assert.equal(s.bodies, ['{"a":1}']);
    const error = await http.send(post(`${s.url}/hook`), never()).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.instance(error, HttpError);
    assert.is((error as HttpError).code, 'HTTP_TLS');
    assert.match((error as HttpError).message, /TLS certificate not trusted: give the destination's CA in <ca_file>/);
    const verdict = classifyError(error);
    assert.equal([verdict.kind, 'reason' in verdict ? verdict.reason : ''], ['retry', (error as HttpError).message]);
    assert.is(s.bodies.length, 1);
  } finally {
    await http.close();
    await s.close();
    ca.remove();
  }
});
tls('through the proxy, the CA checks the destination at the end of the tunnel', async () => {
  const ca = privateCa();
  const s = await startTlsStandIn(ca);
  const tp = await startTinyproxy();
  const http = new HttpClient({ env: {} });
  try {
    const answer = await http.send(post(`${s.url}/hook`, { proxy: tp.url, ca: { file: ca.caFile, pem: ca.caPem } }), never());
    assert.is(answer.status, 200);
    assert.ok(proxied(tp.log()).some((l) => l.includes('CONNECT')), tp.log());
    assert.is(s.bodies.length, 1);
  } finally {
    await http.close();
    await s.close();
    await tp.stop();
    ca.remove();
  }
});

keys.run();
proxy.run();
tls.run();
