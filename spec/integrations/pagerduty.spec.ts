// Specs for src/integrations/pagerduty.ts (PagerDuty Events API v2: Wazuh's pagerduty.py payload with the intended severity ladder and a dedup key).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { HttpClient } from '../../src/delivery/http.js';
import { pagerduty, pagerDutyPayload, pagerDutySeverity, pagerDutyUrl, PAGERDUTY_URL } from '../../src/integrations/pagerduty.js';
import { PAGERDUTY_REPLIES, startPagerDutyStandIn } from '../../src/stand-ins/pagerduty.js';
import { wazuhPaths } from '../../src/wazuh-home.js';
import { blockConfig } from '../helpers/block-config.js';
import { sampleAlert } from '../helpers/sample-alerts.js';
import { sendOnce } from '../helpers/send-step.js';

const env = { paths: wazuhPaths('/var/ossec'), debug: 0 };
const KEY = 'R0UTINGKEY0000000000000000000000';

const payload = suite('pagerDutyPayload');
payload('keeps pagerduty.py key order, adds dedup_key = alert id, carries the whole alert', () => {
  const alert = sampleAlert(4);
  const body = pagerDutyPayload(alert, KEY, undefined);
  assert.is(
    JSON.stringify(body),
    JSON.stringify({
      routing_key: KEY,
      event_action: 'trigger',
      dedup_key: '1652272159.1549653',
      payload: {
        summary: 'sshd: brute force trying to get access to the system. Non existent user.',
        timestamp: '2022-05-11T12:29:19.905+0000',
        source: 'localhost.localdomain',
        severity: 'error',
        group: 'syslog, sshd, authentication_failures',
        custom_details: alert,
      },
      client: 'Wazuh Monitoring Service',
      client_url: 'https://wazuh.com',
    }),
  );
});
payload('merges options at the top level: payload replaces the whole payload', () => {
  const body = pagerDutyPayload(sampleAlert(4), KEY, { client: 'integratord', payload: { summary: 'x' } });
  assert.is(body['client'], 'integratord');
  assert.equal(body['payload'], { summary: 'x' });
});
payload('sends an alert without agent name or groups: source from manager.name, no group', () => {
  const body = pagerDutyPayload({ rule: { level: 3, id: '1' }, manager: { name: 'mgr' }, id: '1.2' }, KEY, undefined);
  assert.equal(body['payload'], { summary: 'N/A', source: 'mgr', severity: 'info', custom_details: { rule: { level: 3, id: '1' }, manager: { name: 'mgr' }, id: '1.2' } });
  const bare = pagerDutyPayload({ rule: {} }, KEY, undefined);
  assert.is((bare['payload'] as Record<string, unknown>)['source'], 'wazuh-manager');
  assert.not.ok('dedup_key' in bare, 'no id, no dedup_key');
});
payload.run();

const severity = suite('pagerDutySeverity');
severity('follows the intended ladder (Wazuh only ever sends info or warning)', () => {
  assert.equal([0, 6, 7, 9, 10, 12, 13, 15].map(pagerDutySeverity), ['info', 'info', 'warning', 'warning', 'error', 'error', 'critical', 'critical']);
});
severity.run();

const url = suite('pagerDutyUrl');
url('uses the Events API v2 endpoint unless hook_url is set', () => {
  assert.is(pagerDutyUrl(undefined), PAGERDUTY_URL);
  assert.is(pagerDutyUrl(''), PAGERDUTY_URL);
});
url('appends /v2/enqueue to a hook_url without a path, keeps a given path', () => {
  assert.is(pagerDutyUrl('https://events.eu.pagerduty.com'), 'https://events.eu.pagerduty.com/v2/enqueue');
  assert.is(pagerDutyUrl('http://127.0.0.1:8080/'), 'http://127.0.0.1:8080/v2/enqueue');
  assert.is(pagerDutyUrl('http://proxy/pd/enqueue'), 'http://proxy/pd/enqueue');
});
url.run();

const service = suite('pagerduty against the PagerDuty stand-in');
service('202 delivered with the dedup_key; 400 dropped; 429 retried', async () => {
  const server = await startPagerDutyStandIn();
  const http = new HttpClient();
  try {
    const b = pagerduty.create(blockConfig({ name: 'pagerduty', apiKey: KEY, hookUrl: server.url }), env);
    const [step] = b.plan(sampleAlert(4));
    assert.equal(await sendOnce(http, step), { kind: 'delivered', detail: 'HTTP 202' });
    assert.is(server.received[0]?.url, '/v2/enqueue');
    assert.equal(server.received[0]?.headers['accept-charset'], 'UTF-8');
    server.script(PAGERDUTY_REPLIES.invalid(["'routing_key' is missing or blank"]), PAGERDUTY_REPLIES.rateLimited(), PAGERDUTY_REPLIES.rateLimited(2));
    const invalid = await sendOnce(http, step);
    assert.is(invalid.kind, 'drop');
    assert.ok(invalid.kind === 'drop' && invalid.reason.startsWith('HTTP 400: {"status":"invalid event"'));
    assert.equal(await sendOnce(http, step), {
      kind: 'retry',
      reason: 'HTTP 429: {"status":"throttle event","message":"Requests for this service are arriving too quickly. Please retry later."}',
    });
    const paused = await sendOnce(http, step);
    assert.ok(paused.kind === 'retry' && paused.afterMs === 2000 && paused.pause === true);
  } finally {
    await http.close();
    await server.close();
  }
});
service('the stand-in refuses what PagerDuty refuses: an empty routing key', async () => {
  const server = await startPagerDutyStandIn();
  const http = new HttpClient();
  try {
    const b = pagerduty.create(blockConfig({ name: 'pagerduty', apiKey: '', hookUrl: server.url }), env);
    const verdict = await sendOnce(http, b.plan(sampleAlert(4))[0]);
    assert.is(verdict.kind, 'drop');
  } finally {
    await http.close();
    await server.close();
  }
});
service.run();

const block = suite('pagerduty.create');
block('lists the routing key and the hook_url as secrets of the step', () => {
  const b = pagerduty.create(blockConfig({ name: 'pagerduty', apiKey: KEY, hookUrl: 'https://proxy.example/pd' }), env);
  const [step] = b.plan(sampleAlert(4));
  assert.ok(step?.kind === 'http' && step.secrets.includes(KEY) && step.secrets.includes('https://proxy.example/pd'));
  assert.is(step?.kind === 'http' ? step.request.url : '', 'https://proxy.example/pd');
});
block('is unavailable with a hook_url that is not a URL', () => {
  assert.ok(pagerduty.create(blockConfig({ name: 'pagerduty', apiKey: KEY, hookUrl: 'nope' }), env).unavailable);
});
block.run();
