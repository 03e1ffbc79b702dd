// Specs for src/integrations/virustotal.ts (VirusTotal (reference §6.4): the hash of each FIM alert looked up, Wazuh's result/error events written back).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Alert } from '../../src/alerts/alert.js';
import { openQueueSocketWriter } from '../../src/delivery/wazuh-queue.js';
import type { QueueWriter } from '../../src/delivery/queue-writer.js';
import type { HttpStep } from '../../src/delivery/step.js';
import { virustotal, virusTotalSkip } from '../../src/integrations/virustotal.js';
import { EICAR, EMPTY_FILE, QUEUED_MD5, startVirusTotalStandIn, VIRUSTOTAL_FAILURES } from '../../src/stand-ins/virustotal.js';
import type { StandIn } from '../../src/stand-ins/stand-in-server.js';
import { log } from '../../src/telemetry/log.js';
import { createMetrics } from '../../src/telemetry/metrics.js';
import { decodeLikeAnalysisd } from '../helpers/analysisd-decode.js';
import { sampleAlert } from '../helpers/sample-alerts.js';
import { captureLogWhile } from '../helpers/capture-log.js';
import { blockConfig, integrationEnv } from '../helpers/block-config.js';
import { bindQueueSocket, type QueueSocket } from '../helpers/queue-socket.js';
import { runSteps } from '../helpers/step-runner.js';

const KEY = 'vt-test-api-key-0123456789';

/** The FIM alert behind Wazuh's documented VirusTotal alert (sample 15): agent 010, EICAR. */
const eicarAlert = (): Record<string, unknown> => {
  const alert = sampleAlert(1);
  alert['id'] = '1668706222.103798';
  alert['syscheck'] = { path: '/media/user/software/eicar.com', md5_after: EICAR.md5, sha1_after: EICAR.sha1, sha256_after: EICAR.sha256 };
  return alert;
};

interface World {
  vt: StandIn;
  queue: QueueSocket;
  writer: QueueWriter;
}
const withWorld = async (fn: (w: World) => Promise<void>) => {
  const vt = await startVirusTotalStandIn({ apiKey: KEY });
  const queue = bindQueueSocket();
  const writer = await openQueueSocketWriter(queue.path);
  try {
    await fn({ vt, queue, writer });
  } finally {
    await writer.close();
    queue.close();
    await vt.close();
  }
};
const block = (vt: StandIn, options?: Record<string, unknown>, apiKey = KEY) =>
  virustotal.create(blockConfig({ name: 'virustotal', apiKey, hookUrl: vt.url, ...(options ? { options } : {}) }), integrationEnv());

const skip = suite('virusTotalSkip');
skip('passes a lowercase or uppercase md5', () => {
  assert.is(virusTotalSkip({ syscheck: { md5_after: EICAR.md5 } }), undefined);
  assert.is(virusTotalSkip({ syscheck: { md5_after: EICAR.md5.toUpperCase() } }), undefined);
});
skip('skips without syscheck or without md5_after, with Wazuh\'s reasons', () => {
  assert.is(virusTotalSkip(sampleAlert(4)), 'virustotal-no-syscheck');
  assert.is(virusTotalSkip({ syscheck: 'x' }), 'virustotal-no-syscheck');
  assert.is(virusTotalSkip({ syscheck: { path: '/x' } }), 'virustotal-no-md5');
});
skip('skips the 8 md5_after values of Wazuh\'s tests as "not a md5 hash checksum"', () => {
  for (const md5 of ['', 'no_md5_value', '5D41402abc4b2a76b9719d911017c592', '5d41402abc4b2a76b9719d911017c5925d4140', '5d41402abc4b2a76b9719d911017c59g', true, 1.5, null]) {
    assert.is(virusTotalSkip({ syscheck: { md5_after: md5 } }), 'virustotal-md5-invalid', JSON.stringify(md5));
  }
});
skip('is stricter than Wazuh on a string holding one md5 among other words', () => {
  assert.is(virusTotalSkip({ syscheck: { md5_after: `x ${EICAR.md5}` } }), 'virustotal-md5-invalid');
});
skip.run();

