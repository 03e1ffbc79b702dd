// Specs for src/integrations/opencti.ts (OpenCTI (ours, issue 23): custom-opencti.py's IOCs in one GraphQL query, its events written back).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openQueueSocketWriter } from '../../src/delivery/wazuh-queue.js';
import type { QueueWriter } from '../../src/delivery/queue-writer.js';
import type { HttpStep } from '../../src/delivery/step.js';
import { opencti, openCtiEndpoint, OPENCTI_SKIP, type OpenCtiBlock } from '../../src/integrations/opencti.js';
import { integrationFor } from '../../src/integrations/registry.js';
import { OPENCTI_C2_IP as C2, OPENCTI_EICAR_SHA256 as EICAR, OPENCTI_PHISHING_DOMAIN as DOMAIN, startOpenCtiStandIn } from '../../src/stand-ins/opencti.js';
import type { StandIn } from '../../src/stand-ins/stand-in-server.js';
import { parseQueueMessage } from '../../src/delivery/queue-message.js';
import { decodeLikeAnalysisd } from '../helpers/analysisd-decode.js';
import { sampleAlert } from '../helpers/sample-alerts.js';
import { blockConfig, integrationEnv } from '../helpers/block-config.js';
import { bindQueueSocket, type QueueSocket } from '../helpers/queue-socket.js';
import { runSteps } from '../helpers/step-runner.js';
import { closedPort } from '../helpers/closed-port.js';

const TOKEN = 'opencti-token-5f0c9c1e-4d6a';

