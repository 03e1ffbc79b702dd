// Specs for src/integrations/misp-event.ts (the IOCs the wazuh-misp-integration custom-misp.py extracts, and its one event per alert).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { MAX_MISP_VALUE_CHARS, mispAlertEvent, mispIocs, mispValues, type MispAnswer, type MispAttribute } from '../../src/integrations/misp-event.js';
import { sampleAlert } from '../helpers/sample-alerts.js';

const EICAR = { md5: '44d88612fea8a8f36de82e1278abb02f', sha1: '3395856ce81f2b7382dee72602f798b642f14140', sha256: '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f' };

const iocs = suite('misp IOCs (SUPPORTED_KEYS)');
iocs('FIM: syscheck "<candidate>_after" for sha1, sha256, md5, in the script\'s key order', () => {
  assert.equal(mispIocs(sampleAlert(3)).iocs, [['sha1', EICAR.sha1], ['sha256', EICAR.sha256], ['md5', EICAR.md5]]);
});
iocs('the first candidate with a truthy value wins; dotted paths under data; syscheck only for undotted ones', () => {
  const alert = {
    data: { srcip: '', source_ip: '203.0.113.9', SourceIP: '198.51.100.1', dstip: '10.0.0.7', aws: { source_ip_address: 'x' }, win: { eventdata: { queryName: 'evil.example' } }, url: 'http://a.example/x' },
    syscheck: { src_ip_after: '192.0.2.1', sha256_after: 'zz', 'ciscoendpoint.file.identity.md5_after': 'never' },
  };
  assert.equal(mispIocs(alert).iocs, [['ip_src', '192.0.2.1'], ['ip_dst', '10.0.0.7'], ['sha256', 'zz'], ['url', 'http://a.example/x'], ['domain', 'evil.example']]);
  const noData = { data: { src_ip: '', source_ip: null }, syscheck: { source_ip_after: '192.0.2.2' } };
  assert.equal(mispIocs(noData).iocs, [['ip_src', '192.0.2.2']], 'an empty string is not None: the script goes to the next candidate, not to syscheck');
  assert.equal(mispIocs({ data: 'text', syscheck: 7 }).iocs, [], 'data and syscheck of other types: nothing, no crash');
});
iocs('values that are not text up to the bound are refused (the key is still taken: no fall-through)', () => {
  const { iocs: found, refused } = mispIocs({ data: { src_ip: 42, source_ip: '203.0.113.9', url: 'u'.repeat(MAX_MISP_VALUE_CHARS + 1), domain: ['a'] } });
  assert.equal(found, []);
  assert.equal(refused, ['42', 'u'.repeat(MAX_MISP_VALUE_CHARS + 1), '["a"]']);
});
iocs('each distinct value once, first appearance first', () => {
  assert.equal(mispValues([['ip_src', 'a'], ['ip_dst', 'b'], ['domain', 'a']]), ['a', 'b']);
});

const attribute = (value: string): MispAttribute => ({ value, comment: 'c', uuid: 'u', timestamp: '1', event_id: '9', event_org_id: '2', event_info: 'i', threat_level_id: '3' });
const found = (match: MispAttribute | null): MispAnswer => ({ kind: 'found', match });
const alert = { id: '17.5', timestamp: 't', rule: { id: '100', level: 5, description: 'd', groups: ['g'] }, manager: { name: 'm' } };

const events = suite('misp event (one per alert)');
events('a match: ioc, result_flags, misp_response grouped by value, original_alert, integration, threat — in that order', () => {
  const pairs = [['ip_src', 'A'], ['ip_dst', 'B'], ['domain', 'A']] as const;
  const event = mispAlertEvent(alert, pairs, new Map([['A', found(null)], ['B', found(attribute('B'))]]));
  const expected =
    '{"ioc":{"ip_src":"A","domain":"A","ip_dst":"B"},' +
    '"result_flags":{"ip_src_misp":false,"domain_misp":false,"ip_dst_misp":true},' +
    '"misp_response":{"ip_src":{},"domain":{},"ip_dst":{"value":"B","comment":"c","uuid":"u","timestamp":"1","event_id":"9","event_org_id":"2","event_info":"i","threat_level_id":"3"}},' +
    '"original_alert":{"id":"17.5","manager.name":"m","rule.groups":["g"],"rule.id":"100","rule.level":5,"timestamp":"t","rule.description":"d"},' +
    '"integration":"misp","threat":"MISP match"}';
  assert.is(JSON.stringify(event), expected);
});
events('original_alert of a bare alert: every field null', () => {
  const event = mispAlertEvent({}, [['md5', 'x']], new Map([['x', found(attribute('x'))]])) as { original_alert: unknown };
  assert.equal(event.original_alert, { id: null, 'manager.name': null, 'rule.groups': null, 'rule.id': null, 'rule.level': null, timestamp: null, 'rule.description': null });
});
events('nothing matched and nothing failed: no event; a value without an answer counts as no match', () => {
  assert.is(mispAlertEvent(alert, [['md5', 'x'], ['sha1', 'y']], new Map([['x', found(null)]])), undefined);
});
events('an error answer: only misp_error_response, threat "MISP error" — or "MISP match" when another value matched', () => {
  const error: MispAnswer = { kind: 'error', status: 403, message: 'Authentication failed.', url: '/attributes/restSearch' };
  assert.is(
    JSON.stringify(mispAlertEvent(alert, [['sha1', 'x'], ['md5', 'x']], new Map([['x', error]]))),
    '{"misp_error_response":{"sha1":{"status":403,"message":"Authentication failed.","url":"/attributes/restSearch"},"md5":{"status":403,"message":"Authentication failed.","url":"/attributes/restSearch"}},"integration":"misp","threat":"MISP error"}',
  );
  const mixed = mispAlertEvent(alert, [['sha1', 'x'], ['md5', 'y']], new Map<string, MispAnswer>([['x', error], ['y', found(attribute('y'))]]));
  assert.equal(Object.keys(mixed ?? {}), ['misp_error_response', 'integration', 'threat']);
  assert.is(mixed?.['threat'], 'MISP match');
});
events.run();
iocs.run();
