// MISP through `replay` and the daemon (`run`), written back to a real bound queue socket: a rate limit mid-run or MISP down loses no lookup.

import { suite } from 'uvu';
import { request } from 'undici';
import * as assert from 'uvu/assert';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/cli.js';
import { loadConfigText } from '../../src/config/load.js';
import { openQueueSocketWriter } from '../../src/delivery/wazuh-queue.js';
import type { QueueWriter } from '../../src/delivery/queue-writer.js';
import { Integrator } from '../../src/pipeline/integrator.js';
import type { BlockOutcome } from '../../src/pipeline/outcome.js';
import { bindAnalysisdQueue } from '../../src/stand-ins/analysisd-queue.js';
import { EICAR_SHA1, EICAR_SHA256, MISP_C2_IP, MISP_DOMAIN, startMispStandIn } from '../../src/stand-ins/misp.js';
import { wazuhPaths } from '../../src/wazuh-home.js';
import { AlertsDir } from '../helpers/alerts-dir.js';
import { captureIo } from '../helpers/capture-io.js';
import { captureLog } from '../helpers/capture-log.js';
import { eventually } from '../helpers/eventually.js';
import { bindQueueSocket, shortTempDir } from '../helpers/queue-socket.js';

const KEY = 'misp-replay-key-31337';
/** 2 searches per 1.5 s window: 8 values need four windows, so the limit is hit three times mid-run. */
const LIMIT = { limit: 2, windowMs: 1500 };
const unknownHash = (n: number) => n.toString(16).padStart(64, 'f');
const EICAR_MD5 = '44d88612fea8a8f36de82e1278abb02f';

/** The agents: the IPv6 one's location must be escaped. */
const AGENT = { id: '003', name: 'win-ws-03', ip: '10.0.3.3' };
const V6_AGENT = { id: '021', name: 'edge-v6', ip: 'fd00:21::3' };

/** Alerts as Wazuh writes them, with the fields of the script's SUPPORTED_KEYS: FIM hashes, IPs, a URL, a DNS query. */
const ALERTS = [
  { rule: { id: '554', groups: ['ossec', 'syscheck'] }, syscheck: { path: '/tmp/eicar.com', md5_after: EICAR_MD5, sha1_after: EICAR_SHA1, sha256_after: EICAR_SHA256 } },
  { rule: { id: '554', groups: ['ossec', 'syscheck'] }, syscheck: { path: '/tmp/a', sha256_after: unknownHash(1) } },
  { rule: { id: '81629' }, data: { srcip: '10.0.0.5', dstip: MISP_C2_IP } },
  { rule: { id: '31101' }, data: { url: 'http://clean.example.org/x' } },
  { rule: { id: '61650', groups: ['windows', 'sysmon', 'sysmon_event_22'] }, data: { win: { eventdata: { queryName: MISP_DOMAIN } } } },
].map((a, n) => ({ timestamp: '2026-12-08T02:00:00.000+0000', id: `1765159200.${n}`, agent: n === 4 ? V6_AGENT : AGENT, manager: { name: 'wazuh-manager' }, location: 'EventChannel', ...a, rule: { level: 5, description: 'test', ...a.rule } }));

/** Every value the script looks up (private addresses included, as it does). */
const LOOKED_UP = [EICAR_SHA1, EICAR_SHA256, EICAR_MD5, unknownHash(1), '10.0.0.5', MISP_C2_IP, 'http://clean.example.org/x', MISP_DOMAIN];

/** The script's attr_info of a value, from the stand-in's raw answer (MISP's first attribute and its Event). */
const attrInfo = async (base: string, value: string) => {
  const res = await request(`${base}/attributes/restSearch/`, { method: 'POST', headers: { authorization: KEY, 'content-type': 'application/json' }, body: JSON.stringify({ value }) });
  const a = ((await res.body.json()) as { response: { Attribute: Record<string, any>[] } }).response.Attribute[0] ?? {};
  return { value: a['value'], comment: a['comment'], uuid: a['uuid'], timestamp: a['timestamp'], event_id: a['event_id'], event_org_id: a['Event']['org_id'], event_info: a['Event']['info'], threat_level_id: a['Event']['threat_level_id'] };
};
/** The script's datagram for an alert: its IOCs in SUPPORTED_KEYS order, flags, responses, filtered_alert; compact JSON. */
const scriptDatagram = async (base: string, n: number, location: string, iocs: [string, string, boolean][]) => {
  const alert = ALERTS[n] as Record<string, any>;
  const event = {
    ioc: Object.fromEntries(iocs.map(([k, v]) => [k, v])),
    result_flags: Object.fromEntries(iocs.map(([k, , m]) => [`${k}_misp`, m])),
    misp_response: Object.fromEntries(await Promise.all(iocs.map(async ([k, v, m]) => [k, m ? await attrInfo(base, v) : {}]))),
    original_alert: { id: alert['id'], 'manager.name': 'wazuh-manager', 'rule.groups': alert['rule']['groups'] ?? null, 'rule.id': alert['rule']['id'], 'rule.level': 5, timestamp: alert['timestamp'], 'rule.description': 'test' },
    integration: 'misp',
    threat: 'MISP match',
  };
  return `1:${location}->misp:${JSON.stringify(event)}`;
};
/** The three alerts the script writes back for (a match in each), byte for byte; attributes read from an unlimited stand-in. */
const expected = async () => {
  const reference = await startMispStandIn({ apiKey: KEY });
  try {
    const base = reference.url;
    return sorted([
      await scriptDatagram(base, 0, '[003] (win-ws-03) 10.0.3.3', [['sha1', EICAR_SHA1, true], ['sha256', EICAR_SHA256, true], ['md5', EICAR_MD5, false]]),
      await scriptDatagram(base, 2, '[003] (win-ws-03) 10.0.3.3', [['ip_src', '10.0.0.5', false], ['ip_dst', MISP_C2_IP, true]]),
      await scriptDatagram(base, 4, '[021] (edge-v6) fd00|:21|:|:3', [['domain', MISP_DOMAIN, true]]),
    ]);
  } finally {
    await reference.close();
  }
};
const BLOCK = (url: string) => `<integration><name>misp</name><hook_url>${url}</hook_url><api_key>${KEY}</api_key><retries>8</retries><alert_format>json</alert_format></integration>`;
const sorted = <T>(list: readonly T[]) => [...list].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
const searched = (service: { received: readonly { json: unknown }[] }) => service.received.map((r) => (r.json as { value: string }).value);
const EXPECTED_COUNT = 3;

