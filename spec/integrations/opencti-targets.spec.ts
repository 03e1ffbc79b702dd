// Specs for src/integrations/opencti-targets.ts (what custom-opencti.py looks up in an alert).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { dnsResults, MAX_OPENCTI_VALUE_CHARS, openCtiTarget } from '../../src/integrations/opencti-targets.js';
import { sampleAlert } from '../helpers/sample-alerts.js';

const H = 'ab'.repeat(32);
const win = (groups: string[], eventdata: Record<string, unknown>) => ({ rule: { groups }, data: { win: { eventdata } } });

const test = suite('opencti targets (custom-opencti.py)');
test('Sysmon hash events (event1, event_15, eid7, process-anomalies): hashes.SHA256 and the file pattern', () => {
  for (const g of ['sysmon_event1', 'sysmon_event_15', 'sysmon_eid7_detections', 'sysmon_process-anomalies']) {
    assert.equal(openCtiTarget(win(['windows', g], { hashes: `MD5=${'0'.repeat(32)},SHA256=${H}` })), { key: 'hashes.SHA256', values: [H], patterns: [`[file:hashes.'SHA-256' = '${H}']`] }, g);
  }
  assert.is(openCtiTarget(win(['sysmon_event1'], { hashes: 'MD5=00' })), undefined);
});
test('Sysmon 3: a global destination with its ipv4/ipv6 pattern; a private one is not looked up', () => {
  assert.equal(openCtiTarget(win(['sysmon_event3'], { destinationIp: '185.220.101.47' })), { key: 'value', values: ['185.220.101.47'], patterns: ["[ipv4-addr:value = '185.220.101.47']"] });
  assert.equal(openCtiTarget(win(['sysmon_eid3_detections'], { destinationIp: '2606:4700::1111' }))?.patterns, ["[ipv6-addr:value = '2606:4700::1111']"]);
  assert.is(openCtiTarget(win(['sysmon_event3'], { destinationIp: '10.0.0.8' })), undefined);
});
test('ids: a packetbeat DNS query (name, global A/AAAA answers), else the first global of destination and source', () => {
  const dns = { rule: { groups: ['ids'] }, data: { method: 'QUERY', dns: { question: { name: 'evil.example' }, answers: [{ type: 'CNAME', data: 'x.example' }, { type: 'A', data: '10.0.0.1' }, { type: 'A', data: '8.8.8.8' }] } } };
  assert.equal(openCtiTarget(dns), { key: 'value', values: ['evil.example', '8.8.8.8'], patterns: ["[domain-name:value = 'evil.example']", "[hostname:value = 'evil.example']", "[ipv4-addr:value = '8.8.8.8']"] });
  assert.equal(openCtiTarget({ rule: { groups: ['ids', 'suricata'] }, data: { dest_ip: '192.168.1.1', src_ip: '1.1.1.1' } })?.values, ['1.1.1.1']);
  assert.equal(openCtiTarget({ rule: { groups: ['ids'] }, data: { dstip: '9.9.9.9', srcip: '1.1.1.1' } })?.values, ['9.9.9.9']);
  assert.is(openCtiTarget({ rule: { groups: ['ids'] }, data: { dest_ip: 'garbage', src_ip: '1.1.1.1' } }), undefined, 'the script raises on an invalid address');
  assert.equal(openCtiTarget({ rule: { groups: ['ids'] }, data: { dest_ip: '8.8.8.8', src_ip: 'garbage' } })?.values, ['8.8.8.8'], 'a global destination is found before the source is read');
  assert.is(openCtiTarget({ rule: { groups: ['ids'] }, data: { dest_ip: '10.0.0.1' } }), undefined);
});
test('Sysmon 22: queryName, plus the global addresses of queryResults (IPv4-mapped as IPv4, IPv6 exploded)', () => {
  const results = 'type:  5 youtube-ui.l.google.com;::ffff:142.250.74.174;::ffff:10.0.0.1;2a00:1450:400f:80c::200e;';
  assert.equal(dnsResults(results), ['142.250.74.174', '2a00:1450:400f:080c:0000:0000:0000:200e']);
  assert.equal(dnsResults('1.1.1.1;not-an-address;'), [], 'any other entry: none, as the script');
  const target = openCtiTarget(win(['windows', 'sysmon', 'sysmon_event_22'], { queryName: "it's.example", queryResults: '::ffff:1.1.1.1;' }));
  assert.equal(target?.values, ["it's.example", '1.1.1.1']);
  assert.equal(target?.patterns.slice(0, 2), ["[domain-name:value = 'it\\'s.example']", "[hostname:value = 'it\\'s.example']"], 'a quote in alert text is escaped STIX-style');
});
test('FIM added/modified (samples 1-3), osquery and audit_command; anything else, oversized or missing values: nothing', () => {
  assert.equal(openCtiTarget(sampleAlert(3))?.values, ['275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f']);
  assert.equal(openCtiTarget(sampleAlert(2))?.key, 'hashes.SHA256');
  assert.equal(openCtiTarget({ rule: { groups: ['osquery_file'] }, data: { osquery: { columns: { sha256: H } } } })?.values, [H]);
  const audit = { rule: { groups: ['audit', 'audit_command'] }, data: { audit: { execve: { a0: 'curl', a1: '-s', a2: 'http://x.example/a.sh' } } } };
  assert.equal(openCtiTarget(audit), { key: 'value', values: ['http://x.example/a.sh'], patterns: ["[url:value = 'http://x.example/a.sh']"] });
  assert.is(openCtiTarget(sampleAlert(5)), undefined);
  assert.is(openCtiTarget(win(['sysmon_event_22'], { queryName: 'x'.repeat(MAX_OPENCTI_VALUE_CHARS + 1) })), undefined);
  assert.is(openCtiTarget({ rule: { groups: ['syscheck_file', 'syscheck_entry_added'] } }), undefined);
});
test.run();
