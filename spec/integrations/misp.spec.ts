// Specs for src/integrations/misp.ts (MISP (ours, issue 23): custom-misp.py's IOCs looked up, its event written back).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openQueueSocketWriter } from '../../src/delivery/wazuh-queue.js';
import type { QueueWriter } from '../../src/delivery/queue-writer.js';
import type { HttpStep } from '../../src/delivery/step.js';
import { misp, mispBase, MISP_SKIP, type MispBlock } from '../../src/integrations/misp.js';
import { integrationFor } from '../../src/integrations/registry.js';
import { EICAR_SHA256, MISP_C2_IP, MISP_DOMAIN, startMispStandIn } from '../../src/stand-ins/misp.js';
import type { StandIn } from '../../src/stand-ins/stand-in-server.js';
import { createMetrics } from '../../src/telemetry/metrics.js';
import { decodeLikeAnalysisd } from '../helpers/analysisd-decode.js';
import { sampleAlert } from '../helpers/sample-alerts.js';
import { blockConfig, integrationEnv } from '../helpers/block-config.js';
import { bindQueueSocket, type QueueSocket } from '../helpers/queue-socket.js';
import { runSteps } from '../helpers/step-runner.js';
import { closedPort } from '../helpers/closed-port.js';

const KEY = 'misp-automation-key-0123456789';

