// Specs for src/telemetry/http-server.ts (The --http endpoint: /metrics (Prometheus text) and /healthz (JSON, 503 when unhealthy)).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, writeFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { Gauge, Registry } from 'prom-client';
import { request } from 'undici';
import { checkListenAddress, isLoopbackHost, parseListenAddress, readTokenFile, serveTelemetry } from '../../src/telemetry/http-server.js';
import { scrubSecrets } from '../../src/telemetry/log.js';
import { blockLabels, createMetrics } from '../../src/telemetry/metrics.js';
import type { HealthReport } from '../../src/telemetry/health.js';
import { tempDir } from '../helpers/temp-dir.js';

const parse = suite('parseListenAddress');
parse('reads HOST:PORT, PORT alone binds loopback', () => {
  assert.equal(parseListenAddress('127.0.0.1:9100'), { host: '127.0.0.1', port: 9100 });
  assert.equal(parseListenAddress('9100'), { host: '127.0.0.1', port: 9100 });
  assert.equal(parseListenAddress('[::1]:9100'), { host: '::1', port: 9100 });
});
parse('refuses anything else with a usage error', () => {
  for (const bad of ['', 'x', '1:2:3', '127.0.0.1:99999', 'host:']) {
    try {
      parseListenAddress(bad);
      assert.unreachable(bad);
    } catch (e) {
      assert.is((e as { code?: string }).code, 'INTEGRATORD_USAGE', bad);
    }
  }
});
parse.run();

const remote = suite('checkListenAddress');
remote('lets loopback through and refuses any other address or name without --http-allow-remote (usage error)', () => {
  for (const host of ['127.0.0.1', '127.0.0.53', '::1', 'localhost', '::ffff:127.0.0.1']) {
    assert.ok(isLoopbackHost(host), host);
    checkListenAddress({ host, port: 9100 }, false);
  }
  for (const host of ['0.0.0.0', '::', '192.168.1.10', '10.0.0.1', 'fe80::1', 'metrics.example', '::ffff:10.0.0.1']) {
    assert.not.ok(isLoopbackHost(host), host);
    try {
      checkListenAddress({ host, port: 9100 }, false);
      assert.unreachable(host);
    } catch (e) {
      assert.is((e as { code?: string }).code, 'INTEGRATORD_USAGE', host);
      assert.match((e as Error).message, '--http-allow-remote');
    }
    checkListenAddress({ host, port: 9100 }, true);
  }
});
remote.run();

const tokenFile = suite('readTokenFile');
tokenFile('reads the token without its newline and registers it as a secret', async () => {
  const dir = await tempDir();
  try {
    const file = join(dir.path, 'token');
    writeFileSync(file, 'metrics-token-spec-4711\n', { mode: 0o640 });
    assert.is(readTokenFile(file), 'metrics-token-spec-4711');
    assert.is(scrubSecrets('Bearer metrics-token-spec-4711'), 'Bearer **REDACTED**');
  } finally {
    await dir.remove();
  }
});
tokenFile('refuses a missing, an empty and a world-readable file (INTEGRATORD_IO)', async () => {
  const dir = await tempDir();
  try {
    const empty = join(dir.path, 'empty');
    writeFileSync(empty, ' \n', { mode: 0o600 });
    const open = join(dir.path, 'open');
    writeFileSync(open, 'metrics-token-spec-0815');
    chmodSync(open, 0o644);
    for (const [file, why] of [[join(dir.path, 'missing'), 'cannot read'], [empty, 'is empty'], [open, 'readable or writable by other users']] as const) {
      try {
        readTokenFile(file);
        assert.unreachable(file);
      } catch (e) {
        assert.is((e as { code?: string }).code, 'INTEGRATORD_IO', file);
        assert.match((e as Error).message, why);
      }
    }
  } finally {
    await dir.remove();
  }
});
tokenFile.run();

