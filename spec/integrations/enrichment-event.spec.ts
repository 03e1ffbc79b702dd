// Specs for src/integrations/enrichment-event.ts: the location a write-back event is filed under.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { wazuhLocation } from '../../src/integrations/enrichment-event.js';

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
location.run();
