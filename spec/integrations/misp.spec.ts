// Specs for src/integrations/misp.ts (MISP (ours, issue 23): the wazuh-misp-integration custom-misp.py's IOCs looked up, its one event written back).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openQueueSocketWriter } from '../../src/delivery/wazuh-queue.js';
import type { QueueWriter } from '../../src/delivery/queue-writer.js';
import type { HttpStep } from '../../src/delivery/step.js';
import { misp, mispBase, MISP_SKIP, type MispBlock } from '../../src/integrations/misp.js';
import { integrationFor } from '../../src/integrations/registry.js';
import { request as httpRequest } from 'undici';
import { EICAR_SHA1, EICAR_SHA256, MISP_C2_IP, MISP_DOMAIN, startMispStandIn } from '../../src/stand-ins/misp.js';
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
const dnsAlert = (name: string, agent?: Record<string, unknown>) => ({
  id: '1765000000.77',
  timestamp: '2026-12-08T04:00:00.000+0000',
  rule: { id: '61650', level: 3, description: 'Sysmon - Event 22: DNS query', groups: ['windows', 'sysmon', 'sysmon_event_22'] },
  ...(agent === undefined ? {} : { agent }),
  manager: { name: 'wazuh-manager' },
  data: { win: { eventdata: { queryName: name } } },
});
const EICAR_MD5 = '44d88612fea8a8f36de82e1278abb02f';
const values = (service: StandIn) => service.received.map((r) => (r.json as { value: string }).value);

/** The script's attr_info, read here from the stand-in's raw answer (Attribute[0] and its Event). */
const attrInfo = async (base: string, value: string) => {
  const res = await httpRequest(`${base}/attributes/restSearch/`, { method: 'POST', headers: { authorization: KEY, 'content-type': 'application/json' }, body: JSON.stringify({ value }) });
  const a = ((await res.body.json()) as { response: { Attribute: Record<string, any>[] } }).response.Attribute[0] ?? {};
  return { value: a['value'], comment: a['comment'], uuid: a['uuid'], timestamp: a['timestamp'], event_id: a['event_id'], event_org_id: a['Event']['org_id'], event_info: a['Event']['info'], threat_level_id: a['Event']['threat_level_id'] };
};
const original = (a: Record<string, any>) => ({ id: a['id'], 'manager.name': a['manager']['name'], 'rule.groups': a['rule']['groups'], 'rule.id': a['rule']['id'], 'rule.level': a['rule']['level'], timestamp: a['timestamp'], 'rule.description': a['rule']['description'] });
const httpSteps = (b: MispBlock, alert: Record<string, unknown>) => b.plan(alert).filter((s): s is HttpStep => s.kind === 'http');

const request = suite('misp requests');
request('POSTs {base}/attributes/restSearch/ with the script\'s headers and body; one lookup at a time (the next after the answer)', () => {
  const [step, ...rest] = block('https://misp.example.com/').plan(sampleAlert(3));
  assert.equal(rest, []);
  if (step?.kind !== 'http') return assert.unreachable('an HTTP step first');
  assert.is(step.request.method, 'POST');
  assert.is(step.request.url, 'https://misp.example.com/attributes/restSearch/');
  assert.equal(step.request.headers, { 'content-type': 'application/json', authorization: KEY, accept: 'application/json' });
  assert.is(step.request.body, `{"value":"${EICAR_SHA1}","returnFormat":"json","includeContext":true,"includeEventTags":true,"includeAttributeTags":true,"includeSightings":true}`);
  assert.ok(step.secrets.includes(KEY));
});
request('the script\'s own hook (…/attributes/restSearch/) is accepted; a missing hook_url or api_key disables the block', () => {
  assert.equal(mispBase('https://misp.example.com/attributes/restSearch/'), { base: 'https://misp.example.com' });
  assert.match(block('').unavailable ?? '', /misp needs a hook_url/);
  assert.match(block('https://misp.example.com', { apiKey: '' }).unavailable ?? '', /misp needs an api_key/);
  assert.is(integrationFor('misp'), misp);
  assert.is(misp.ours, true);
});
request('alerts without an IOC are skipped with a reason; a value is JSON-encoded, never spliced into the URL', () => {
  const b = block('https://misp.example.com');
  assert.is(b.skip?.({ rule: { id: '5715' }, data: { srcuser: 'root', srcip: '' }, syscheck: { path: '/etc/x' } }), MISP_SKIP);
  assert.is(b.skip?.(sampleAlert(3)), undefined);
  const [step] = httpSteps(b, dnsAlert('a"b/../x?y.example'));
  assert.is(step?.request.url, 'https://misp.example.com/attributes/restSearch/');
  assert.is((JSON.parse(step?.request.body ?? '{}') as { value: string }).value, 'a"b/../x?y.example');
});
request.run();

