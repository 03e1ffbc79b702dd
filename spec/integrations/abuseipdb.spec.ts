// Specs for src/integrations/abuseipdb.ts (AbuseIPDB (ours, issue 23): the alert's public IPs checked, the community script's event written back).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openQueueSocketWriter } from '../../src/delivery/wazuh-queue.js';
import type { QueueWriter } from '../../src/delivery/queue-writer.js';
import type { HttpStep } from '../../src/delivery/step.js';
import { abuseipdb, abuseIpdbOptions, ABUSEIPDB_SKIP, type AbuseIpdbBlock } from '../../src/integrations/abuseipdb.js';
import { integrationFor } from '../../src/integrations/registry.js';
import { REPORTED_IP, REPORTED_IPV6, SAMPLE_SSH_IP, startAbuseIpdbStandIn } from '../../src/stand-ins/abuseipdb.js';
import type { StandIn } from '../../src/stand-ins/stand-in-server.js';
import { createMetrics } from '../../src/telemetry/metrics.js';
import { decodeLikeAnalysisd } from '../helpers/analysisd-decode.js';
import { parseQueueMessage } from '../../src/delivery/queue-message.js';
import { sampleAlert } from '../helpers/sample-alerts.js';
import { blockConfig, integrationEnv } from '../helpers/block-config.js';
import { bindQueueSocket, type QueueSocket } from '../helpers/queue-socket.js';
import { runSteps } from '../helpers/step-runner.js';

const KEY = 'abuseipdb-key-0123456789abcdef';

interface World {
  service: StandIn;
  queue: QueueSocket;
  writer: QueueWriter;
}
const withWorld = async (fn: (w: World) => Promise<void>, quota?: { limit: number; windowMs: number }) => {
  const service = await startAbuseIpdbStandIn({ apiKey: KEY, ...(quota ? { quota } : {}) });
  const queue = bindQueueSocket();
  const writer = await openQueueSocketWriter(queue.path);
  try {
    await fn({ service, queue, writer });
  } finally {
    await writer.close();
    queue.close();
    await service.close();
  }
};
const block = (hookUrl: string | undefined, extra: { options?: Record<string, unknown>; apiKey?: string; env?: Parameters<typeof integrationEnv>[1] } = {}): AbuseIpdbBlock =>
  abuseipdb.create(
    blockConfig({ name: 'abuseipdb', apiKey: extra.apiKey ?? KEY, ...(hookUrl === undefined ? {} : { hookUrl }), ...(extra.options ? { options: extra.options } : {}) }),
    integrationEnv('/var/ossec', extra.env),
  );
const alertWith = (data: Record<string, unknown>, agent: Record<string, unknown> = { id: '002', name: 'bastion-01', ip: '10.0.0.12' }) => ({
  id: '1765000000.42',
  rule: { id: '5710', level: 5, description: 'sshd: Attempt to login using a non-existent user' },
  agent,
  data,
});
const httpSteps = (b: AbuseIpdbBlock, alert: Record<string, unknown>) => b.plan(alert).filter((s): s is HttpStep => s.kind === 'http');

const request = suite('abuseipdb requests');
request('checks the public srcip at https://api.abuseipdb.com with the Key and Accept headers, maxAgeInDays 90', () => {
  const [step, ...rest] = httpSteps(block(undefined), alertWith({ srcip: REPORTED_IP }));
  assert.equal(rest, []);
  assert.is(step?.request.method, 'GET');
  assert.is(step?.request.url, `https://api.abuseipdb.com/api/v2/check?ipAddress=${REPORTED_IP}&maxAgeInDays=90`);
  assert.equal(step?.request.headers, { key: KEY, accept: 'application/json' });
  assert.ok(step?.secrets.includes(KEY));
});
request('hook_url replaces the base (trailing slash dropped); max_age_in_days is sent', () => {
  const [step] = httpSteps(block('http://127.0.0.1:9/', { options: { max_age_in_days: 30 } }), alertWith({ srcip: REPORTED_IP }));
  assert.is(step?.request.url, `http://127.0.0.1:9/api/v2/check?ipAddress=${REPORTED_IP}&maxAgeInDays=30`);
});
request('URL-encodes an IPv6 address', () => {
  const [step] = httpSteps(block(undefined), alertWith({ srcip: REPORTED_IPV6 }));
  assert.is(new URL(step?.request.url ?? '').search, `?ipAddress=${REPORTED_IPV6.replaceAll(':', '%3A')}&maxAgeInDays=90`);
});
request('looks up srcip then dstip, each address once; private, loopback, reserved and invalid values never', () => {
  const b = block(undefined);
  const urls = (data: Record<string, unknown>) => httpSteps(b, alertWith(data)).map((s) => new URL(s.request.url).searchParams.get('ipAddress'));
  assert.equal(urls({ srcip: REPORTED_IP, dstip: SAMPLE_SSH_IP }), [REPORTED_IP, SAMPLE_SSH_IP]);
  assert.equal(urls({ srcip: REPORTED_IP, dstip: REPORTED_IP }), [REPORTED_IP]);
  for (const ip of ['10.0.3.44', '192.168.1.1', '127.0.0.1', '::1', 'fe80::1', '240.0.0.1', '2001:db8::1', 'not an ip', 42]) {
    assert.equal(urls({ srcip: ip }), [], String(ip));
    assert.is(b.skip?.(alertWith({ srcip: ip })), ABUSEIPDB_SKIP, String(ip));
  }
  assert.is(b.skip?.(alertWith({ srcip: '10.0.0.1', dstip: REPORTED_IP })), undefined);
});
request('options.fields replaces the looked-up fields', () => {
  const b = block(undefined, { options: { fields: ['data.win.eventdata.ipAddress'] } });
  const steps = httpSteps(b, alertWith({ srcip: SAMPLE_SSH_IP, win: { eventdata: { ipAddress: REPORTED_IP } } }));
  assert.equal(steps.map((s) => new URL(s.request.url).searchParams.get('ipAddress')), [REPORTED_IP]);
});
request('refuses a missing api_key and bad options with the reason; the name is ours, registered', () => {
  assert.is(block(undefined, { apiKey: '' }).unavailable, 'abuseipdb needs an api_key');
  assert.match(block(undefined, { options: { fields: [] } }).unavailable ?? '', /options.fields must be/);
  assert.match(block(undefined, { options: { max_age_in_days: 366 } }).unavailable ?? '', /max_age_in_days/);
  assert.match(block(undefined, { options: { negative_cache_ttl_seconds: -1 } }).unavailable ?? '', /negative_cache_ttl_seconds/);
  assert.equal(abuseIpdbOptions(undefined), { fields: ['data.srcip', 'data.dstip'], maxAgeInDays: 90 });
  assert.is(integrationFor('abuseipdb'), abuseipdb);
  assert.is(abuseipdb.ours, true);
});
request.run();