interface World {
  service: StandIn;
  queue: QueueSocket;
  writer: QueueWriter;
}
const withWorld = async (fn: (w: World) => Promise<void>, rateLimit?: { limit: number; windowMs: number }) => {
  const service = await startMispStandIn({ apiKey: KEY, ...(rateLimit ? { rateLimit } : {}) });
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
const block = (hookUrl: string, extra: { options?: Record<string, unknown>; apiKey?: string; env?: Parameters<typeof integrationEnv>[1] } = {}): MispBlock =>
  misp.create(blockConfig({ name: 'misp', apiKey: extra.apiKey ?? KEY, hookUrl, ...(extra.options ? { options: extra.options } : {}) }), integrationEnv('/var/ossec', extra.env));
const dnsAlert = (name: string, agent: Record<string, unknown> = { id: '004', name: 'win-ws-04', ip: '10.0.4.4' }) => ({
  id: '1765000000.77',
  rule: { id: '61650', level: 3, description: 'Sysmon - Event 22: DNS query', groups: ['windows', 'sysmon', 'sysmon_event_22'] },
  agent,
  data: { win: { eventdata: { queryName: name, image: 'C:\\\\Windows\\\\explorer.exe' } } },
});
const httpSteps = (b: MispBlock, alert: Record<string, unknown>) => b.plan(alert).filter((s): s is HttpStep => s.kind === 'http');

const request = suite('misp requests');
request('POSTs {hook_url}/attributes/restSearch with Authorization: <key> (no Bearer), JSON, the value as the filter', () => {
  const [step, ...rest] = httpSteps(block('https://misp.example.com/'), sampleAlert(3));
  assert.equal(rest, []);
  assert.is(step?.request.method, 'POST');
  assert.is(step?.request.url, 'https://misp.example.com/attributes/restSearch');
  assert.equal(step?.request.headers, { authorization: KEY, accept: 'application/json', 'content-type': 'application/json' });
  assert.equal(JSON.parse(step?.request.body ?? ''), { returnFormat: 'json', value: EICAR_SHA256 });
  assert.ok(step?.secrets.includes(KEY));
});
request('the script\'s own hook (…/attributes/restSearch/) is accepted; a missing hook_url or api_key disables the block', () => {
  assert.equal(mispBase('https://misp.example.com/attributes/restSearch/'), { base: 'https://misp.example.com' });
  assert.match(block('').unavailable ?? '', /misp needs a hook_url/);
  assert.match(block('https://misp.example.com', { apiKey: '' }).unavailable ?? '', /misp needs an api_key/);
  assert.match(block('https://misp.example.com', { options: { fields: 'data.url' } }).unavailable ?? '', /options.fields/);
  assert.is(integrationFor('misp'), misp);
  assert.is(misp.ours, true);
});
request('alerts without an IOC are skipped with a reason; a value is JSON-encoded, never spliced into the URL', () => {
  const b = block('https://misp.example.com');
  assert.is(b.skip?.(sampleAlert(5)), MISP_SKIP);
  assert.is(b.skip?.(sampleAlert(3)), undefined);
  const [step] = httpSteps(b, dnsAlert('a"b/../x?y.example'));
  assert.is(step?.request.url, 'https://misp.example.com/attributes/restSearch');
  assert.is((JSON.parse(step?.request.body ?? '{}') as { value: string }).value, 'a"b/../x?y.example');
});
request.run();

const e2e = suite('misp against the stand-in and a real queue socket');
e2e('FIM sample 3 (EICAR): the first of MISP\'s two attributes written back as the script\'s event, field by field', () =>
  withWorld(async ({ service, queue, writer }) => {
    const run = await runSteps(block(service.url).plan(sampleAlert(3)), { writer });
    assert.is(run.outcome, 'delivered');
    assert.is(service.received[0]?.headers['authorization'], KEY);
    await queue.waitFor(1);
    const expected = { misp: { event_id: '1542', category: 'Payload delivery', value: EICAR_SHA256, type: 'sha256' }, integration: 'misp' };
    assert.is(queue.messages[0], `1:[001] (web-01) 10.0.0.11->misp:${JSON.stringify(expected).replaceAll('":', '": ').replaceAll(',"', ', "')}`);
    const decoded = decodeLikeAnalysisd(queue.messages[0] ?? '');
    assert.equal(decoded.agent, { id: '001', name: 'web-01', ip: '10.0.0.11' });
    assert.is(decoded.location, 'misp');
    assert.equal(decoded.data, expected);
  }));
e2e('an unknown value (MISP\'s empty answer) writes nothing and is cached for the negative TTL', () =>
  withWorld(async ({ service, queue, writer }) => {
    const metrics = createMetrics();
    const b = block(service.url, { env: { metrics } });
    for (let i = 0; i < 2; i++) assert.is((await runSteps(b.plan(dnsAlert('clean.example.org')), { writer })).outcome, 'delivered');
    await runSteps(b.plan(dnsAlert(MISP_DOMAIN)), { writer });
    await queue.waitFor(1);
    assert.is(service.count, 2, 'the unknown name asked once, the known one once');
    assert.equal(b.cache.stats, { hits: 1, misses: 2, size: 2 });
    assert.is(queue.messages.length, 1);
    assert.equal((decodeLikeAnalysisd(queue.messages[0] ?? '').data as { misp: { value: string } }).misp.value, MISP_DOMAIN);
  }));
e2e('an IPv6 agent\'s location is escaped, and analysisd reads the agent back', () =>
  withWorld(async ({ service, queue, writer }) => {
    await runSteps(block(service.url).plan(dnsAlert(MISP_DOMAIN, { id: '012', name: 'v6|host', ip: '2001:db8::12' })), { writer });
    await queue.waitFor(1);
    assert.ok(queue.messages[0]?.startsWith('1:[012] (v6||host) 2001|:db8|:|:12->misp:{"misp": {"event_id": "1650"'), queue.messages[0]);
    assert.equal(decodeLikeAnalysisd(queue.messages[0] ?? '').agent, { id: '012', name: 'v6|host', ip: '2001:db8::12' });
  }));
e2e('the manager\'s own alert goes to location misp; options.fields looks up a URL field too', () =>
  withWorld(async ({ service, queue, writer }) => {
    const alert = { ...sampleAlert(3), agent: { id: '000', name: 'manager' }, data: { dstip: MISP_C2_IP } };
    await runSteps(block(service.url, { options: { fields: ['data.dstip'] } }).plan(alert), { writer });
    await queue.waitFor(2);
    assert.equal(queue.messages.map((m) => m.slice(0, 7)), ['1:misp:', '1:misp:']);
    assert.equal(queue.messages.map((m) => (decodeLikeAnalysisd(m).data as { misp: { type: string } }).misp.type), ['sha256', 'ip-dst']);
  }));
e2e('a wrong key (403) and a missing one (401) are dead-lettered with MISP\'s message, never the key', () =>
  withWorld(async ({ service, queue, writer }) => {
    const refused = await runSteps(block(service.url, { apiKey: 'wrong-key-000000' }).plan(sampleAlert(3)), { writer });
    assert.is(refused.outcome, 'dead-lettered');
    assert.match(refused.reason ?? '', /^misp answered 403: Authentication failed/);
    assert.not.match(refused.reason ?? '', /wrong-key/);
    service.script({ status: 401, body: { name: 'Authentication failed.', message: 'Authentication failed.' } });
    const missing = await runSteps(block(service.url).plan(sampleAlert(3)), { writer });
    assert.is(missing.reason, 'misp answered 401: Authentication failed.');
    assert.is(queue.messages.length, 0);
  }));
e2e('past MISP\'s rate limit: 429 is a paused retry for the stand-in\'s Retry-After', () =>
  withWorld(
    async ({ service, writer }) => {
      const b = block(service.url);
      await runSteps(b.plan(sampleAlert(3)), { writer });
      const run = await runSteps(b.plan(dnsAlert(MISP_DOMAIN)), { writer, retries: 0 });
      const verdict = run.trace[0]?.verdict;
      assert.equal([run.outcome, verdict?.kind], ['dead-lettered', 'retry']);
      if (verdict?.kind !== 'retry') return;
      assert.is(verdict.pause, true);
      assert.ok((verdict.afterMs ?? 0) > 30_000 && (verdict.afterMs ?? 0) <= 60_000, String(verdict.afterMs));
    },
    { limit: 1, windowMs: 60_000 },
  ));
e2e('MISP unreachable: given up and dead-lettered, and the script\'s error event written (rule 100621); an answer writes none', () =>
  withWorld(async ({ queue, writer }) => {
    const run = await runSteps(block(`http://127.0.0.1:${await closedPort()}`).plan(sampleAlert(3)), { writer, retries: 0 });
    assert.is(run.outcome, 'dead-lettered');
    await queue.waitFor(1);
    assert.is(queue.messages[0], '1:[001] (web-01) 10.0.0.11->misp:{"misp": {"error": "Connection Error to MISP API"}, "integration": "misp"}');
  }));
e2e.run();
