// The daemon with an AbuseIPDB block while the service is down for 20 s (its port closed): lookups are retried, none lost, none dead-lettered, all written back once it answers.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfigText } from '../../src/config/load.js';
import { openQueueSocketWriter } from '../../src/delivery/wazuh-queue.js';
import { Integrator } from '../../src/pipeline/integrator.js';
import type { BlockOutcome } from '../../src/pipeline/outcome.js';
import { bindAnalysisdQueue } from '../../src/stand-ins/analysisd-queue.js';
import { REPORTED_IP, startAbuseIpdbStandIn } from '../../src/stand-ins/abuseipdb.js';
import type { StandIn } from '../../src/stand-ins/stand-in-server.js';
import { wazuhPaths } from '../../src/wazuh-home.js';
import { decodeLikeAnalysisd } from '../helpers/analysisd-decode.js';
import { AlertsDir } from '../helpers/alerts-dir.js';
import { captureLog } from '../helpers/capture-log.js';
import { closedPort } from '../helpers/closed-port.js';
import { parseMetrics, sumOf } from '../helpers/prometheus-text.js';
import { shortTempDir } from '../helpers/queue-socket.js';

const KEY = 'abuseipdb-outage-key-20';
const DOWN_MS = 20_000;
const IPS = [REPORTED_IP, '8.8.4.4', '1.1.1.1', '9.9.9.9', '2606:4700:4700::1111'];

const alert = (ip: string, n: number) =>
  JSON.stringify({ timestamp: '2026-12-08T01:00:00.000+0000', rule: { level: 10, description: 'sshd: brute force', id: '5712', groups: ['sshd'] }, agent: { id: '003', name: 'edge', ip: '2001:db8::3' }, id: `1765155600.${n}`, data: { srcip: ip }, full_log: `Failed password from ${ip}`, location: '/var/log/auth.log' });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const test = suite('abuseipdb with the service down for 20 s');

test('lookups wait out the outage in retries; after it every alert is checked once and written back, none dead-lettered', async () => {
  const dir = new AlertsDir('abuseipdb-outage');
  const log = captureLog(0);
  const socketDir = shortTempDir();
  const queue = bindAnalysisdQueue(join(socketDir, 'queue'));
  const port = await closedPort();
  const writer = await openQueueSocketWriter(queue.path);
  let integrator: Integrator | undefined;
  let service: StandIn | undefined;
  try {
    dir.startDay(1);
    const configs = loadConfigText(
      `<ossec_config><integration><name>abuseipdb</name><hook_url>http://127.0.0.1:${port}</hook_url><api_key>${KEY}</api_key><retries>30</retries><timeout>2</timeout><alert_format>json</alert_format></integration></ossec_config>`,
    ).integrations;
    integrator = new Integrator({ paths: wazuhPaths(dir.home), input: { kind: 'follow', alertsFile: dir.alerts, pollMs: 50 }, queue: writer });
    const outcomes: BlockOutcome[] = [];
    integrator.outcomes$.subscribe((o) => outcomes.push(o));
    await integrator.start(configs);
    const metric = async (name: string) => sumOf(parseMetrics(await integrator!.metrics.registry.metrics()), name, { block: '0' });

    dir.append(IPS.map(alert));
    await sleep(DOWN_MS);
    assert.is(queue.messages.length, 0, 'nothing written back while the service is down');
    assert.is(outcomes.filter((o) => o.kind === 'dead-lettered').length, 0, 'nothing dead-lettered during the outage');
    assert.ok((await metric('integratord_delivery_retries_total')) >= IPS.length, 'every lookup was retried');
    assert.ok((await metric('integratord_deliveries_in_flight')) > 0, 'lookups still in flight, the rest queued behind them');

    service = await startAbuseIpdbStandIn({ apiKey: KEY, port });
    // A lookup's next retry can be up to 30 s away (the backoff cap) when the service comes back.
    for (const deadline = Date.now() + 60_000; queue.messages.length < IPS.length && Date.now() < deadline; ) await sleep(100);
    assert.is(queue.messages.length, IPS.length, 'every alert written back after the outage');
    const checked = service.received.map((r) => new URL(r.url, 'http://x').searchParams.get('ipAddress'));
    assert.equal([...checked].sort(), [...IPS].sort(), 'each address checked once');
    const events = queue.messages.map((m) => decodeLikeAnalysisd(m));
    assert.equal(events.map((e) => (e.data as { abuseipdb: { source: { srcip: string } } }).abuseipdb.source.srcip).sort(), [...IPS].sort());
    assert.ok(queue.messages.every((m) => m.startsWith('1:[003] (edge) 2001|:db8|:|:3->abuseipdb:{')), 'IPv6 agent location escaped');
    assert.is(outcomes.filter((o) => o.kind === 'dead-lettered').length, 0);
  } finally {
    await integrator?.stop(0);
    await writer.close();
    await service?.close();
    queue.unbind();
    rmSync(socketDir, { recursive: true, force: true });
    log.restore();
    dir.remove();
  }
});

test.run();
