// Specs for src/integrations/maltiverse-event.ts (The enrichment event of Wazuh's Maltiverse script (reference §6.5): ECS threat fields from one IoC answer).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { pythonJson } from '../../src/delivery/python-json.js';
import { confidence, ecsType, maltiverseEvent, mitreSoftware, truthy } from '../../src/integrations/maltiverse-event.js';

const event = suite('maltiverseEvent');
event('builds Wazuh\'s expected alert of test_maltiverse_alert, key order included', () => {
  const ioc = {
    type: 'ip',
    blacklist: [
      { description: 'Suspicious Domain', source: 'Threat Intel Source 2', external_references: [{ source_name: 'mitre-attack', external_id: 'S0001', url: 'https://attack.mitre.org/software/S0001', description: 'Software 1' }] },
      { description: 'Malicious IP', source: 'Threat Intel Source 1', external_references: [{ source_name: 'mitre-attack', external_id: 'T1071', url: 'u', description: 'd' }] },
    ],
  };
  const e = maltiverseEvent('1711.22', ioc, '1.2.3.4');
  assert.is(
    pythonJson(e.threat),
    '{"indicator": {"name": "1.2.3.4", "type": "ipv4-addr", "description": "Malicious IP, Suspicious Domain", "provider": "Threat Intel Source 1, Threat Intel Source 2", ' +
      '"first_seen": null, "modified_at": null, "last_seen": null, "confidence": "Not Specified", "sightings": 2, "reference": "https://maltiverse.com/ip/1.2.3.4", "ip": "1.2.3.4"}, ' +
      '"software": {"id": "S0001", "reference": "https://attack.mitre.org/software/S0001", "name": "Software 1"}}',
  );
  assert.equal(Object.keys(e), ['integration', 'alert_id', 'maltiverse', 'threat']);
  assert.is(e.maltiverse.source, ioc);
});
event('uses the reference checksum for URLs, an empty reference without type, and no ip field for other types', () => {
  const url = maltiverseEvent('1', { type: 'url' }, 'http://x/a', 'abc');
  assert.is(url.threat.indicator['reference'], 'https://maltiverse.com/url/abc');
  assert.is(url.threat.indicator['name'], 'http://x/a');
  assert.not.ok('ip' in url.threat.indicator);
  assert.is(maltiverseEvent('1', { classification: 'malicious' }, 'h').threat.indicator['reference'], '');
});
event('does not crash on blacklist entries without text or that are not objects', () => {
  const e = maltiverseEvent('1', { type: 'hostname', blacklist: [{ source: 'A' }, 'junk', { description: 'B', source: 'A' }] }, 'h');
  assert.is(e.threat.indicator['description'], 'B');
  assert.is(e.threat.indicator['provider'], 'A');
  assert.is(e.threat.indicator['sightings'], 3);
});
event('sorts by code point like Python', () => {
  const e = maltiverseEvent('1', { type: 'hostname', blacklist: [{ description: '\uff21' }, { description: '\ud83d\ude00' }, { description: 'b' }] }, 'h');
  assert.is(e.threat.indicator['description'], 'b, \uff21, \ud83d\ude00');
});
event.run();

const conf = suite('confidence');
conf('matches the 8 cases of Wazuh\'s test_get_ioc_confidence', () => {
  assert.is(confidence({ classification: 'malicious', blacklist: [1, 2] }), 'High');
  assert.is(confidence({ classification: 'malicious', blacklist: [1] }), 'Medium');
  assert.is(confidence({ classification: 'suspicious', blacklist: [1, 2] }), 'Medium');
  assert.is(confidence({ classification: 'neutral', blacklist: [1, 2] }), 'Low');
  assert.is(confidence({ classification: 'neutral', blacklist: [] }), 'None');
  assert.is(confidence({ classification: 'whitelist', blacklist: [1, 2] }), 'Low');
  assert.is(confidence({ classification: 'whitelist', blacklist: [] }), 'None');
  assert.is(confidence({}), 'Not Specified');
});
conf('gives Low for one suspicious sighting and null for an unknown classification', () => {
  assert.is(confidence({ classification: 'suspicious', blacklist: [1] }), 'Low');
  assert.is(confidence({ classification: 'weird' }), null);
});
conf.run();

const ecs = suite('ecsType');
ecs('maps Maltiverse types to ECS (test_match_ecs_type) and ip_version 6 to ipv6-addr', () => {
  assert.equal(['ip', 'hostname', 'sample', 'url', 'other'].map((type) => ecsType({ type })), ['ipv4-addr', 'domain-name', 'file', 'url', null]);
  assert.is(ecsType({ type: 'ip', ip_version: 6 }), 'ipv6-addr');
  assert.is(ecsType({}), null);
});
ecs.run();

const mitre = suite('mitreSoftware');
mitre('takes the last mitre-attack reference whose id starts with S (test_get_mitre_information)', () => {
  const ref = (source_name: string, external_id: string) => ({ source_name, external_id, url: `u-${external_id}`, description: `d-${external_id}` });
  assert.equal(mitreSoftware([{ external_references: [ref('mitre-attack', 'S0001')] }, { external_references: [ref('mitre-attack', 'S0002')] }]), { id: 'S0002', reference: 'u-S0002', name: 'd-S0002' });
  assert.is(mitreSoftware([{ external_references: [ref('other', 'S0001')] }]), undefined);
  assert.is(mitreSoftware([{ external_references: [ref('mitre-attack', 's0001'), ref('mitre-attack', 'T1000')] }]), undefined);
  assert.is(mitreSoftware([]), undefined);
});
mitre('ignores malformed references instead of crashing', () => {
  assert.is(mitreSoftware([{ external_references: 'x' }, 'y', { external_references: [null, { source_name: 'mitre-attack', external_id: 5 }] }]), undefined);
});
mitre.run();

const truth = suite('truthy');
truth('follows Python truthiness of JSON values', () => {
  assert.equal([{}, [], '', 0, null, false, undefined].map(truthy), [false, false, false, false, false, false, false]);
  assert.equal([{ a: 1 }, [0], 'x', 1, true].map(truthy), [true, true, true, true, true]);
});
truth.run();
