// OpenCTI through `replay` and the daemon (`run`), written back to a real bound queue socket: a rate limit mid-run loses no lookup.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/cli.js';
import { loadConfigText } from '../../src/config/load.js';
import { parseQueueMessage } from '../../src/delivery/queue-message.js';
import { openQueueSocketWriter } from '../../src/delivery/wazuh-queue.js';
import type { QueueWriter } from '../../src/delivery/queue-writer.js';
import { Integrator } from '../../src/pipeline/integrator.js';
import type { BlockOutcome } from '../../src/pipeline/outcome.js';
import { bindAnalysisdQueue } from '../../src/stand-ins/analysisd-queue.js';
import { OPENCTI_C2_IP as C2, OPENCTI_EICAR_SHA256 as EICAR, OPENCTI_PHISHING_DOMAIN as DOMAIN, startOpenCtiStandIn } from '../../src/stand-ins/opencti.js';
import { wazuhPaths } from '../../src/wazuh-home.js';
import { decodeLikeAnalysisd } from '../helpers/analysisd-decode.js';
import { AlertsDir } from '../helpers/alerts-dir.js';
import { captureIo } from '../helpers/capture-io.js';
import { captureLog } from '../helpers/capture-log.js';
import { eventually } from '../helpers/eventually.js';
import { bindQueueSocket, shortTempDir } from '../helpers/queue-socket.js';

const TOKEN = 'opencti-replay-token-2718';
/** 2 queries per 1.5 s window: 6 alerts need three windows, so the limit is hit mid-run. */
const LIMIT = { limit: 2, windowMs: 1500 };
const AGENT = { id: '005', name: 'dc-05', ip: '10.0.5.5' };
const V6_AGENT = { id: '022', name: 'edge-v6', ip: '2001:db8:22::5' };

const ALERTS = [
  { rule: { id: '61603', groups: ['windows', 'sysmon', 'sysmon_event3'] }, data: { win: { eventdata: { destinationIp: C2 } } } },
  { rule: { id: '554', groups: ['ossec', 'syscheck', 'syscheck_entry_added', 'syscheck_file'] }, syscheck: { path: '/tmp/eicar.com', sha256_after: EICAR } },
  { rule: { id: '61650', groups: ['windows', 'sysmon', 'sysmon_event_22'] }, data: { win: { eventdata: { queryName: DOMAIN } } } },
  { rule: { id: '61603', groups: ['windows', 'sysmon', 'sysmon_event3'] }, data: { win: { eventdata: { destinationIp: '9.9.9.9' } } } },
  { rule: { id: '86601', groups: ['ids', 'suricata'] }, data: { src_ip: '1.1.1.1', dest_ip: '10.0.5.5', alert: { signature: 'ET SCAN' } } },
  { rule: { id: '554', groups: ['ossec', 'syscheck', 'syscheck_entry_modified', 'syscheck_file'] }, syscheck: { path: '/tmp/b', sha256_after: 'e'.repeat(64) } },
].map((a, n) => ({ timestamp: '2026-12-08T03:00:00.000+0000', id: `1765162800.${n}`, agent: n === 2 ? V6_AGENT : AGENT, location: 'EventChannel', ...a, rule: { level: 5, description: 'test', ...a.rule } }));
/** One query per alert: the values each sends. */
const QUERIED = [[C2], [EICAR], [DOMAIN], ['9.9.9.9'], ['1.1.1.1'], ['e'.repeat(64)]].map((v) => JSON.stringify(v)).sort();
/** What the script writes for the known ones: agent, event type, the value matched, the alert it is about. */
const EXPECTED = [
  [AGENT, 'indicator_pattern_match', C2, '1765162800.0'],
  [AGENT, 'observable_with_indicator', EICAR, '1765162800.1'],
  [V6_AGENT, 'observable_with_related_indicator', DOMAIN, '1765162800.2'],
].map((e) => JSON.stringify(e)).sort();
const BLOCK = (url: string) => `<integration><name>opencti</name><hook_url>${url}/graphql</hook_url><api_key>${TOKEN}</api_key><retries>8</retries><alert_format>json</alert_format></integration>`;
const written = (messages: readonly string[]) =>
  messages
    .map((m) => {
      const o = (parseQueueMessage(m)?.event as { integration: string; opencti: Record<string, any> }).opencti;
      return JSON.stringify([decodeLikeAnalysisd(m).agent, o['event_type'], o['observable_value'] ?? o['indicator']?.['name'], o['source']?.['alert_id']]);
    })
    .sort();
const queried = (service: { received: readonly { json: unknown }[] }) => [...new Set(service.received.map((r) => JSON.stringify((r.json as any).variables.obs.filters[0].values)))].sort();

const test = suite('opencti lookups through replay and run with a rate limit mid-run');

test('replay: queries refused with 429 wait Retry-After, then every alert is queried and the script\'s events written back', async () => {
  const queue = bindQueueSocket();
  const service = await startOpenCtiStandIn({ token: TOKEN, rateLimit: LIMIT });
  try {
    mkdirSync(join(queue.home, 'etc'), { recursive: true });
    writeFileSync(join(queue.home, 'etc', 'ossec.conf'), '<ossec_config>\n</ossec_config>\n');
    writeFileSync(join(queue.home, 'etc', 'integratord.conf'), `<ossec_config>${BLOCK(service.url)}</ossec_config>\n`);
    const file = join(queue.home, 'alerts-copy.json');
    writeFileSync(file, `${ALERTS.map((a) => JSON.stringify(a)).join('\n')}\n`);
    const io = captureIo();
    const code = await main(['replay', file, '--home', queue.home, '--state', join(queue.home, 'state'), '--concurrency', '2', '--no-progress'], io);
    assert.is(code, 0, io.err());
    assert.ok(service.count > ALERTS.length, `some queries were refused with 429 and sent again (${service.count} requests)`);
    assert.equal(queried(service), QUERIED);
    await queue.waitFor(EXPECTED.length);
    assert.equal(written(queue.messages), EXPECTED);
    assert.ok(queue.messages.some((m) => m.startsWith('1:[022] (edge-v6) 2001|:db8|:22|:|:5->opencti:{"integration": "opencti"')), queue.messages.join('\n'));
    assert.not.ok(io.out().includes(TOKEN) || io.err().includes(TOKEN), 'the token is never printed');
  } finally {
    queue.close();
    await service.close();
  }
});

test('run (the daemon following alerts.json): the limit hit mid-run, every known IOC written back, none dead-lettered', async () => {
  const dir = new AlertsDir('opencti');
  const log = captureLog(2);
  const socketDir = shortTempDir();
  const queue = bindAnalysisdQueue(join(socketDir, 'queue'));
  const service = await startOpenCtiStandIn({ token: TOKEN, rateLimit: LIMIT });
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
    await eventually(() => queried(service).length === QUERIED.length && queue.messages.length >= EXPECTED.length, 'every alert queried and the known ones written back');
    assert.ok(service.count > ALERTS.length, 'the rate limit refused some queries');
    assert.equal(written(queue.messages), EXPECTED);
    assert.is(outcomes.filter((o) => o.kind === 'dead-lettered').length, 0);
    assert.not.ok(log.text().includes(TOKEN), 'the token is never logged');
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
