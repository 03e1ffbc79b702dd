// Specs for src/integrations/misp-event.ts (the IOC custom-misp.py looks up, and the event it writes back).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { MAX_MISP_VALUE_CHARS, mispEvent, mispTargets, scriptTarget } from '../../src/integrations/misp-event.js';
import { sampleAlert } from '../helpers/sample-alerts.js';

const SHA256 = 'a'.repeat(16) + 'b'.repeat(16) + 'c'.repeat(16) + 'd'.repeat(16);
const sysmon = (type: string, eventdata: Record<string, unknown>, source = 'windows') =>
  source === 'windows' ? { rule: { groups: [source, 'sysmon', type] }, data: { win: { eventdata } } } : { rule: { groups: [source, 'sysmon', type] }, data: { eventdata } };

const test = suite('misp targets (custom-misp.py)');
test('Sysmon 1/6/7/15/23/24/25 on Windows: the first 64-character run of hashes (SHA256 after SHA1 and MD5)', () => {
  const hashes = `SHA1=${'1'.repeat(40)},MD5=${'2'.repeat(32)},SHA256=${SHA256},IMPHASH=${'3'.repeat(32)}`;
  for (const type of ['sysmon_event1', 'sysmon_event6', 'sysmon_event7', 'sysmon_event_15', 'sysmon_event_23', 'sysmon_event_24', 'sysmon_event_25']) {
    assert.is(scriptTarget(sysmon(type, { hashes })), SHA256, type);
  }
  assert.is(scriptTarget(sysmon('sysmon_event1', { hashes: `MD5=${'2'.repeat(32)}` })), undefined, 'no SHA-256: no lookup');
  assert.is(scriptTarget(sysmon('sysmon_event2', { hashes })), undefined, 'other Sysmon events are not looked up');
});
test('Sysmon 3: a global IPv4 destination only when destinationIsIpv6 is "false"; Linux reads DestinationIp', () => {
  assert.is(scriptTarget(sysmon('sysmon_event3', { destinationIsIpv6: 'false', destinationIp: '185.220.101.47' })), '185.220.101.47');
  assert.is(scriptTarget(sysmon('sysmon_event3', { destinationIsIpv6: 'true', destinationIp: '2606:4700::1111' })), undefined);
  for (const ip of ['10.1.2.3', '127.0.0.1', '100.64.1.1', '192.0.2.7', 'not-an-ip']) assert.is(scriptTarget(sysmon('sysmon_event3', { destinationIsIpv6: 'false', destinationIp: ip })), undefined, ip);
  assert.is(scriptTarget(sysmon('sysmon_event3', { destinationIsIpv6: 'false', DestinationIp: '8.8.8.8' }, 'linux')), '8.8.8.8');
  assert.is(scriptTarget(sysmon('sysmon_event1', { hashes: SHA256 }, 'linux')), undefined);
});
test('Sysmon 22: the queried name (at most 253 characters)', () => {
  assert.is(scriptTarget(sysmon('sysmon_event_22', { queryName: 'evil.example.net' })), 'evil.example.net');
  assert.is(scriptTarget(sysmon('sysmon_event_22', { queryName: `${'a'.repeat(250)}.net` })), undefined);
});
test('FIM: syscheck.sha256_after of an added file (groups[0] ossec, groups[2] syscheck_entry_added), as in sample alert 3', () => {
  assert.is(scriptTarget(sampleAlert(3)), '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f');
  assert.is(scriptTarget(sampleAlert(2)), undefined, 'a modified file is not looked up by the script');
  assert.is(scriptTarget(sampleAlert(5)), undefined, 'an SSH alert has no IOC for the script');
  assert.is(scriptTarget({ rule: { groups: 'ossec' } }), undefined, 'groups not a list: nothing, no crash');
});
test('options.fields add values: global addresses and text up to the bound, each once', () => {
  const alert = { rule: { groups: [] }, data: { srcip: '10.0.0.1', dstip: '8.8.8.8', url: 'http://x.example/a', n: 42, long: 'x'.repeat(MAX_MISP_VALUE_CHARS + 1) } };
  const { values, refused } = mispTargets(alert, ['data.srcip', 'data.dstip', 'data.url', 'data.n', 'data.long', 'data.dstip', 'data.none']);
  assert.equal(values, ['8.8.8.8', 'http://x.example/a']);
  assert.equal(refused, ['42', 'x'.repeat(MAX_MISP_VALUE_CHARS + 1)]);
  assert.equal(mispTargets(sampleAlert(3), ['syscheck.sha256_after']).values, ['275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f']);
});
test('the event: misp.{event_id, category, value, type} then integration "misp", in that key order', () => {
  const event = mispEvent({ event_id: '1542', category: 'Payload delivery', value: SHA256, type: 'sha256' });
  assert.is(JSON.stringify(event), `{"misp":{"event_id":"1542","category":"Payload delivery","value":"${SHA256}","type":"sha256"},"integration":"misp"}`);
  assert.equal(mispEvent({ event_id: '1', category: undefined, value: 'v', type: 'ip-dst' }).misp.category, null);
});
test.run();
