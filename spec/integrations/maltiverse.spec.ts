// Specs for src/integrations/maltiverse.ts (Maltiverse (reference §6.5): hashes, public source IP, hostname and URL of an alert looked up; ECS events written back).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { HttpClient } from '../../src/delivery/http.js';
import { openQueueSocketWriter } from '../../src/delivery/wazuh-queue.js';
import type { QueueWriter } from '../../src/delivery/queue-writer.js';
import type { HttpStep } from '../../src/delivery/step.js';
import { classifyMaltiverse, isValidMaltiverseHookUrl, maltiverse, maltiverseIndicators } from '../../src/integrations/maltiverse.js';
import { MALTIVERSE_FAILURES, MIMIKATZ_SAMPLE, PHISHING_URL, startMaltiverseStandIn } from '../../src/stand-ins/maltiverse.js';
import type { StandIn } from '../../src/stand-ins/stand-in-server.js';
import { createMetrics } from '../../src/telemetry/metrics.js';
import { decodeLikeAnalysisd } from '../helpers/analysisd-decode.js';
import { sampleAlert } from '../helpers/sample-alerts.js';
import { captureLogWhile } from '../helpers/capture-log.js';
import { blockConfig, integrationEnv } from '../helpers/block-config.js';
import { bindQueueSocket, type QueueSocket } from '../helpers/queue-socket.js';
import { runSteps } from '../helpers/step-runner.js';

const TOKEN = 'maltiverse-token-0123456789';
const urlChecksum = createHash('sha256').update(PHISHING_URL).digest('hex');

interface World {
  mv: StandIn;
  queue: QueueSocket;
  writer: QueueWriter;
}
const withWorld = async (fn: (w: World) => Promise<void>) => {
  const mv = await startMaltiverseStandIn({ token: TOKEN });
  const queue = bindQueueSocket();
  const writer = await openQueueSocketWriter(queue.path);
  try {
    await fn({ mv, queue, writer });
  } finally {
    await writer.close();
    queue.close();
    await mv.close();
  }
};
const block = (mv: StandIn, extra: { options?: Record<string, unknown>; apiKey?: string; env?: Parameters<typeof integrationEnv>[1] } = {}) =>
  maltiverse.create(
    blockConfig({ name: 'maltiverse', apiKey: extra.apiKey ?? TOKEN, hookUrl: mv.url, ...(extra.options ? { options: extra.options } : {}) }),
    integrationEnv('/var/ossec', extra.env),
  );
const mimikatzAlert = () => ({ ...sampleAlert(3), syscheck: { path: 'C:\\Users\\bob\\mimikatz.exe', md5_after: MIMIKATZ_SAMPLE.md5, sha1_after: MIMIKATZ_SAMPLE.sha1 } });

const hook = suite('isValidMaltiverseHookUrl');
hook('accepts and refuses the URLs of Wazuh\'s test_is_valid_url and process_args tests', () => {
  for (const url of ['http://example.com', 'https://example.com:8080', 'https://api.maltiverse.com', 'http://127.0.0.1:8080/', 'HTTPS://api.maltiverse.com/v1']) {
    assert.ok(isValidMaltiverseHookUrl(url), url);
  }
  for (const url of ['http://example.com/<script>', 'https://192.168.0.1:invalid', 'malformed://example.com', 'http://', 'https://user:some]password[@host.com',
    'https://user:some%5Dpassword%5B@host.com', 'example.com', ':8080/path', 'http://[::1]:80', 'http://under_score.com', 'http://x.com:123456', 'http://x.com/a|b']) {
    assert.not.ok(isValidMaltiverseHookUrl(url), url);
  }
});
hook.run();

