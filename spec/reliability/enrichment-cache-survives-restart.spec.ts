// The daemon's enrichment cache across a restart: answers saved in STATE at stop answer the next daemon's alerts without a lookup.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfigText } from '../../src/config/load.js';
import { openQueueSocketWriter } from '../../src/delivery/wazuh-queue.js';
import { ENRICHMENT_CACHE_FILE } from '../../src/integrations/enrichment-cache-file.js';
import { Integrator } from '../../src/pipeline/integrator.js';
import { bindAnalysisdQueue } from '../../src/stand-ins/analysisd-queue.js';
import { REPORTED_IP, startAbuseIpdbStandIn } from '../../src/stand-ins/abuseipdb.js';
import { wazuhPaths } from '../../src/wazuh-home.js';
import { decodeLikeAnalysisd } from '../helpers/analysisd-decode.js';
import { AlertsDir } from '../helpers/alerts-dir.js';
import { captureLog } from '../helpers/capture-log.js';
import { eventually } from '../helpers/eventually.js';
import { parseMetrics, sumOf } from '../helpers/prometheus-text.js';
import { shortTempDir } from '../helpers/queue-socket.js';

const KEY = 'abuseipdb-restart-key-3';
const IPS = [REPORTED_IP, '8.8.4.4', '2606:4700:4700::1111'];

const alert = (ip: string, n: number) =>
  JSON.stringify({ timestamp: '2026-12-08T01:00:00.000+0000', rule: { level: 10, description: 'sshd: brute force', id: '5712', groups: ['sshd'] }, agent: { id: '002', name: 'bastion-01', ip: '10.0.0.12' }, id: `1765155600.${n}`, data: { srcip: ip }, location: '/var/log/auth.log' });

const test = suite('enrichment cache across a daemon restart');

test('the second daemon writes back every alert from the cache the first one saved: no lookup repeated within the TTL', async () => {
  const dir = new AlertsDir('enrichment-restart');
  const log = captureLog(0);
  const socketDir = shortTempDir();
  const queue = bindAnalysisdQueue(join(socketDir, 'queue'));
  const service = await startAbuseIpdbStandIn({ apiKey: KEY });
  const writer = await openQueueSocketWriter(queue.path);
  const configs = loadConfigText(
    `<ossec_config><integration><name>abuseipdb</name><hook_url>${service.url}</hook_url><api_key>${KEY}</api_key><alert_format>json</alert_format></integration></ossec_config>`,
  ).integrations;
  const daemon = () => new Integrator({ paths: wazuhPaths(dir.home), input: { kind: 'follow', alertsFile: dir.alerts, pollMs: 50 }, queue: writer });
  let second: Integrator | undefined;
  try {
    dir.startDay(1);
    const first = daemon();
    await first.start(configs);
    dir.append(IPS.map(alert));
    await eventually(() => queue.messages.length >= IPS.length, 'the first daemon wrote every alert back');
    assert.is(service.received.length, IPS.length);
    await first.stop(1000);
    assert.is(statSync(join(wazuhPaths(dir.home).state, ENRICHMENT_CACHE_FILE)).mode & 0o777, 0o600);

    second = daemon();
    await second.start(configs);
    dir.append(IPS.map((ip, n) => alert(ip, n + 10)));
    await eventually(() => queue.messages.length >= 2 * IPS.length, 'the second daemon wrote every alert back');
    assert.is(service.received.length, IPS.length, 'answered from the saved cache');
    const later = queue.messages.slice(IPS.length).map((m) => decodeLikeAnalysisd(m).data as { abuseipdb: { source: { ip: string; alert_id: string } } });
    assert.equal(later.map((e) => e.abuseipdb.source.ip).sort(), [...IPS].sort());
    assert.ok(later.every((e) => Number(e.abuseipdb.source.alert_id.split('.')[1]) >= 10), 'the events are the new alerts\'');
    const samples = parseMetrics(await second.metrics.registry.metrics());
    assert.is(sumOf(samples, 'integratord_enrichment_cache_hits_total', { block: '0' }), IPS.length);
  } finally {
    await second?.stop(0);
    await writer.close();
    await service.close();
    queue.unbind();
    rmSync(socketDir, { recursive: true, force: true });
    log.restore();
    dir.remove();
  }
});

test.run();
