// Specs for src/integrations/enrichment-event.ts (The write-back datagram of Wazuh's VirusTotal/Maltiverse scripts: `1:<location>:<json>`, and its inverse).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { escapeLocation, parseQueueMessage, queueMessage, wazuhLocation } from '../../src/integrations/enrichment-event.js';

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
location.run();

const escape = suite('escapeLocation');
escape('doubles pipes before escaping colons, so "|:" stays unambiguous', () => {
  assert.is(escapeLocation('|:'), '|||:');
  assert.is(escapeLocation('plain'), 'plain');
});
escape.run();

const message = suite('queueMessage');
message('is 1:<location>:<python json> (Wazuh test: 1:maltiverse:"msg")', () => {
  assert.is(queueMessage('maltiverse', 'msg'), '1:maltiverse:"msg"');
  assert.is(queueMessage('[001] (Agent1) 192.168.0.1->maltiverse', 'msg'), '1:[001] (Agent1) 192.168.0.1->maltiverse:"msg"');
  assert.is(queueMessage('virustotal', { virustotal: { error: 403 }, integration: 'virustotal' }), '1:virustotal:{"virustotal": {"error": 403}, "integration": "virustotal"}');
});
message.run();

const parse = suite('parseQueueMessage');
parse('takes a message apart, unescaping the location', () => {
  const loc = wazuhLocation({ agent: { id: '003', name: 'a|b:c', ip: 'fe80::1' } }, 'virustotal');
  assert.equal(parseQueueMessage(queueMessage(loc, { a: 'x:y' })), { queue: '1', location: '[003] (a|b:c) fe80::1->virustotal', event: { a: 'x:y' } });
  assert.equal(parseQueueMessage('1:virustotal:{"found": 0}'), { queue: '1', location: 'virustotal', event: { found: 0 } });
});
parse('returns undefined for text that is not a write-back message', () => {
  assert.is(parseQueueMessage('no colon'), undefined);
  assert.is(parseQueueMessage(':x:{}'), undefined);
  assert.is(parseQueueMessage('1:location-without-json'), undefined);
  assert.is(parseQueueMessage('1:virustotal:{not json'), undefined);
});
parse.run();