const e2e = suite('misp against the stand-in and a real queue socket');
e2e('FIM sample 3 (EICAR): sha1, sha256, md5 asked in turn; ONE compact event, field by field and in the script\'s key order', () =>
  withWorld(async ({ service, queue, writer }) => {
    const alert = sampleAlert(3) as Record<string, any>;
    const run = await runSteps(block(service.url).plan(alert), { writer });
    assert.is(run.outcome, 'delivered');
    assert.equal(values(service), [EICAR_SHA1, EICAR_SHA256, EICAR_MD5]);
    assert.is(service.received[0]?.headers['authorization'], KEY);
    await queue.waitFor(1);
    const expected = {
      ioc: { sha1: EICAR_SHA1, sha256: EICAR_SHA256, md5: EICAR_MD5 },
      result_flags: { sha1_misp: true, sha256_misp: true, md5_misp: false },
      misp_response: { sha1: await attrInfo(service.url, EICAR_SHA1), sha256: await attrInfo(service.url, EICAR_SHA256), md5: {} },
      original_alert: original(alert),
      integration: 'misp',
      threat: 'MISP match',
    };
    assert.is(expected.misp_response.sha256.event_id, '1542', 'the first of MISP\'s two attributes');
    assert.equal(queue.messages, [`1:[001] (web-01) 10.0.0.11->misp:${JSON.stringify(expected)}`]);
    const decoded = decodeLikeAnalysisd(queue.messages[0] ?? '');
    assert.equal([decoded.agent, decoded.location], [{ id: '001', name: 'web-01', ip: '10.0.0.11' }, 'misp']);
    assert.equal((decoded.data as { result_flags: unknown }).result_flags, { sha1_misp: 'true', sha256_misp: 'true', md5_misp: 'false' }, 'analysisd reads the flags rules 100620–100624 test');
  }));
e2e('no value known: nothing written; every answer cached (the same alert again asks nothing)', () =>
  withWorld(async ({ service, queue, writer }) => {
    const b = block(service.url, { env: { metrics: createMetrics() } });
    for (let i = 0; i < 2; i++) assert.is((await runSteps(b.plan(dnsAlert('clean.example.org')), { writer })).outcome, 'delivered');
    await runSteps(b.plan(sampleAlert(3)), { writer });
    await runSteps(b.plan(sampleAlert(3)), { writer });
    await queue.waitFor(2);
    assert.equal(values(service), ['clean.example.org', EICAR_SHA1, EICAR_SHA256, EICAR_MD5], 'each value asked once');
    assert.equal(b.cache.stats, { hits: 4, misses: 4, size: 4 });
    assert.is(queue.messages.length, 2);
    assert.is(queue.messages[0], queue.messages[1], 'the cached answers write the same event');
  }));