interface World {
  service: StandIn;
  queue: QueueSocket;
  writer: QueueWriter;
}
const withWorld = async (fn: (w: World) => Promise<void>) => {
  const service = await startOpenCtiStandIn({ token: TOKEN });
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
const block = (hookUrl: string, token = TOKEN): OpenCtiBlock => opencti.create(blockConfig({ name: 'opencti', apiKey: token, hookUrl }), integrationEnv('/var/ossec'));
const sysmon = (n: number, group: string, eventdata: Record<string, unknown>, agent: Record<string, unknown> = { id: '004', name: 'win-ws-04', ip: '10.0.4.4' }) => ({
  id: `1765000000.${n}`,
  rule: { id: '6160' + String(n), level: 3, description: 'Sysmon', groups: ['windows', 'sysmon', group] },
  agent,
  data: { win: { eventdata } },
});

// The events custom-opencti.py writes for these alerts, written out from its documented logic (remove_empties drops
// null, '', 0, [] and {}; objectLabel becomes labels at the end; links are the hook without "graphql" + dashboard/…).
const AUTHOR = { id: 'b3a1c9e2-0000-4000-8000-000000000001', standard_id: 'identity--6b1c7a2e-0000-4000-8000-000000000001', identity_class: 'organization', name: 'CERT Example', x_opencti_organization_type: 'CSIRT', x_opencti_reliability: 'B' };
const WHEN = { created_at: '2026-11-02T09:15:00.000Z', updated_at: '2026-12-01T18:40:12.000Z' };
const SHORT_C2 = { id: '2f6e0c1a-c2c2-4c2c-8c2c-000000000047', name: C2, valid_until: '2027-06-01T00:00:00.000Z', revoked: false, confidence: 80, x_opencti_score: 85, x_opencti_detection: true, indicator_types: ['malicious-activity'], pattern_type: 'stix', pattern: `[ipv4-addr:value = '${C2}']`, killChainPhases: ['mitre-attack'], labels: ['c2', 'tor'] };
const { id: C2_ID, ...C2_REST } = SHORT_C2;
const expectedFor = (base: string) => ({
  c2: {
    integration: 'opencti',
    opencti: {
      indicator: { id: C2_ID, type: 'Indicator', ...WHEN, createdBy: AUTHOR, externalReferences: [`https://intel.example.org/ioc/${C2_ID}`], ...C2_REST },
      indicator_link: `${base}/dashboard/observations/indicators/${SHORT_C2.id}`,
      query_key: 'value',
      query_values: `[ipv4-addr:value = '${C2}']`,
      event_type: 'indicator_pattern_match',
      source: { alert_id: '1765000000.3', rule_id: '61603' },
    },
  },
  eicar: {
    integration: 'opencti',
    opencti: {
      id: 'c0ffee00-e1ca-4e1c-8e1c-0000000000f1', type: 'StixFile', ...WHEN, createdBy: AUTHOR,
      observable_value: EICAR, x_opencti_description: 'EICAR anti-virus test file', x_opencti_score: 60, size: 68, name: 'eicar.com', x_opencti_additional_names: ['eicar.txt'],
      query_key: 'hashes.SHA256', query_values: EICAR, event_type: 'observable_with_indicator',
      observable_link: `${base}/dashboard/observations/observables/c0ffee00-e1ca-4e1c-8e1c-0000000000f1`,
      labels: ['test-file'],
      indicator: { id: '7d9a5b3c-e1ca-4e1c-8e1c-000000000eca', name: 'EICAR test file', valid_until: '2027-06-01T00:00:00.000Z', revoked: false, confidence: 80, x_opencti_score: 60, x_opencti_detection: true, indicator_types: ['malicious-activity'], pattern_type: 'stix', pattern: "[file:hashes.MD5 = '44d88612fea8a8f36de82e1278abb02f']", labels: ['c2', 'tor'] },
      multipleIndicators: false,
      indicator_link: `${base}/dashboard/observations/indicators/7d9a5b3c-e1ca-4e1c-8e1c-000000000eca`,
      source: { alert_id: '1715682093.120934', rule_id: '554', file: '/home/alice/Downloads/eicar.com', md5: '44d88612fea8a8f36de82e1278abb02f', sha1: '3395856ce81f2b7382dee72602f798b642f14140', sha256: EICAR },
    },
  },
  domain: {
    integration: 'opencti',
    opencti: {
      id: 'd0d0d0d0-0000-4000-8000-00000000d0d0', type: 'Domain-Name', ...WHEN, createdBy: AUTHOR, observable_value: DOMAIN, x_opencti_score: 50, value: DOMAIN,
      related: { id: 'a1a1a1a1-0000-4000-8000-000000000047', type: 'IPv4-Addr', relationship: 'resolves-to', value: C2, indicator: SHORT_C2, multipleIndicators: false, indicator_link: `${base}/dashboard/observations/indicators/${SHORT_C2.id}` },
      query_key: 'value', query_values: DOMAIN, event_type: 'observable_with_related_indicator',
      observable_link: `${base}/dashboard/observations/observables/d0d0d0d0-0000-4000-8000-00000000d0d0`,
      labels: ['phishing'], multipleIndicators: false,
      source: { alert_id: '1765000000.22', rule_id: '616022', queryName: DOMAIN },
    },
  },
});
const data = (message: string) => parseQueueMessage(message)?.event as { opencti: Record<string, unknown> };

const request = suite('opencti requests');
request('POSTs the hook (…/graphql, or the instance with /graphql added) with Bearer <token>, one query per alert', () => {
  assert.equal(openCtiEndpoint('https://cti.example.com/graphql'), { url: 'https://cti.example.com/graphql', linkBase: 'https://cti.example.com/' });
  assert.equal(openCtiEndpoint('https://cti.example.com/'), { url: 'https://cti.example.com/graphql', linkBase: 'https://cti.example.com/' });
  const steps = block('https://cti.example.com/graphql').plan(sampleAlert(3)).filter((s): s is HttpStep => s.kind === 'http');
  assert.is(steps.length, 1);
  assert.equal([steps[0]?.request.method, steps[0]?.request.url, steps[0]?.request.headers['authorization']], ['POST', 'https://cti.example.com/graphql', `Bearer ${TOKEN}`]);
  assert.ok(steps[0]?.secrets.includes(TOKEN));
});
request('skips alerts without an IOC; needs hook_url and api_key; the name is ours', () => {
  assert.is(block('https://cti.example.com').skip?.(sampleAlert(5)), OPENCTI_SKIP);
  assert.match(block('').unavailable ?? '', /opencti needs a hook_url/);
  assert.match(block('https://cti.example.com', '').unavailable ?? '', /opencti needs an api_key/);
  assert.is(integrationFor('opencti'), opencti);
});
request.run();

const e2e = suite('opencti against the stand-in and a real queue socket');
e2e('the three event types, field by field and in the script\'s key order, under each alert\'s agent', () =>
  withWorld(async ({ service, queue, writer }) => {
    const b = block(`${service.url}/graphql`);
    const expected = expectedFor(service.url);
    const alerts = [sysmon(3, 'sysmon_event3', { destinationIp: C2, destinationIsIpv6: 'false' }), sampleAlert(3), sysmon(22, 'sysmon_event_22', { queryName: DOMAIN })];
    for (const alert of alerts) assert.is((await runSteps(b.plan(alert), { writer })).outcome, 'delivered');
    await queue.waitFor(3);
    const got = queue.messages.map(data);
    assert.equal(got, [expected.c2, expected.eicar, expected.domain]);
    for (const [n, want] of [expected.c2, expected.eicar, expected.domain].entries()) assert.equal(Object.keys(got[n]?.opencti ?? {}), Object.keys(want.opencti), `key order of event ${n}`);
    assert.ok(queue.messages[0]?.startsWith('1:[004] (win-ws-04) 10.0.4.4->opencti:{"integration": "opencti", "opencti": {"indicator": {'), queue.messages[0]);
    assert.equal(decodeLikeAnalysisd(queue.messages[1] ?? '').agent, { id: '001', name: 'web-01', ip: '10.0.0.11' });
    assert.is(service.received[0]?.headers['authorization'], `Bearer ${TOKEN}`);
  }));
e2e('nothing known: nothing written, the empty answer cached; an IPv6 agent\'s location is escaped', () =>
  withWorld(async ({ service, queue, writer }) => {
    const b = block(service.url);
    const clean = sysmon(5, 'sysmon_event3', { destinationIp: '9.9.9.9' });
    await runSteps(b.plan(clean), { writer });
    await runSteps(b.plan(clean), { writer });
    assert.equal([service.count, b.cache.stats.hits], [1, 1]);
    await runSteps(b.plan(sysmon(22, 'sysmon_event_22', { queryName: DOMAIN }, { id: '030', name: 'v6', ip: 'fe80::30' })), { writer });
    await queue.waitFor(1);
    assert.ok(queue.messages[0]?.startsWith('1:[030] (v6) fe80|:|:30->opencti:{'), queue.messages[0]);
    assert.equal(decodeLikeAnalysisd(queue.messages[0] ?? '').agent, { id: '030', name: 'v6', ip: 'fe80::30' });
  }));
e2e('a wrong token: GraphQL AUTH_REQUIRED with HTTP 200 is dead-lettered, a header without Bearer gets 401; the token never in a reason', () =>
  withWorld(async ({ service, queue, writer }) => {
    const refused = await runSteps(block(service.url, 'wrong-token-0000').plan(sampleAlert(3)), { writer });
    assert.equal([refused.outcome, refused.reason], ['dead-lettered', 'opencti answered GraphQL error AUTH_REQUIRED: You must be logged in to do this.']);
    service.script({ status: 401, body: 'Unauthorized' });
    const unauthorized = await runSteps(block(service.url).plan(sampleAlert(3)), { writer });
    assert.equal([unauthorized.outcome, unauthorized.reason], ['dead-lettered', 'opencti answered 401: Unauthorized']);
    service.script({ status: 200, body: { errors: [{ message: 'Database unavailable', extensions: { code: 'DATABASE_ERROR' } }], data: null } });
    const retried = await runSteps(block(service.url).plan(sampleAlert(3)), { writer });
    assert.equal([retried.outcome, retried.trace.map((t) => t.verdict.kind)], ['delivered', ['retry', 'delivered', 'delivered']]);
    await queue.waitFor(1);
    assert.is(queue.messages.length, 1);
  }));
e2e('OpenCTI unreachable: given up and dead-lettered, and the script\'s error event written (rule 100211)', () =>
  withWorld(async ({ queue, writer }) => {
    const run = await runSteps(block(`http://127.0.0.1:${await closedPort()}/graphql`).plan(sampleAlert(3)), { writer, retries: 0 });
    assert.is(run.outcome, 'dead-lettered');
    await queue.waitFor(1);
    assert.is(queue.messages[0], '1:[001] (web-01) 10.0.0.11->opencti:{"integration": "opencti", "opencti": {"error": "Failed to connect to the OpenCTI API", "event_type": "error"}}');
  }));
e2e.run();
