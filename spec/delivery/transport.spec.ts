// Specs for src/delivery/transport.ts (a block's proxy and private CA) through the one HTTP client, against a real proxy (npm's `proxy`) and TLS stand-in.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { HttpClient, HttpError } from '../../src/delivery/http.js';
import { classifyError } from '../../src/delivery/classify-http.js';
import { dispatcherKey, proxyEnv } from '../../src/delivery/transport.js';
import { startStandIn } from '../../src/stand-ins/stand-in-server.js';
import { privateCa, startTlsStandIn } from '../helpers/private-ca.js';
import { startHttpProxy } from '../helpers/http-proxy.js';
import { teardown } from '../helpers/teardown.js';

const post = (url: string, transport?: { proxy?: string; ca?: { file: string; pem: string } }) => ({
  method: 'POST' as const,
  url,
  headers: { 'content-type': 'application/json' },
  body: '{"a":1}',
  ...(transport === undefined ? {} : { transport }),
});
const never = () => new AbortController().signal;

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

const proxy = suite('through a real proxy (the `proxy` package on loopback)');
proxy('a request with <proxy> goes through the proxy and reaches the service; one without does not', async () => {
  const later = teardown();
  try {
    const tp = later.add(await startHttpProxy(), (p) => p.stop());
    const s = later.add(await startStandIn({ answer: () => ({ status: 200, body: 'ok' }) }), (x) => x.close());
    const http = later.add(new HttpClient({ env: {} }), (h) => h.close());
    const answer = await http.send(post(`${s.url}/hook`, { proxy: tp.url }), never());
    assert.is(answer.status, 200);
    assert.equal(s.received[0]?.json, { a: 1 });
    const port = new URL(s.url).port;
    assert.equal(tp.requests, [`CONNECT 127.0.0.1:${port}`]);
    await http.send(post(`${s.url}/direct`), never());
    assert.is(tp.requests.length, 1, 'a block without <proxy> goes direct');
    assert.is(s.received.length, 2);
  } finally {
    await later.run();
  }
});
proxy('HTTP_PROXY of the environment applies without <proxy>, and NO_PROXY exempts a host', async () => {
  const later = teardown();
  try {
    const tp = later.add(await startHttpProxy(), (p) => p.stop());
    const s = later.add(await startStandIn({ answer: () => ({ status: 200, body: 'ok' }) }), (x) => x.close());
    const viaEnv = later.add(new HttpClient({ env: { HTTP_PROXY: tp.url } }), (h) => h.close());
    const exempt = later.add(new HttpClient({ env: { HTTP_PROXY: tp.url, NO_PROXY: '127.0.0.1' } }), (h) => h.close());
    assert.is((await viaEnv.send(post(`${s.url}/env`), never())).status, 200);
    const afterEnv = tp.requests.length;
    assert.ok(afterEnv >= 1, tp.requests.join('\n'));
    assert.is((await exempt.send(post(`${s.url}/exempt`), never())).status, 200);
    assert.is(tp.requests.length, afterEnv, 'NO_PROXY=127.0.0.1 goes direct');
    assert.is(s.received.length, 2);
  } finally {
    await later.run();
  }
});
proxy('a proxy that refuses the connection is a retryable error, not a crash', async () => {
  const later = teardown();
  try {
    const http = later.add(new HttpClient({ env: {} }), (h) => h.close());
    const s = later.add(await startStandIn({ answer: () => ({ status: 200, body: 'ok' }) }), (x) => x.close());
    const tp = await startHttpProxy();
    await tp.stop();
    const error = await http.send(post(`${s.url}/hook`, { proxy: tp.url }), never()).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.instance(error, HttpError);
    assert.is(classifyError(error).kind, 'retry');
    assert.is(s.received.length, 0);
  } finally {
    await later.run();
  }
});
proxy('a proxy that refuses the credentials (407) is reported as such, without the credentials; the right ones pass', async () => {
  const later = teardown();
  try {
    const tp = later.add(await startHttpProxy({ user: 'soc', pass: 's3cret-pw' }), (p) => p.stop());
    const s = later.add(await startStandIn({ answer: () => ({ status: 200, body: 'ok' }) }), (x) => x.close());
    const http = later.add(new HttpClient({ env: {} }), (h) => h.close());
    const withPassword = (pass: string) => {
      const url = new URL(tp.url);
      url.username = 'soc';
      url.password = pass;
      return url.toString();
    };
    const error = await http.send(post(`${s.url}/hook`, { proxy: withPassword('wrong-pw') }), never()).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.instance(error, HttpError);
    assert.is((error as HttpError).code, 'HTTP_PROXY');
    assert.match((error as HttpError).message, /^proxy refused the credentials \(407 Proxy Authentication Required\)/);
    assert.not.match((error as HttpError).message, /wrong-pw|soc|UND_ERR_ABORTED/);
    assert.is(tp.refused(), 1);
    assert.is(s.received.length, 0);
    assert.is((await http.send(post(`${s.url}/hook`, { proxy: withPassword('s3cret-pw') }), never())).status, 200);
    assert.is(s.received.length, 1);
  } finally {
    await later.run();
  }
});

const tls = suite('private CA (<ca_file>) against a TLS stand-in');
tls('with the CA the request is delivered; without it the TLS error is a retry with a clear reason', async () => {
  const later = teardown();
  try {
    const ca = later.add(await privateCa(), (c) => c.remove());
    const s = later.add(await startTlsStandIn(ca), (x) => x.close());
    const http = later.add(new HttpClient({ env: {} }), (h) => h.close());
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
    await later.run();
  }
});
tls('through the proxy, the CA checks the destination at the end of the tunnel', async () => {
  const later = teardown();
  try {
    const ca = later.add(await privateCa(), (c) => c.remove());
    const s = later.add(await startTlsStandIn(ca), (x) => x.close());
    const tp = later.add(await startHttpProxy(), (p) => p.stop());
    const http = later.add(new HttpClient({ env: {} }), (h) => h.close());
    const answer = await http.send(post(`${s.url}/hook`, { proxy: tp.url, ca: { file: ca.caFile, pem: ca.caPem } }), never());
    assert.is(answer.status, 200);
    assert.equal(tp.requests, [`CONNECT 127.0.0.1:${new URL(s.url).port}`]);
    assert.is(s.bodies.length, 1);
  } finally {
    await later.run();
  }
});

keys.run();
proxy.run();
tls.run();