const serve = suite('serveTelemetry');
serve('serves /metrics as Prometheus text and /healthz as JSON with 200 or 503', async () => {
  const metrics = createMetrics();
  metrics.alertsDelivered.inc(blockLabels(0, 'slack'), 5);
  let report: HealthReport = { ok: true, blocks: [] };
  const endpoint = await serveTelemetry({ host: '127.0.0.1', port: 0 }, metrics.registry, () => report);
  try {
    const m = await request(`${endpoint.url}/metrics`);
    assert.is(m.statusCode, 200);
    assert.match(String(m.headers['content-type']), 'text/plain');
    assert.match(await m.body.text(), 'integratord_alerts_delivered_total{block="0",integration="slack"} 5');
    const ok = await request(`${endpoint.url}/healthz`);
    assert.is(ok.statusCode, 200);
    assert.equal(await ok.body.json(), { ok: true, blocks: [] });
    report = { ok: false, blocks: [{ block: 0, integration: 'slack', ok: false, lagBytes: 0, failingForSeconds: 400 }] };
    const bad = await request(`${endpoint.url}/healthz`);
    assert.is(bad.statusCode, 503);
    assert.is(((await bad.body.json()) as HealthReport).blocks[0]?.failingForSeconds, 400);
    const missing = await request(`${endpoint.url}/nope`);
    assert.is(missing.statusCode, 404);
    await missing.body.dump();
  } finally {
    await endpoint.close();
  }
});
serve('rejects with INTEGRATORD_IO when the port is taken', async () => {
  const metrics = createMetrics();
  const first = await serveTelemetry({ host: '127.0.0.1', port: 0 }, metrics.registry, () => ({ ok: true, blocks: [] }));
  try {
    const port = Number(new URL(first.url).port);
    await serveTelemetry({ host: '127.0.0.1', port }, metrics.registry, () => ({ ok: true, blocks: [] })).then(
      () => assert.unreachable(),
      (e: { code?: string }) => assert.is(e.code, 'INTEGRATORD_IO'),
    );
  } finally {
    await first.close();
  }
});
serve('with a token: 401 without it or with a wrong one, on /metrics and /healthz; 200 with it', async () => {
  const metrics = createMetrics();
  const endpoint = await serveTelemetry({ host: '127.0.0.1', port: 0 }, metrics.registry, () => ({ ok: true, blocks: [] }), { token: 'spec-bearer-token-1' });
  try {
    for (const path of ['/metrics', '/healthz']) {
      for (const authorization of [undefined, 'Bearer wrong', 'Bearer spec-bearer-token-', 'Bearer spec-bearer-token-11', 'Basic spec-bearer-token-1', 'Bearer ']) {
        const r = await request(`${endpoint.url}${path}`, authorization === undefined ? {} : { headers: { authorization } });
        assert.is(r.statusCode, 401, `${path} ${authorization}`);
        assert.is(r.headers['www-authenticate'], 'Bearer');
        await r.body.dump();
      }
      const ok = await request(`${endpoint.url}${path}`, { headers: { authorization: 'Bearer spec-bearer-token-1' } });
      assert.is(ok.statusCode, 200, path);
      await ok.body.dump();
    }
  } finally {
    await endpoint.close();
  }
});
serve('renders /metrics once for scrapes within the cache interval, again after it', async () => {
  const registry = new Registry();
  let renders = 0;
  new Gauge({ name: 'spec_renders', help: 'times the registry was rendered', registers: [registry], collect() {
    renders += 1;
    this.set(renders);
  } });
  const endpoint = await serveTelemetry({ host: '127.0.0.1', port: 0 }, registry, () => ({ ok: true, blocks: [] }), { metricsCacheMs: 300 });
  const scrape = async () => (await request(`${endpoint.url}/metrics`)).body.text();
  try {
    const [a, b] = await Promise.all([scrape(), scrape()]);
    const c = await scrape();
    assert.is(renders, 1, 'three scrapes in the interval, one render');
    assert.match(a, 'spec_renders 1');
    assert.is(b, a);
    assert.is(c, a);
    await new Promise((resolve) => setTimeout(resolve, 350));
    assert.match(await scrape(), 'spec_renders 2');
    assert.is(renders, 2);
  } finally {
    await endpoint.close();
  }
});
serve('200 slowloris connections: beyond the caps closed at once (the oldest first), the rest closed after the head timeout; the endpoint still answers', async () => {
  const metrics = createMetrics();
  const endpoint = await serveTelemetry({ host: '127.0.0.1', port: 0 }, metrics.registry, () => ({ ok: true, blocks: [] }), { timeoutMs: 1_500 });
  const port = Number(new URL(endpoint.url).port);
  let closed = 0;
  const sockets: Socket[] = [];
  try {
    const started = Date.now();
    for (let i = 0; i < 200; i++) {
      const socket = connect(port, '127.0.0.1');
      socket.on('error', () => undefined);
      socket.on('close', () => (closed += 1));
      // Half never send a byte, half send headers that never end.
      if (i % 2 === 1) socket.on('connect', () => socket.write('GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: '));
      sockets.push(socket);
    }
    while (closed < 200 - 64 && Date.now() - started < 1_000) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.ok(closed >= 200 - 64, `${closed} closed at once`);
    assert.ok(closed < 200, 'the newest are kept until their head timeout');
    while (closed < 200 && Date.now() - started < 6_000) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.is(closed, 200, 'every slow connection closed by the server');
    const r = await request(`${endpoint.url}/healthz`);
    assert.is(r.statusCode, 200);
    await r.body.dump();
  } finally {
    for (const s of sockets) s.destroy();
    await endpoint.close();
  }
});
/** GET /healthz on a connection of its own (no keep-alive pool): the status, or undefined without an answer within `limitMs`. */
const healthzOnce = (port: number, token: string, limitMs: number): Promise<number | undefined> =>
  new Promise((resolve) => {
    const req = httpGet({ host: '127.0.0.1', port, path: '/healthz', agent: false, headers: { authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    const timer = setTimeout(() => {
      req.destroy();
      resolve(undefined);
    }, limitMs);
    req.on('close', () => clearTimeout(timer));
    req.on('error', () => resolve(undefined));
  });
serve('80 slow connections trickling header lines (reconnecting when closed): an authorised /healthz answers in under 2 s in at least 19 of 20 tries', async () => {
  const token = 'flood-test-token-0123456789';
  const metrics = createMetrics();
  const endpoint = await serveTelemetry({ host: '127.0.0.1', port: 0 }, metrics.registry, () => ({ ok: true, blocks: [] }), { token });
  const port = Number(new URL(endpoint.url).port);
  let flooding = true;
  const sockets = new Set<Socket>();
  const open = (): void => {
    if (!flooding) return;
    const socket = connect(port, '127.0.0.1');
    sockets.add(socket);
    let trickle: NodeJS.Timeout | undefined;
    socket.on('error', () => undefined);
    socket.on('connect', () => {
      socket.write('GET /metrics HTTP/1.1\r\nHost: x\r\n');
      let n = 0;
      trickle = setInterval(() => socket.write(`X-Slow-${(n += 1)}: a\r\n`), 300);
    });
    socket.on('close', () => {
      clearInterval(trickle);
      sockets.delete(socket);
      setTimeout(open, 50);
    });
  };
  try {
    for (let i = 0; i < 80; i++) open();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const tries: { status: number | undefined; ms: number }[] = [];
    for (let i = 0; i < 20; i++) {
      const started = performance.now();
      const status = await healthzOnce(port, token, 2_500);
      tries.push({ status, ms: Math.round(performance.now() - started) });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const answered = tries.filter((t) => t.status === 200 && t.ms < 2_000).length;
    assert.ok(answered >= 19, `answered in time ${answered} of 20: ${JSON.stringify(tries)}`);
    assert.ok(sockets.size > 0, 'the flood was still on');
    const text = await metrics.registry.metrics();
    assert.match(text, /integratord_http_connections_shed_total\{reason="(per_address|capacity|head_timeout)"\} [1-9]/, 'slow connections were shed, and counted');
  } finally {
    flooding = false;
    for (const s of sockets) s.destroy();
    await endpoint.close();
  }
});
serve.run();