const e2e = suite('abuseipdb against the stand-in and a real queue socket');
e2e('writes the community script\'s event for a reported srcip, field by field', () =>
  withWorld(async ({ service, queue, writer }) => {
    const run = await runSteps(block(service.url).plan(alertWith({ srcip: REPORTED_IP })), { writer });
    assert.is(run.outcome, 'delivered');
    assert.is(service.received[0]?.headers['key'], KEY);
    assert.is(service.received[0]?.headers['accept'], 'application/json');
    await queue.waitFor(1);
    const message = queue.messages[0] ?? '';
    assert.ok(message.startsWith('1:[002] (bastion-01) 10.0.0.12->abuseipdb:{"abuseipdb": {"found": 1, "source": {"alert_id": "1765000000.42", "rule": "5710", "description": "sshd: Attempt to login using a non-existent user", "full_log": null, "srcip": "118.25.6.39"}, '), message);
    assert.equal(parseQueueMessage(message)?.event, {
      abuseipdb: {
        found: 1,
        source: { alert_id: '1765000000.42', rule: '5710', description: 'sshd: Attempt to login using a non-existent user', full_log: null, srcip: REPORTED_IP },
        abuse_confidence_score: 100,
        country_code: 'CN',
        usage_type: 'Data Center/Web Hosting/Transit',
        isp: 'Tencent Cloud Computing (Beijing) Co. Ltd',
        domain: 'tencent.com',
        total_reports: 1093,
        last_reported_at: '2026-12-07T21:14:03+00:00',
      },
      integration: 'custom-abuseipdb',
    });
    const decoded = decodeLikeAnalysisd(message);
    assert.equal(decoded.agent, { id: '002', name: 'bastion-01', ip: '10.0.0.12' });
    assert.is(decoded.location, 'abuseipdb');
  }));
e2e('an unreported address is found 0 without the detail fields; the manager\'s own alert goes to location abuseipdb', () =>
  withWorld(async ({ service, queue, writer }) => {
    await runSteps(block(service.url).plan(alertWith({ srcip: '8.8.4.4' }, { id: '000', name: 'wazuh-manager' })), { writer });
    await queue.waitFor(1);
    const parsed = parseQueueMessage(queue.messages[0] ?? '');
    assert.is(parsed?.location, 'abuseipdb');
    const event = parsed?.event as { abuseipdb: Record<string, unknown> };
    assert.equal(Object.keys(event.abuseipdb), ['found', 'source']);
    assert.is(event.abuseipdb['found'], 0);
  }));
e2e('an IPv6 agent\'s location is escaped, and analysisd reads the agent back', () =>
  withWorld(async ({ service, queue, writer }) => {
    await runSteps(block(service.url).plan(alertWith({ srcip: REPORTED_IPV6 }, { id: '007', name: 'edge-v6', ip: 'fd00:10::7' })), { writer });
    assert.is(new URL(service.received[0]?.url ?? '', 'http://x').searchParams.get('ipAddress'), REPORTED_IPV6);
    await queue.waitFor(1);
    assert.ok(queue.messages[0]?.startsWith('1:[007] (edge-v6) fd00|:10|:|:7->abuseipdb:{'), queue.messages[0]);
    const decoded = decodeLikeAnalysisd(queue.messages[0] ?? '');
    assert.equal(decoded.agent, { id: '007', name: 'edge-v6', ip: 'fd00:10::7' });
    assert.is((decoded.data as { abuseipdb: { source: { srcip: string } } }).abuseipdb.source.srcip, REPORTED_IPV6);
  }));