const v2 = suite('virustotal API v2 against the stand-in and a real queue socket');
v2('writes Wazuh\'s documented malicious result back with the agent context (sample 15)', () =>
  withWorld(async ({ vt, queue, writer }) => {
    const b = block(vt);
    const run = await runSteps(b.plan(eicarAlert()), { writer });
    assert.is(run.outcome, 'delivered');
    const request = vt.received[0];
    assert.ok(request);
    assert.is(request.method, 'GET');
    assert.is(request.url, `/vtapi/v2/file/report?apikey=${KEY}&resource=${EICAR.md5}`);
    assert.is(request.headers['user-agent'], 'gzip,  Python library-client-VirusTotal');
    await queue.waitFor(1);
    const decoded = decodeLikeAnalysisd(queue.messages[0] ?? '');
    const expected = sampleAlert(15);
    assert.equal(decoded.agent, expected['agent']);
    assert.is(decoded.location, expected['location']);
    assert.is(JSON.stringify(decoded.data), JSON.stringify(expected['data']));
  }));
v2('writes found 0 with the alert source for an unknown hash, byte for byte as Wazuh', () =>
  withWorld(async ({ vt, queue, writer }) => {
    const alert = eicarAlert();
    alert['syscheck'] = { path: '/tmp/new.bin', md5_after: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', sha1_after: 'sha1_value' };
    await runSteps(block(vt).plan(alert), { writer });
    await queue.waitFor(1);
    assert.is(
      queue.messages[0],
      '1:[010] (Ubuntu) 10.0.2.15->virustotal:{"virustotal": {"found": 0, "malicious": 0, "source": {"alert_id": "1668706222.103798", "file": "/tmp/new.bin", "md5": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "sha1": "sha1_value"}}, "integration": "virustotal"}',
    );
  }));
v2('escapes an IPv6 agent\'s location, and analysisd reads the agent back', () =>
  withWorld(async ({ vt, queue, writer }) => {
    const alert = eicarAlert();
    alert['agent'] = { id: '011', name: 'files-v6', ip: '2001:db8::11' };
    await runSteps(block(vt).plan(alert), { writer });
    await queue.waitFor(1);
    assert.ok(queue.messages[0]?.startsWith('1:[011] (files-v6) 2001|:db8|:|:11->virustotal:{"virustotal": '), queue.messages[0]);
    assert.equal(decodeLikeAnalysisd(queue.messages[0] ?? '').agent, { id: '011', name: 'files-v6', ip: '2001:db8::11' });
  }));
v2('writes found 1, malicious 0 for a clean file', () =>
  withWorld(async ({ vt, queue, writer }) => {
    await runSteps(block(vt).plan(sampleAlert(1)), { writer });
    await queue.waitFor(1);
    const event = decodeLikeAnalysisd(queue.messages[0] ?? '').data as { virustotal: Record<string, unknown> };
    assert.is(event.virustotal['found'], '1');
    assert.is(event.virustotal['malicious'], '0');
    assert.is(event.virustotal['positives'], '0');
    assert.is(event.virustotal['sha1'], EMPTY_FILE.sha1);
  }));
v2('does not crash on response_code -2 (queued) nor on missing path/sha1: found 0, nulls', () =>
  withWorld(async ({ vt, queue, writer }) => {
    const alert = { id: '1.2', syscheck: { md5_after: QUEUED_MD5 } };
    const run = await runSteps(block(vt).plan(alert), { writer });
    assert.is(run.outcome, 'delivered');
    await queue.waitFor(1);
    assert.is(
      queue.messages[0],
      `1:virustotal:{"virustotal": {"found": 0, "malicious": 0, "source": {"alert_id": "1.2", "file": null, "md5": "${QUEUED_MD5}", "sha1": null}}, "integration": "virustotal"}`,
    );
  }));
v2('pauses on 204 (60 s without Retry-After), retries, and sends no error event when a retry succeeds', () =>
  withWorld(async ({ vt, queue, writer }) => {
    vt.script(VIRUSTOTAL_FAILURES.rateLimitV2, { ...VIRUSTOTAL_FAILURES.rateLimitV2, headers: { 'retry-after': '7' } });
    const run = await runSteps(block(vt).plan(eicarAlert()), { writer });
    assert.is(run.outcome, 'delivered');
    assert.equal(run.trace[0]?.verdict, { kind: 'retry', reason: 'virustotal rate limit (204)', afterMs: 60_000, pause: true });
    assert.equal(run.trace[1]?.verdict, { kind: 'retry', reason: 'virustotal rate limit (204)', afterMs: 7_000, pause: true });
    assert.is(vt.received.length, 3);
    await queue.waitFor(1);
    assert.is(queue.messages.length, 1);
    assert.match(queue.messages[0] ?? '', /"found": 1/);
  }));
v2('sends the 204 rate-limit error event without agent context only when retries run out', () =>
  withWorld(async ({ vt, queue, writer }) => {
    vt.script(...Array.from({ length: 3 }, () => VIRUSTOTAL_FAILURES.rateLimitV2));
    const run = await runSteps(block(vt).plan(eicarAlert()), { writer, retries: 2 });
    assert.is(run.outcome, 'dead-lettered');
    assert.is(vt.received.length, 3);
    await queue.waitFor(1);
    assert.equal(queue.messages, ['1:virustotal:{"virustotal": {"error": 204, "description": "Error: Public API request rate limit reached"}, "integration": "virustotal"}']);
  }));
v2('sends the 403 credentials event at once, without retry and without agent context (sample 16)', () =>
  withWorld(async ({ vt, queue, writer }) => {
    const run = await runSteps(block(vt, undefined, 'wrong-key-0000').plan(eicarAlert()), { writer });
    assert.is(run.outcome, 'dead-lettered');
    assert.is(vt.received.length, 1);
    await queue.waitFor(1);
    const decoded = decodeLikeAnalysisd(queue.messages[0] ?? '');
    const expected = sampleAlert(16);
    assert.is(decoded.agent.id, '000');
    assert.is(decoded.location, expected['location']);
    assert.is(JSON.stringify(decoded.data), JSON.stringify(expected['data']));
  }));
v2('retries 429 with a pause, then sends the rate-limit event', () =>
  withWorld(async ({ vt, queue, writer }) => {
    vt.script(...Array.from({ length: 2 }, () => ({ ...VIRUSTOTAL_FAILURES.rateLimit, headers: { 'retry-after': '1' } })));
    const run = await runSteps(block(vt).plan(eicarAlert()), { writer, retries: 1 });
    assert.equal(run.trace[0]?.verdict, { kind: 'retry', reason: 'virustotal rate limit (429)', afterMs: 1_000, pause: true });
    await queue.waitFor(1);
    assert.match(queue.messages[0] ?? '', /^1:virustotal:\{"virustotal": \{"error": 204, /);
  }));
v2('retries a 500 and, when retries run out, sends "API request fail" with the status', () =>
  withWorld(async ({ vt, queue, writer }) => {
    vt.script(...Array.from({ length: 4 }, () => VIRUSTOTAL_FAILURES.serverError));
    const run = await runSteps(block(vt).plan(eicarAlert()), { writer, retries: 3 });
    assert.is(run.outcome, 'dead-lettered');
    assert.is(vt.received.length, 4);
    await queue.waitFor(1);
    assert.equal(queue.messages, ['1:virustotal:{"virustotal": {"error": 500, "description": "Error: API request fail"}, "integration": "virustotal"}']);
  }));
v2('sends the 408 timeout event when a slow service times out on every attempt', () =>
  withWorld(async ({ vt, queue, writer }) => {
    vt.setDelay(1_000);
    const run = await runSteps(block(vt).plan(eicarAlert()), { writer, retries: 1, timeoutMs: 100 });
    assert.is(run.outcome, 'dead-lettered');
    await vt.waitFor(2);
    await queue.waitFor(1);
    assert.equal(queue.messages, ['1:virustotal:{"virustotal": {"error": 408, "description": "Error: API request timed out"}, "integration": "virustotal"}']);
  }));
v2.run();

const v3 = suite('virustotal API v3 against the stand-in');
v3('looks up the sha256 with x-apikey and maps the answer to the same event as v2', () =>
  withWorld(async ({ vt, queue, writer }) => {
    await runSteps(block(vt).plan(eicarAlert()), { writer });
    await runSteps(block(vt, { api_version: 'v3' }).plan(eicarAlert()), { writer });
    const request = vt.received[1];
    assert.is(request?.url, `/api/v3/files/${EICAR.sha256}`);
    assert.is(request?.headers['x-apikey'], KEY);
    await queue.waitFor(2);
    assert.is(queue.messages[1], queue.messages[0]);
  }));
v3('falls back to the md5 without a sha256, and writes found 0 on 404', () =>
  withWorld(async ({ vt, queue, writer }) => {
    const alert: Alert = { id: '9.9', syscheck: { path: '/x', md5_after: 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', sha1_after: 's' } };
    const run = await runSteps(block(vt, { api_version: 'v3' }).plan(alert), { writer });
    assert.is(run.outcome, 'delivered');
    assert.is(vt.received[0]?.url, '/api/v3/files/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb');
    await queue.waitFor(1);
    assert.match(queue.messages[0] ?? '', /^1:virustotal:\{"virustotal": \{"found": 0, "malicious": 0, /);
  }));
v3('maps a 401 (wrong key) to Wazuh\'s credentials event', () =>
  withWorld(async ({ vt, queue, writer }) => {
    await runSteps(block(vt, { api_version: 'v3' }, 'wrong-key-0000').plan(eicarAlert()), { writer });
    await queue.waitFor(1);
    assert.match(queue.messages[0] ?? '', /"error": 403, "description": "Error: Check credentials"/);
  }));
v3.run();

const cache = suite('virustotal cache');
cache('answers a repeated hash without a request; each alert keeps its own id and file', () =>
  withWorld(async ({ vt, queue, writer }) => {
    const metrics = createMetrics();
    const b = virustotal.create(blockConfig({ name: 'virustotal', index: 3, apiKey: KEY, hookUrl: vt.url }), integrationEnv('/var/ossec', { metrics }));
    const second = eicarAlert();
    second['id'] = '1668706300.200000';
    (second['syscheck'] as Record<string, unknown>)['path'] = '/tmp/copy-of-eicar.com';
    await runSteps(b.plan(eicarAlert()), { writer });
    const steps = b.plan(second);
    assert.equal(steps.map((s) => s.kind), ['queue']);
    await runSteps(steps, { writer });
    assert.is(vt.received.length, 1);
    assert.equal(b.cache.stats, { hits: 1, misses: 1, size: 1 });
    await queue.waitFor(2);
    const [a, c] = queue.messages.map((m) => (decodeLikeAnalysisd(m).data as { virustotal: { source: Record<string, string> } }).virustotal.source);
    assert.equal([a?.['alert_id'], a?.['file']], ['1668706222.103798', '/media/user/software/eicar.com']);
    assert.equal([c?.['alert_id'], c?.['file']], ['1668706300.200000', '/tmp/copy-of-eicar.com']);
    const text = await metrics.registry.metrics();
    assert.match(text, /integratord_enrichment_cache_hits_total\{block="3",integration="virustotal"\} 1/);
    assert.match(text, /integratord_enrichment_cache_misses_total\{block="3",integration="virustotal"\} 1/);
  }));
cache('caches nothing with cache_ttl_seconds 0, and never caches an error', () =>
  withWorld(async ({ vt, writer }) => {
    const off = block(vt, { cache_ttl_seconds: 0 });
    await runSteps(off.plan(eicarAlert()), { writer });
    assert.is(off.plan(eicarAlert())[0]?.kind, 'http');
    const on = block(vt);
    vt.script(VIRUSTOTAL_FAILURES.forbidden);
    await runSteps(on.plan(eicarAlert()), { writer });
    assert.is(on.plan(eicarAlert())[0]?.kind, 'http');
  }));
cache('logs hits and misses at debug with the hash, never the api key', () =>
  withWorld(async ({ vt, writer }) => {
    const { lines } = await captureLogWhile(async () => {
      const b = block(vt);
      await runSteps(b.plan(eicarAlert()), { writer });
      b.plan(eicarAlert());
    });
    assert.ok(lines.some((l) => l.includes('LookupRequested') && l.includes(EICAR.md5)));
    assert.ok(lines.some((l) => l.includes('LookupServedFromCache')));
    assert.not.ok(lines.some((l) => l.includes(KEY)));
  }));
cache.run();

const create = suite('virustotal.create');
create('marks the api key and hook_url as secrets of the request', () => {
  const b = virustotal.create(blockConfig({ name: 'virustotal', apiKey: KEY, hookUrl: 'http://127.0.0.1:9/' }), integrationEnv());
  const step = b.plan(eicarAlert())[0] as HttpStep;
  assert.equal(step.secrets, [KEY, 'http://127.0.0.1:9/']);
  assert.is(step.request.url, `http://127.0.0.1:9/vtapi/v2/file/report?apikey=${KEY}&resource=${EICAR.md5}`);
});
create('registers the api key so that no log line can show the v2 URL in clear', async () => {
  const b = virustotal.create(blockConfig({ name: 'virustotal', apiKey: KEY }), integrationEnv());
  const url = (b.plan(eicarAlert())[0] as HttpStep).request.url;
  const { lines } = await captureLogWhile(() => log.error(`request to ${url} failed`));
  assert.is(lines.length, 1);
  assert.not.match(lines[0] ?? '', KEY);
  assert.match(lines[0] ?? '', /\*\*REDACTED\*\*/);
});
create('uses www.virustotal.com without hook_url', () => {
  const b = virustotal.create(blockConfig({ name: 'virustotal', apiKey: KEY }), integrationEnv());
  assert.match((b.plan(eicarAlert())[0] as HttpStep).request.url, /^https:\/\/www\.virustotal\.com\/vtapi\/v2\/file\/report\?/);
});
create('takes the rate limit from options.rate_per_minute', () => {
  const b = virustotal.create(blockConfig({ name: 'virustotal', apiKey: KEY, options: { rate_per_minute: 4 } }), integrationEnv());
  assert.is(b.requestsPerMinute, 4);
  assert.is(virustotal.create(blockConfig({ name: 'virustotal', apiKey: KEY }), integrationEnv()).requestsPerMinute, undefined);
});
create('reports bad options, a bad hook_url or a missing key as unavailable, without the secret', () => {
  const cases: [Parameters<typeof blockConfig>[0], RegExp][] = [
    [{ name: 'virustotal', apiKey: KEY, options: { api_version: 'v9' } }, /api_version/],
    [{ name: 'virustotal', apiKey: KEY, hookUrl: 'ftp://secret-host/token' }, /http/],
    [{ name: 'virustotal', apiKey: KEY, hookUrl: 'not a url secret-token' }, /valid URL/],
    [{ name: 'virustotal' }, /api_key/],
  ];
  for (const [fields, reason] of cases) {
    const b = virustotal.create(blockConfig(fields), integrationEnv());
    assert.match(b.unavailable ?? '', reason);
    assert.not.match(b.unavailable ?? '', /secret/);
    assert.equal(b.plan(eicarAlert()), []);
  }
});
create('plans nothing for an alert its pre-filter skips', () => {
  const b = virustotal.create(blockConfig({ name: 'virustotal', apiKey: KEY }), integrationEnv());
  assert.is(b.skip?.(sampleAlert(5)), 'virustotal-no-syscheck');
  assert.equal(b.plan(sampleAlert(5)), []);
});
create.run();
