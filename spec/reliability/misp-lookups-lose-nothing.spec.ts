// MISP through `replay` and the daemon (`run`), written back to a real bound queue socket: a rate limit mid-run loses no lookup.

import { suite } from 'uvu';
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
import { EICAR_SHA256, MISP_C2_IP, MISP_DOMAIN, startMispStandIn } from '../../src/stand-ins/misp.js';
import { wazuhPaths } from '../../src/wazuh-home.js';
import { decodeLikeAnalysisd } from '../helpers/analysisd-decode.js';
import { AlertsDir } from '../helpers/alerts-dir.js';
import { captureIo } from '../helpers/capture-io.js';
import { captureLog } from '../helpers/capture-log.js';
import { eventually } from '../helpers/eventually.js';
import { bindQueueSocket, shortTempDir } from '../helpers/queue-socket.js';

const KEY = 'misp-replay-key-31337';
/** 2 searches per 1.5 s window: 7 alerts need four windows, so the limit is hit three times mid-run. */
const LIMIT = { limit: 2, windowMs: 1500 };
const unknownHash = (n: number) => n.toString(16).padStart(64, 'f');

/** The agents: the last has an IPv6 address (its location must be escaped). */
const AGENT = { id: '003', name: 'win-ws-03', ip: '10.0.3.3' };
const V6_AGENT = { id: '021', name: 'edge-v6', ip: 'fd00:21::3' };

/** Alerts as Wazuh writes them: FIM, Sysmon 1, Sysmon 3, Sysmon 22; known and unknown IOCs; one value per alert. */
const ALERTS = [
  { rule: { id: '554', groups: ['ossec', 'syscheck', 'syscheck_entry_added', 'syscheck_file'] }, syscheck: { path: '/tmp/eicar.com', sha256_after: EICAR_SHA256 } },
  { rule: { id: '554', groups: ['ossec', 'syscheck', 'syscheck_entry_added', 'syscheck_file'] }, syscheck: { path: '/tmp/a', sha256_after: unknownHash(1) } },
  { rule: { id: '61603', groups: ['windows', 'sysmon', 'sysmon_event1'] }, data: { win: { eventdata: { hashes: `SHA1=${'0'.repeat(40)},SHA256=${unknownHash(2)}` } } } },
  { rule: { id: '61605', groups: ['windows', 'sysmon', 'sysmon_event3'] }, data: { win: { eventdata: { destinationIsIpv6: 'false', destinationIp: MISP_C2_IP } } } },
  { rule: { id: '61605', groups: ['windows', 'sysmon', 'sysmon_event3'] }, data: { win: { eventdata: { destinationIsIpv6: 'false', destinationIp: '9.9.9.9' } } } },
  { rule: { id: '61605', groups: ['windows', 'sysmon', 'sysmon_event3'] }, data: { win: { eventdata: { destinationIsIpv6: 'false', destinationIp: '10.9.9.9' } } } },
  { rule: { id: '61650', groups: ['windows', 'sysmon', 'sysmon_event_22'] }, data: { win: { eventdata: { queryName: MISP_DOMAIN } } } },
  { rule: { id: '61650', groups: ['windows', 'sysmon', 'sysmon_event_22'] }, data: { win: { eventdata: { queryName: 'clean.example.org' } } } },
].map((a, n) => ({ timestamp: '2026-12-08T02:00:00.000+0000', id: `1765159200.${n}`, agent: n === 6 ? V6_AGENT : AGENT, location: 'EventChannel', ...a, rule: { level: 5, description: 'test', ...a.rule } }));

/** The values the script looks up: every alert's IOC except the private Sysmon 3 destination. */
const LOOKED_UP = [EICAR_SHA256, unknownHash(1), unknownHash(2), MISP_C2_IP, '9.9.9.9', MISP_DOMAIN, 'clean.example.org'];
/** The script's events for the known ones (from the stand-in's data: MISP's first attribute), and under which agent. */
const EXPECTED = [
  { agent: AGENT, data: { misp: { event_id: '1542', category: 'Payload delivery', value: EICAR_SHA256, type: 'sha256' }, integration: 'misp' } },
  { agent: AGENT, data: { misp: { event_id: '1601', category: 'Network activity', value: MISP_C2_IP, type: 'ip-dst' }, integration: 'misp' } },
  { agent: V6_AGENT, data: { misp: { event_id: '1650', category: 'Network activity', value: MISP_DOMAIN, type: 'domain' }, integration: 'misp' } },
];
const BLOCK = (url: string) => `<integration><name>misp</name><hook_url>${url}</hook_url><api_key>${KEY}</api_key><retries>8</retries><alert_format>json</alert_format></integration>`;
const written = (messages: readonly string[]) => messages.map((m) => ({ agent: decodeLikeAnalysisd(m).agent, data: decodeLikeAnalysisd(m).data })).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
const sorted = <T>(list: readonly T[]) => [...list].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
const searched = (service: { received: readonly { json: unknown }[] }) => service.received.map((r) => (r.json as { value: string }).value);

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
    await queue.waitFor(EXPECTED.length);
    assert.equal(written(queue.messages), sorted(EXPECTED));
    assert.ok(queue.messages.some((m) => m.startsWith('1:[021] (edge-v6) fd00|:21|:|:3->misp:{"misp": ')), queue.messages.join('\n'));
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
    await queue.waitFor(EXPECTED.length);
    assert.equal(written(queue.messages), sorted(EXPECTED));
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
    await eventually(() => new Set(searched(service)).size === LOOKED_UP.length && queue.messages.length >= EXPECTED.length, 'every IOC searched and the found ones written back');
    assert.ok(service.count > LOOKED_UP.length, 'the rate limit refused some searches');
    assert.equal(written(queue.messages), sorted(EXPECTED));
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
