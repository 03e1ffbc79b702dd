// The daemon following alerts.json with an AbuseIPDB block: a spent daily quota shows in the metrics while lookups wait, then all are written back.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfigText } from '../../src/config/load.js';
import { openQueueSocketWriter } from '../../src/delivery/wazuh-queue.js';
import type { QueueWriter } from '../../src/delivery/queue-writer.js';
import { Integrator } from '../../src/pipeline/integrator.js';
import type { BlockOutcome } from '../../src/pipeline/outcome.js';
import { bindAnalysisdQueue } from '../../src/stand-ins/analysisd-queue.js';
import { startAbuseIpdbStandIn } from '../../src/stand-ins/abuseipdb.js';
import { wazuhPaths } from '../../src/wazuh-home.js';
import { decodeLikeAnalysisd } from '../helpers/analysisd-decode.js';
import { AlertsDir } from '../helpers/alerts-dir.js';
import { captureLog } from '../helpers/capture-log.js';
import { eventually } from '../helpers/eventually.js';
import { parseMetrics, sumOf } from '../helpers/prometheus-text.js';
import { shortTempDir } from '../helpers/queue-socket.js';

const KEY = 'abuseipdb-daemon-key-7';
/** 2 checks per 2.5 s window: the third alert's lookup meets a spent quota. */
const QUOTA = { limit: 2, windowMs: 2500 };
const IPS = ['118.25.6.39', '8.8.4.4', '1.1.1.1', '9.9.9.9', '2606:4700:4700::1111'];

const alert = (ip: string, n: number) =>
  JSON.stringify({ timestamp: '2026-12-08T01:00:00.000+0000', rule: { level: 10, description: 'sshd: brute force', id: '5712', groups: ['sshd'] }, agent: { id: '002', name: 'bastion-01', ip: '10.0.0.12' }, id: `1765155600.${n}`, data: { srcip: ip }, location: '/var/log/auth.log' });

const test = suite('abuseipdb in the daemon with the daily quota spent');

test('while the quota is spent the block reports 0 left and lookups in flight; after the reset every alert is written back, none dead-lettered', async () => {
  const dir = new AlertsDir('abuseipdb');
  const log = captureLog(0);
  const socketDir = shortTempDir();
  const queue = bindAnalysisdQueue(join(socketDir, 'queue'));
  const service = await startAbuseIpdbStandIn({ apiKey: KEY, quota: QUOTA });
  let integrator: Integrator | undefined;
  let writer: QueueWriter | undefined;
  try {
    dir.startDay(1);
    const configs = loadConfigText(
      `<ossec_config><integration><name>abuseipdb</name><hook_url>${service.url}</hook_url><api_key>${KEY}</api_key><retries>5</retries><alert_format>json</alert_format></integration></ossec_config>`,
    ).integrations;
    writer = await openQueueSocketWriter(queue.path);
    integrator = new Integrator({ paths: wazuhPaths(dir.home), input: { kind: 'follow', alertsFile: dir.alerts, pollMs: 50 }, queue: writer });
    const outcomes: BlockOutcome[] = [];
    integrator.outcomes$.subscribe((o) => outcomes.push(o));
    await integrator.start(configs);
    const metric = async (name: string) => sumOf(parseMetrics(await integrator!.metrics.registry.metrics()), name, { block: '0' });

    dir.append(IPS.map(alert));
    await eventually(() => service.received.length > QUOTA.limit, 'a lookup past the quota');
    await eventually(async () => (await metric('integratord_enrichment_quota_left')) === 0 && (await metric('integratord_deliveries_in_flight')) > 0, 'the block says it is waiting');
    await eventually(async () => (await metric('integratord_enrichment_waiting')) > 0, 'lookups counted as waiting for the quota');
    assert.is(queue.messages.length <= QUOTA.limit, true, 'nothing past the quota was written back before the reset');

    await eventually(() => queue.messages.length >= IPS.length, 'every alert written back after the reset');
    assert.equal(queue.messages.map((m) => (decodeLikeAnalysisd(m).data as { abuseipdb: { source: { srcip: string } } }).abuseipdb.source.srcip).sort(), [...IPS].sort());
    assert.is(outcomes.filter((o) => o.kind === 'dead-lettered').length, 0);
    assert.ok((await metric('integratord_quota_waits_total')) + (await metric('integratord_delivery_retries_total')) > 0, 'the waits are counted');
    await eventually(async () => (await metric('integratord_deliveries_in_flight')) === 0, 'nothing left in flight');
    await eventually(async () => (await metric('integratord_enrichment_waiting')) === 0, 'nothing left waiting');
  } finally {
    await integrator?.stop(0);
    await writer?.close();
    await service.close();
    queue.unbind();
    rmSync(socketDir, { recursive: true, force: true });
    log.restore();
    dir.remove();
  }
});

test.run();
