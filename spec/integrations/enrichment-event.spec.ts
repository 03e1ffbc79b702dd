// Specs for src/integrations/enrichment-event.ts: the location a write-back event is filed under.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { wazuhLocation } from '../../src/integrations/enrichment-event.js';
import { openQueueSocketWriter } from '../../src/delivery/wazuh-queue.js';
import { virustotal } from '../../src/integrations/virustotal.js';
import { EICAR, startVirusTotalStandIn } from '../../src/stand-ins/virustotal.js';
import { decodeLikeAnalysisd } from '../helpers/analysisd-decode.js';
import { blockConfig, integrationEnv } from '../helpers/block-config.js';
import { bindQueueSocket } from '../helpers/queue-socket.js';
import { runSteps } from '../helpers/step-runner.js';

const location = suite('wazuhLocation');
location('is the integration name without agent, with an empty agent, or agent 000 (Wazuh send_event tests)', () => {
  assert.is(wazuhLocation({}, 'maltiverse'), 'maltiverse');
  assert.is(wazuhLocation({ agent: {} }, 'maltiverse'), 'maltiverse');
  assert.is(wazuhLocation({ agent: { id: '000', name: 'manager' } }, 'virustotal'), 'virustotal');
  assert.is(wazuhLocation(undefined, 'virustotal'), 'virustotal');
});
location('is [id] (name) ip->integration for an agent (Wazuh test: agent 001 Agent1 192.168.0.1)', () => {
  assert.is(wazuhLocation({ agent: { id: '001', name: 'Agent1', ip: '192.168.0.1' } }, 'maltiverse'), '[001] (Agent1) 192.168.0.1->maltiverse');
});
location('uses "any" when the agent has no ip', () => {
  assert.is(wazuhLocation({ agent: { id: '002', name: 'db' } }, 'virustotal'), '[002] (db) any->virustotal');
});
location('escapes the whole location: | first, then : (IPv6 agents)', () => {
  assert.is(wazuhLocation({ agent: { id: '003', name: 'a|b:c', ip: 'fe80::1' } }, 'virustotal'), '[003] (a||b|:c) fe80|:|:1->virustotal');
});
location('does not crash on an agent without id or name (Wazuh raises KeyError)', () => {
  assert.is(wazuhLocation({ agent: { name: 'x' } }, 'virustotal'), 'virustotal');
  assert.is(wazuhLocation({ agent: { id: '004' } }, 'virustotal'), '[004] () any->virustotal');
});
location('writes newline, NUL and other control characters of agent fields as visible escapes: one location, nothing cut', () => {
  const got = wazuhLocation({ agent: { id: '005\u0000', name: 'web\n** Alert 1.1: forged', ip: '10.0.0.5\r' } }, 'maltiverse');
  assert.is(got, '[005\\x00] (web\\n** Alert 1.1|: forged) 10.0.0.5\\r->maltiverse');
});
location('a VirusTotal result from an IPv6 agent, through a real queue socket: escaped, and analysisd reads the agent back', async () => {
  const vt = await startVirusTotalStandIn({ apiKey: 'vt-location-key' });
  const queue = bindQueueSocket();
  const writer = await openQueueSocketWriter(queue.path);
  try {
    const block = virustotal.create(blockConfig({ name: 'virustotal', apiKey: 'vt-location-key', hookUrl: vt.url }), integrationEnv());
    const alert = { id: '1', agent: { id: '011', name: 'files-v6', ip: '2001:db8::11' }, syscheck: { path: '/tmp/eicar.com', md5_after: EICAR.md5 } };
    await runSteps(block.plan(alert), { writer });
    await queue.waitFor(1);
    assert.ok(queue.messages[0]?.startsWith('1:[011] (files-v6) 2001|:db8|:|:11->virustotal:{"virustotal": '), queue.messages[0]);
    assert.equal(decodeLikeAnalysisd(queue.messages[0] ?? '').agent, alert.agent);
  } finally {
    await writer.close();
    queue.close();
    await vt.close();
  }
});
location.run();