const indicators = suite('maltiverseIndicators');
indicators('lists md5, sha1, public srcip, hostname and URL checksum in Wazuh\'s order', () => {
  const alert = { syscheck: { md5_after: 'm5', sha1_after: 's1' }, data: { srcip: '8.8.8.8', hostname: 'h.example', url: PHISHING_URL } };
  assert.equal(maltiverseIndicators(alert).indicators.map((i) => i.path), ['sample/md5/m5', 'sample/sha1/s1', 'ip/8.8.8.8', 'hostname/h.example', `url/${urlChecksum}`]);
});
indicators('skips private, loopback and reserved source IPs but looks up CGNAT 100.64.0.1 and IPv6', () => {
  assert.equal(maltiverseIndicators({ data: { srcip: '10.0.3.44' } }).indicators, []);
  assert.equal(maltiverseIndicators({ data: { srcip: '::1' } }).indicators, []);
  assert.equal(maltiverseIndicators({ data: { srcip: '100.64.0.1' } }).indicators.map((i) => i.path), ['ip/100.64.0.1']);
  assert.equal(maltiverseIndicators(sampleAlert(6)).indicators.map((i) => i.path), [`ip/${String((sampleAlert(6)['data'] as Record<string, unknown>)['srcip'])}`]);
});
indicators('reports a srcip that is not an address, and ignores empty or non-string values', () => {
  assert.equal(maltiverseIndicators({ data: { srcip: 'bad ip' } }), { indicators: [], invalidIp: 'bad ip' });
  assert.equal(maltiverseIndicators({ syscheck: { md5_after: '', sha1_after: null }, data: { hostname: 5 } }).indicators, []);
});
indicators('escapes path characters of the looked-up value', () => {
  assert.equal(maltiverseIndicators({ data: { hostname: 'a/b?c' } }).indicators[0]?.path, 'hostname/a%2Fb%3Fc');
});
indicators.run();

const classify = suite('classifyMaltiverse');
const respond = (status: number, body = '', headers: Record<string, string> = {}) => ({ status, body, headers });
classify('delivers JSON answers and reads 404 as an unknown indicator', () => {
  assert.equal(classifyMaltiverse(respond(200, '{"type":"ip"}')), { verdict: { kind: 'delivered' }, answer: { type: 'ip' } });
  assert.equal(classifyMaltiverse(respond(404, '{"message":"not found"}')), { verdict: { kind: 'delivered', detail: 'unknown indicator' }, answer: null });
});
classify('retries 429 with a pause and 5xx; drops other 4xx and non-JSON answers', () => {
  assert.equal(classifyMaltiverse(respond(429, '', { 'retry-after': '3' })).verdict, { kind: 'retry', reason: 'maltiverse rate limit (429)', afterMs: 3000, pause: true });
  assert.equal(classifyMaltiverse(respond(429)).verdict, { kind: 'retry', reason: 'maltiverse rate limit (429)', afterMs: 60_000, pause: true });
  assert.is(classifyMaltiverse(respond(502)).verdict.kind, 'retry');
  assert.is(classifyMaltiverse(respond(401)).verdict.kind, 'drop');
  assert.is(classifyMaltiverse(respond(200, '<html>')).verdict.kind, 'drop');
});
classify.run();

const e2e = suite('maltiverse against the stand-in and a real queue socket');
e2e('looks up sample 5\'s public srcip and writes the event analysisd decodes as sample 17', () =>
  withWorld(async ({ mv, queue, writer }) => {
    const run = await runSteps(block(mv).plan(sampleAlert(5)), { writer });
    assert.is(run.outcome, 'delivered');
    assert.equal(mv.received.map((r) => r.url), ['/ip/77.53.9.158']);
    assert.is(mv.received[0]?.headers['authorization'], `Bearer ${TOKEN}`);
    assert.is(mv.received[0]?.headers['accept'], 'application/json');
    await queue.waitFor(1);
    const decoded = decodeLikeAnalysisd(queue.messages[0] ?? '');
    const expected = sampleAlert(17);
    assert.equal(decoded.agent, expected['agent']);
    assert.is(decoded.location, expected['location']);
    assert.is(JSON.stringify(decoded.data), JSON.stringify(expected['data']));
  }));
e2e('escapes an IPv6 agent\'s location, and analysisd reads the agent back', () =>
  withWorld(async ({ mv, queue, writer }) => {
    await runSteps(block(mv).plan({ ...sampleAlert(5), agent: { id: '012', name: 'gw-v6', ip: 'fd00:1::12' } }), { writer });
    await queue.waitFor(1);
    assert.ok(queue.messages[0]?.startsWith('1:[012] (gw-v6) fd00|:1|:|:12->maltiverse:{'), queue.messages[0]);
    assert.equal(decodeLikeAnalysisd(queue.messages[0] ?? '').agent, { id: '012', name: 'gw-v6', ip: 'fd00:1::12' });
  }));