e2e('locations: an IPv6 agent escaped (analysisd reads it back); agent 000 and no agent → "misp"', () =>
  withWorld(async ({ service, queue, writer }) => {
    const b = block(service.url);
    await runSteps(b.plan(dnsAlert(MISP_DOMAIN, { id: '012', name: 'v6|host', ip: '2001:db8::12' })), { writer });
    await runSteps(b.plan({ ...dnsAlert(MISP_DOMAIN, { id: '000', name: 'manager' }) }), { writer });
    await runSteps(b.plan({ ...dnsAlert(MISP_DOMAIN), data: { dst_ip: MISP_C2_IP } }), { writer });
    await queue.waitFor(3);
    assert.ok(queue.messages[0]?.startsWith('1:[012] (v6||host) 2001|:db8|:|:12->misp:{"ioc":{"domain":"login-micros0ft-support.com"}'), queue.messages[0]);
    assert.equal(decodeLikeAnalysisd(queue.messages[0] ?? '').agent, { id: '012', name: 'v6|host', ip: '2001:db8::12' });
    assert.equal(queue.messages.slice(1).map((m) => m.slice(0, 7)), ['1:misp:', '1:misp:']);
    assert.equal((decodeLikeAnalysisd(queue.messages[2] ?? '').data as { result_flags: unknown }).result_flags, { ip_dst_misp: 'true' });
  }));
e2e('a wrong key (403): every value still asked, the script\'s misp_error_response event, never the key; the alert kept', () =>
  withWorld(async ({ service, queue, writer }) => {
    const run = await runSteps(block(service.url, { apiKey: 'wrong-key-000000' }).plan(sampleAlert(3)), { writer });
    assert.is(run.outcome, 'dead-lettered', 'redriven once the key is fixed');
    assert.match(run.reason ?? '', /^misp answered 403: /);
    assert.is(service.count, 3);
    await queue.waitFor(1);
    const error = { status: 403, message: 'Authentication failed. Please make sure you pass the API key of an API enabled user along in the Authorization header.', url: '/attributes/restSearch' };
    const expected = { misp_error_response: { sha1: error, sha256: error, md5: error }, integration: 'misp', threat: 'MISP error' };
    assert.equal(queue.messages, [`1:[001] (web-01) 10.0.0.11->misp:${JSON.stringify(expected)}`]);
    assert.not.match(queue.messages[0] ?? '', /wrong-key/);
  }));
e2e('past MISP\'s rate limit: 429 is a paused retry for the stand-in\'s Retry-After', () =>
  withWorld(
    async ({ service, writer }) => {
      const run = await runSteps(block(service.url).plan(sampleAlert(3)), { writer, retries: 0 });
      const verdict = run.trace[1]?.verdict;
      assert.equal([run.outcome, run.trace[0]?.status, run.trace[1]?.status, verdict?.kind], ['dead-lettered', 200, 429, 'retry']);
      if (verdict?.kind !== 'retry') return;
      assert.is(verdict.pause, true);
      assert.ok((verdict.afterMs ?? 0) > 30_000 && (verdict.afterMs ?? 0) <= 60_000, String(verdict.afterMs));
    },
    { limit: 1, windowMs: 60_000 },
  ));
e2e('MISP unreachable: dead-lettered, nothing written; one value lost mid-alert: redriven, the answered ones from the cache', () =>
  withWorld(async ({ service, queue, writer }) => {
    const down = await runSteps(block(`http://127.0.0.1:${await closedPort()}`).plan(sampleAlert(3)), { writer, retries: 0 });
    assert.equal([down.outcome, down.sent], ['dead-lettered', []]);
    const b = block(service.url);
    service.script({ status: 200, body: { response: { Attribute: [] } } }, 'reset');
    const cut = await runSteps(b.plan(sampleAlert(3)), { writer, retries: 0 });
    assert.equal([cut.outcome, cut.sent], ['dead-lettered', []]);
    const redriven = await runSteps(b.plan(sampleAlert(3)), { writer });
    assert.is(redriven.outcome, 'delivered');
    assert.equal(values(service), [EICAR_SHA1, EICAR_SHA256, EICAR_SHA256, EICAR_MD5], 'sha1 served from the cache on the redrive');
    await queue.waitFor(1);
    assert.equal((decodeLikeAnalysisd(queue.messages[0] ?? '').data as { result_flags: unknown }).result_flags, { sha1_misp: 'false', sha256_misp: 'true', md5_misp: 'false' });
  }));
e2e.run();
