// Specs for src/telemetry/http-server.ts (The --http endpoint: /metrics (Prometheus text) and /healthz (JSON, 503 when unhealthy)).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { request } from 'undici';
import { parseListenAddress, serveTelemetry } from '../../src/telemetry/http-server.js';
import { blockLabels, createMetrics } from '../../src/telemetry/metrics.js';
import type { HealthReport } from '../../src/telemetry/health.js';

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
serve.run();