e2e('sample alert 5 (SSH brute force) gets its srcip checked and written back under its agent', () =>
  withWorld(async ({ service, queue, writer }) => {
    await runSteps(block(service.url).plan(sampleAlert(5)), { writer });
    await queue.waitFor(1);
    const decoded = decodeLikeAnalysisd(queue.messages[0] ?? '');
    assert.equal(decoded.agent, sampleAlert(5)['agent']);
    assert.is((decoded.data as { abuseipdb: { source: { srcip: string } } }).abuseipdb.source.srcip, SAMPLE_SSH_IP);
  }));
e2e('a wrong key is dropped with AbuseIPDB\'s detail and writes nothing; a 5xx is retried', () =>
  withWorld(async ({ service, queue, writer }) => {
    const refused = await runSteps(block(service.url, { apiKey: 'wrong-key-000000' }).plan(alertWith({ srcip: REPORTED_IP })), { writer });
    assert.is(refused.outcome, 'dead-lettered');
    assert.match(refused.reason ?? '', /^abuseipdb answered 401: Authentication failed/);
    assert.not.match(refused.reason ?? '', /wrong-key/);
    await queue.waitFor(1);
    assert.is(queue.messages[0], '1:abuseipdb:{"abuseipdb": {"error": 401, "description": "Authentication failed. Your API key is either missing, incorrect, or revoked. Note: The APIv2 key differs from the APIv1 key."}, "integration": "custom-abuseipdb"}');
    queue.messages.length = 0;
    service.script({ status: 502, body: 'bad gateway' });
    const retried = await runSteps(block(service.url).plan(alertWith({ srcip: REPORTED_IP })), { writer });
    assert.equal([retried.outcome, retried.trace.map((t) => t.status)], ['delivered', [502, 200, undefined]]);
    await queue.waitFor(1);
    assert.is(queue.messages.length, 1);
  }));
e2e('answers are cached: a repeated address is written back without a second request; quota left is a gauge', () =>
  withWorld(async ({ service, queue, writer }) => {
    const metrics = createMetrics();
    const b = block(service.url, { env: { metrics } });
    await runSteps(b.plan(alertWith({ srcip: REPORTED_IP })), { writer });
    await runSteps(b.plan(alertWith({ srcip: REPORTED_IP })), { writer });
    assert.is(service.count, 1);
    await queue.waitFor(2);
    assert.is(queue.messages[0], queue.messages[1]);
    assert.equal(b.cache.stats, { hits: 1, misses: 1, size: 1 });
    const gauge = await metrics.enrichmentQuotaLeft.get();
    assert.equal(gauge.values.map((v) => v.value), [999]);
  }));
e2e('a negative answer is kept for negative_cache_ttl_seconds only (0: asked again)', () =>
  withWorld(async ({ service, writer }) => {
    const b = block(service.url, { options: { negative_cache_ttl_seconds: 0 } });
    await runSteps(b.plan(alertWith({ srcip: '8.8.4.4' })), { writer });
    await runSteps(b.plan(alertWith({ srcip: '8.8.4.4' })), { writer });
    await runSteps(b.plan(alertWith({ srcip: REPORTED_IP })), { writer });
    await runSteps(b.plan(alertWith({ srcip: REPORTED_IP })), { writer });
    assert.equal(service.received.map((r) => new URL(r.url, 'http://x').searchParams.get('ipAddress')), ['8.8.4.4', '8.8.4.4', REPORTED_IP]);
  }));
e2e('past the daily quota: 429 is a paused retry with the stand-in\'s Retry-After, and the gauge says 0 left', () =>
  withWorld(
    async ({ service, writer }) => {
      const metrics = createMetrics();
      const b = block(service.url, { env: { metrics } });
      await runSteps(b.plan(alertWith({ srcip: REPORTED_IP })), { writer });
      const run = await runSteps(b.plan(alertWith({ srcip: SAMPLE_SSH_IP })), { writer, retries: 0 });
      assert.is(run.outcome, 'dead-lettered');
      const verdict = run.trace[0]?.verdict;
      assert.is(verdict?.kind, 'retry');
      assert.match(run.reason ?? '', /^abuseipdb answered 429: Daily rate limit of 1 requests exceeded/);
      if (verdict?.kind !== 'retry') return;
      assert.is(verdict.pause, true);
      assert.ok((verdict.afterMs ?? 0) > 60_000 && (verdict.afterMs ?? 0) <= 15 * 60_000, String(verdict.afterMs));
      assert.equal((await metrics.enrichmentQuotaLeft.get()).values.map((v) => v.value), [0]);
      assert.is(service.count, 2);
    },
    { limit: 1, windowMs: 3_600_000 },
  ));
e2e.run();