e2e('writes one event per answer in lookup order: hostname, then URL by checksum (sample 14; private srcip skipped)', () =>
  withWorld(async ({ mv, queue, writer }) => {
    await runSteps(block(mv).plan(sampleAlert(14)), { writer });
    assert.equal(mv.received.map((r) => r.url), ['/hostname/paypal.com-information-update-activity-account.gq', `/url/${urlChecksum}`]);
    await queue.waitFor(2);
    const [host, url] = queue.messages.map((m) => decodeLikeAnalysisd(m).data as { threat: { indicator: Record<string, string> } });
    assert.equal([host?.threat.indicator['type'], host?.threat.indicator['confidence'], host?.threat.indicator['sightings']], ['domain-name', 'High', '3']);
    assert.is(host?.threat.indicator['provider'], 'Maltiverse, OpenPhish, PhishTank');
    assert.equal([url?.threat.indicator['name'], url?.threat.indicator['reference']], [PHISHING_URL, `https://maltiverse.com/url/${urlChecksum}`]);
    assert.match(queue.messages[0] ?? '', /^1:\[006\] \(proxy-01\) 10\.0\.2\.2->maltiverse:\{"integration": "maltiverse", "alert_id": "1715692540\.512400", /);
  }));
e2e('looks up both hashes of a FIM alert and names the last MITRE software of the blacklist', () =>
  withWorld(async ({ mv, queue, writer }) => {
    await runSteps(block(mv).plan(mimikatzAlert()), { writer });
    assert.equal(mv.received.map((r) => r.url), [`/sample/md5/${MIMIKATZ_SAMPLE.md5}`, `/sample/sha1/${MIMIKATZ_SAMPLE.sha1}`]);
    await queue.waitFor(2);
    const software = queue.messages.map((m) => (decodeLikeAnalysisd(m).data as { threat: { software?: unknown } }).threat.software);
    const expected = { id: 'S0002', reference: 'https://attack.mitre.org/software/S0002', name: 'Mimikatz' };
    assert.equal(software, [expected, expected]);
  }));
e2e('writes nothing for an unknown indicator ({}) and still delivers', () =>
  withWorld(async ({ mv, queue, writer }) => {
    const run = await runSteps(block(mv).plan({ id: '1', data: { hostname: 'nothing-known.example' } }), { writer });
    assert.is(run.outcome, 'delivered');
    assert.is(mv.received.length, 1);
    assert.equal(queue.messages, []);
  }));
e2e('turns HTTP errors into verdicts, never into events (401 dropped, 500 retried, non-JSON dropped)', () =>
  withWorld(async ({ mv, queue, writer }) => {
    const refused = await runSteps(block(mv, { apiKey: 'wrong-token-000' }).plan(sampleAlert(5)), { writer });
    assert.equal([refused.outcome, mv.received.length], ['dead-lettered', 1]);
    mv.script(MALTIVERSE_FAILURES.serverError, MALTIVERSE_FAILURES.serverError);
    const flaky = await runSteps(block(mv).plan(sampleAlert(5)), { writer, retries: 3 });
    assert.equal([flaky.outcome, mv.received.length], ['delivered', 4]);
    mv.script(MALTIVERSE_FAILURES.notJson);
    const garbled = await runSteps(block(mv).plan(sampleAlert(5)), { writer });
    assert.is(garbled.outcome, 'dead-lettered');
    await queue.waitFor(1);
    assert.is(queue.messages.length, 1);
  }));
e2e('pauses on 429 with Retry-After, then delivers', () =>
  withWorld(async ({ mv, queue, writer }) => {
    mv.script(MALTIVERSE_FAILURES.rateLimit);
    const run = await runSteps(block(mv).plan(sampleAlert(5)), { writer });
    assert.equal(run.trace[0]?.verdict, { kind: 'retry', reason: 'maltiverse rate limit (429)', afterMs: 1000, pause: true });
    assert.is(run.outcome, 'delivered');
    await queue.waitFor(1);
  }));
e2e('retries a slow service after a timeout and delivers when it answers in time', () =>
  withWorld(async ({ mv, queue, writer }) => {
    mv.script('hang');
    const run = await runSteps(block(mv).plan(sampleAlert(5)), { writer, timeoutMs: 150 });
    assert.equal(run.trace[0]?.verdict, { kind: 'retry', reason: 'request timed out' });
    assert.is(run.outcome, 'delivered');
    await queue.waitFor(1);
  }));
e2e('a data.hostname of .. or . is looked up as itself: the bearer token never goes to the API base', async () => {
  const mv = await startMaltiverseStandIn({ token: TOKEN });
  const http = new HttpClient();
  try {
    for (const hostname of ['..', '.']) {
      const steps = block(mv).plan({ ...sampleAlert(14), data: { hostname } });
      assert.is(steps.length, 1, hostname);
      const step = steps[0] as HttpStep;
      await http.send(step.request, new AbortController().signal);
    }
    assert.equal(mv.received.map((r) => r.url), ['/hostname/%2E%2E', '/hostname/%2E']);
    assert.ok(mv.received.every((r) => r.headers['authorization'] === `Bearer ${TOKEN}`));
  } finally {
    await http.close();
    await mv.close();
  }
});
e2e.run();

const cache = suite('maltiverse cache');
cache('answers repeated indicators (positive and empty) without requests, with the same events', () =>
  withWorld(async ({ mv, queue, writer }) => {
    const metrics = createMetrics();
    const b = block(mv, { env: { metrics } });
    const alert = { ...sampleAlert(5), data: { srcip: '77.53.9.158', hostname: 'nothing-known.example' } };
    await runSteps(b.plan(alert), { writer });
    const again = b.plan(alert);
    assert.equal(again.map((s) => s.kind), ['queue']);
    await runSteps(again, { writer });
    assert.is(mv.received.length, 2);
    assert.equal(b.cache.stats, { hits: 2, misses: 2, size: 2 });
    await queue.waitFor(2);
    assert.is(queue.messages[1], queue.messages[0]);
    assert.match(await metrics.registry.metrics(), /integratord_enrichment_cache_hits_total\{block="0",integration="maltiverse"\} 2/);
  }));
cache.run();

const create = suite('maltiverse.create');
create('refuses an invalid hook_url at create time, without printing it', () => {
  const b = maltiverse.create(blockConfig({ name: 'maltiverse', apiKey: TOKEN, hookUrl: 'https://user:secret-pass@host.com' }), integrationEnv());
  assert.match(b.unavailable ?? '', /hook_url seems to be invalid/);
  assert.not.match(b.unavailable ?? '', /secret-pass/);
  assert.equal(b.plan(sampleAlert(5)), []);
});
create('needs both hook_url and api_key, and checks options', () => {
  assert.match(maltiverse.create(blockConfig({ name: 'maltiverse', apiKey: TOKEN }), integrationEnv()).unavailable ?? '', /hook_url/);
  const bad = maltiverse.create(blockConfig({ name: 'maltiverse', apiKey: TOKEN, hookUrl: 'https://api.maltiverse.com', options: { cache_size: 0 } }), integrationEnv());
  assert.match(bad.unavailable ?? '', /cache_size/);
  const limited = maltiverse.create(blockConfig({ name: 'maltiverse', apiKey: TOKEN, hookUrl: 'https://api.maltiverse.com/', options: { rate_per_minute: 30 } }), integrationEnv());
  assert.is(limited.requestsPerMinute, 30);
  const step = limited.plan(sampleAlert(5))[0] as HttpStep;
  assert.is(step.request.url, 'https://api.maltiverse.com/ip/77.53.9.158');
  assert.equal(step.secrets, [TOKEN, 'https://api.maltiverse.com/']);
});
create('skips an alert with nothing to look up, and logs an invalid srcip at debug', async () => {
  const b = maltiverse.create(blockConfig({ name: 'maltiverse', apiKey: TOKEN, hookUrl: 'https://api.maltiverse.com' }), integrationEnv());
  assert.is(b.skip?.(sampleAlert(18)), 'maltiverse-no-indicator');
  assert.is(b.skip?.(sampleAlert(4)), 'maltiverse-no-indicator');
  assert.is(b.skip?.(sampleAlert(5)), undefined);
  const { lines } = await captureLogWhile(() => b.plan({ data: { srcip: 'not-an-ip', hostname: 'h.example' } }));
  assert.ok(lines.some((l) => l.includes('Invalid IP address format: not-an-ip')));
  assert.not.ok(lines.some((l) => l.includes(TOKEN)));
});
create.run();