const test = suite('misp lookups through replay and run with a rate limit mid-run');

test('replay: lookups refused with 429 wait Retry-After, then every IOC is searched and the found ones written back field by field', async () => {
  const queue = bindQueueSocket();
  const service = await startMispStandIn({ apiKey: KEY, rateLimit: LIMIT });
  try {
    mkdirSync(join(queue.home, 'etc'), { recursive: true });
    writeFileSync(join(queue.home, 'etc', 'ossec.conf'), '<ossec_config>\n</ossec_config>\n');
    writeFileSync(join(queue.home, 'etc', 'integratord.conf'), `<ossec_config>${BLOCK(service.url)}</ossec_config>\n`);
    const file = join(queue.home, 'alerts-copy.json');
    writeFileSync(file, `${ALERTS.map((a) => JSON.stringify(a)).join('\n')}\n`);
    const io = captureIo();
    const code = await main(['replay', file, '--home', queue.home, '--state', join(queue.home, 'state'), '--concurrency', '2', '--no-progress'], io);
    assert.is(code, 0, io.err());
    assert.ok(service.count > LOOKED_UP.length, `some searches were refused with 429 and asked again (${service.count} requests)`);
    assert.equal(sorted([...new Set(searched(service))]), sorted(LOOKED_UP));
    await queue.waitFor(EXPECTED_COUNT);
    assert.equal(sorted(queue.messages), await expected(), 'one event per alert with a match, byte for byte the script\'s');
    assert.not.ok(io.out().includes(KEY) || io.err().includes(KEY), 'the key is never printed');
  } finally {
    queue.close();
    await service.close();
  }
});

test('replay with MISP dropping every connection for a while: each search retried, every found IOC written back once', async () => {
  const queue = bindQueueSocket();
  const service = await startMispStandIn({ apiKey: KEY });
  try {
    mkdirSync(join(queue.home, 'etc'), { recursive: true });
    writeFileSync(join(queue.home, 'etc', 'ossec.conf'), '<ossec_config>\n</ossec_config>\n');
    writeFileSync(join(queue.home, 'etc', 'integratord.conf'), `<ossec_config>${BLOCK(service.url)}</ossec_config>\n`);
    const file = join(queue.home, 'alerts-copy.json');
    writeFileSync(file, `${ALERTS.map((a) => JSON.stringify(a)).join('\n')}\n`);
    const DOWN = 8;
    service.script(...Array.from({ length: DOWN }, () => 'reset' as const));
    const io = captureIo();
    const code = await main(['replay', file, '--home', queue.home, '--state', join(queue.home, 'state'), '--concurrency', '4', '--no-progress'], io);
    assert.is(code, 0, io.err());
    assert.is(service.count, LOOKED_UP.length + DOWN, 'each dropped connection tried again, each IOC answered once');
    await queue.waitFor(EXPECTED_COUNT);
    assert.equal(sorted(queue.messages), await expected());
  } finally {
    queue.close();
    await service.close();
  }
});

test('run (the daemon following alerts.json): the same alerts, the limit hit mid-run, every found IOC written back, none dead-lettered', async () => {
  const dir = new AlertsDir('misp');
  const log = captureLog(2);
  const socketDir = shortTempDir();
  const queue = bindAnalysisdQueue(join(socketDir, 'queue'));
  const service = await startMispStandIn({ apiKey: KEY, rateLimit: LIMIT });
  let integrator: Integrator | undefined;
  let writer: QueueWriter | undefined;
  try {
    dir.startDay(1);
    writer = await openQueueSocketWriter(queue.path);
    integrator = new Integrator({ paths: wazuhPaths(dir.home), input: { kind: 'follow', alertsFile: dir.alerts, pollMs: 50 }, queue: writer });
    const outcomes: BlockOutcome[] = [];
    integrator.outcomes$.subscribe((o) => outcomes.push(o));
    await integrator.start(loadConfigText(`<ossec_config>${BLOCK(service.url)}</ossec_config>`).integrations);
    dir.append(ALERTS.map((a) => JSON.stringify(a)));
    await eventually(() => new Set(searched(service)).size === LOOKED_UP.length && queue.messages.length >= EXPECTED_COUNT, 'every IOC searched and the found ones written back');
    assert.ok(service.count > LOOKED_UP.length, 'the rate limit refused some searches');
    assert.equal(sorted(queue.messages), await expected());
    assert.is(outcomes.filter((o) => o.kind === 'dead-lettered').length, 0);
    assert.not.ok(log.text().includes(KEY), 'the key is never logged');
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
