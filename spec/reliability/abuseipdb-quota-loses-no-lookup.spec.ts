// AbuseIPDB through `replay`, written back to a real bound queue socket: a spent quota or a dropped service makes lookups wait, none is lost.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/cli.js';
import { parseQueueMessage } from '../../src/delivery/queue-message.js';
import { REPORTED_IP, REPORTED_IPV6, startAbuseIpdbStandIn } from '../../src/stand-ins/abuseipdb.js';
import type { StandIn } from '../../src/stand-ins/stand-in-server.js';
import { captureIo } from '../helpers/capture-io.js';
import { decodeLikeAnalysisd } from '../helpers/analysisd-decode.js';
import { bindQueueSocket, type QueueSocket } from '../helpers/queue-socket.js';

const KEY = 'abuseipdb-replay-key-42';
/** 3 checks per 2 s window: 8 alerts need three windows, so the quota is spent twice mid-run. */
const QUOTA = { limit: 3, windowMs: 2000 };
/** Public addresses, one per alert (no cache hit hides a lookup); the last agent has an IPv6 address. */
const IPS = [REPORTED_IP, '8.8.4.4', '1.1.1.1', '9.9.9.9', '80.80.80.80', REPORTED_IPV6, '208.67.222.222', '2606:4700:4700::1111'];

const alertLine = (ip: string, n: number) =>
  JSON.stringify({
    timestamp: '2026-12-08T01:00:00.000+0000',
    rule: { level: 10, description: 'sshd: brute force', id: '5712', groups: ['syslog', 'sshd', 'authentication_failures'] },
    agent: n === IPS.length - 1 ? { id: '009', name: 'edge-v6', ip: '2001:db8:0:1::9' } : { id: '002', name: 'bastion-01', ip: '10.0.0.12' },
    id: `1765155600.${n}`,
    data: { srcip: ip, dstip: '10.0.0.12' },
    full_log: `Failed password for root from ${ip}`,
    location: '/var/log/auth.log',
  });

interface World {
  readonly queue: QueueSocket;
  readonly service: StandIn;
  readonly file: string;
}

const setUp = async (quota = QUOTA, retries = 5): Promise<World> => {
  const queue = bindQueueSocket();
  const service = await startAbuseIpdbStandIn({ apiKey: KEY, quota });
  mkdirSync(join(queue.home, 'etc'), { recursive: true });
  writeFileSync(join(queue.home, 'etc', 'ossec.conf'), '<ossec_config>\n</ossec_config>\n');
  writeFileSync(
    join(queue.home, 'etc', 'integratord.conf'),
    `<ossec_config>\n  <integration>\n    <name>abuseipdb</name>\n    <hook_url>${service.url}</hook_url>\n    <api_key>${KEY}</api_key>\n    <retries>${retries}</retries>\n    <alert_format>json</alert_format>\n  </integration>\n</ossec_config>\n`,
  );
  const file = join(queue.home, 'alerts-copy.json');
  writeFileSync(file, `${IPS.map(alertLine).join('\n')}\n`);
  return { queue, service, file };
};

const test = suite('abuseipdb through replay with the daily quota spent mid-run');

test('lookups past the quota wait for its reset, then every alert is checked once and written back; nothing dead-lettered', async () => {
  const { queue, service, file } = await setUp();
  try {
    const io = captureIo();
    const code = await main(['replay', file, '--home', queue.home, '--state', join(queue.home, 'state'), '--concurrency', '2', '--no-progress'], io);
    assert.is(code, 0, io.err());
    const checked = service.received.map((r) => new URL(r.url, 'http://x').searchParams.get('ipAddress'));
    assert.ok(checked.length > IPS.length, `some checks were refused with 429 and asked again (${checked.length} requests)`);
    assert.equal([...new Set(checked)].sort(), [...IPS].sort(), 'every public address checked, the private dstip never');
    await queue.waitFor(IPS.length);
    const events = queue.messages.map((m) => decodeLikeAnalysisd(m));
    assert.equal(events.map((e) => (e.data as { abuseipdb: { source: { srcip: string } } }).abuseipdb.source.srcip).sort(), [...IPS].sort(), 'one event per alert');
    for (const e of events) assert.equal([e.location, (e.data as { integration: string }).integration], ['abuseipdb', 'custom-abuseipdb']);
    const v6 = queue.messages.find((m) => m.includes('edge-v6')) ?? '';
    assert.ok(v6.startsWith('1:[009] (edge-v6) 2001|:db8|:0|:1|:|:9->abuseipdb:{'), v6);
    assert.equal(decodeLikeAnalysisd(v6).agent, { id: '009', name: 'edge-v6', ip: '2001:db8:0:1::9' });
    const reported = events.find((e) => (e.data as { abuseipdb: { source: { srcip: string } } }).abuseipdb.source.srcip === REPORTED_IP);
    assert.equal((reported?.data as { abuseipdb: Record<string, unknown> }).abuseipdb['abuse_confidence_score'], '100');
    assert.is(parseQueueMessage(queue.messages[0] ?? '')?.queue, '1');
  } finally {
    queue.close();
    await service.close();
  }
});

test('a service that drops every connection for a while: lookups are retried and all written back once it answers', async () => {
  const { queue, service, file } = await setUp({ limit: 1000, windowMs: 86_400_000 }, 10);
  try {
    const DOWN = 10;
    service.script(...Array.from({ length: DOWN }, () => 'reset' as const));
    const io = captureIo();
    const code = await main(['replay', file, '--home', queue.home, '--state', join(queue.home, 'state'), '--concurrency', '4', '--no-progress'], io);
    assert.is(code, 0, io.err());
    assert.is(service.count, IPS.length + DOWN, 'each refused connection tried again, each address answered once');
    await queue.waitFor(IPS.length);
    assert.equal(queue.messages.map((m) => (decodeLikeAnalysisd(m).data as { abuseipdb: { source: { srcip: string } } }).abuseipdb.source.srcip).sort(), [...IPS].sort());
  } finally {
    queue.close();
    await service.close();
  }
});

test.run();
