// Specs for src/integrations/abuseipdb-event.ts (The AbuseIPDB community script's event, and which IPs of an alert it looks up (public ones only)).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { abuseIpdbErrorEvent, abuseIpdbEvent, abuseIpdbTargets, isFound, isNegative } from '../../src/integrations/abuseipdb-event.js';
import { pythonJson } from '../../src/delivery/python-json.js';

const ALERT = { id: '1765155600.7', rule: { id: '5712', description: 'sshd: brute force' }, full_log: 'Failed password for root from 118.25.6.39', data: { srcip: '118.25.6.39' } };

const event = suite('abuseIpdbEvent');
event('a reported address: the Wazuh blog script\'s keys in its order (source with description, full_log, srcip), the score fields copied', () => {
  const report = { abuseConfidenceScore: 100, countryCode: 'CN', usageType: 'Data Center/Web Hosting/Transit', isp: 'Tencent', domain: 'tencent.com', totalReports: 3, lastReportedAt: '2026-12-07T21:14:03+00:00', isTor: false };
  const e = abuseIpdbEvent(ALERT, '118.25.6.39', report);
  assert.is(
    pythonJson(e),
    '{"abuseipdb": {"found": 1, "source": {"alert_id": "1765155600.7", "rule": "5712", "description": "sshd: brute force", "full_log": "Failed password for root from 118.25.6.39", "srcip": "118.25.6.39"}, "abuse_confidence_score": 100, "country_code": "CN", "usage_type": "Data Center/Web Hosting/Transit", "isp": "Tencent", "domain": "tencent.com", "total_reports": 3, "last_reported_at": "2026-12-07T21:14:03+00:00"}, "integration": "custom-abuseipdb"}',
  );
});
event('an address without reports is found 0 with the source only; missing alert values and answer fields are null', () => {
  assert.equal(abuseIpdbEvent({}, '8.8.4.4', { ipAddress: '8.8.4.4', abuseConfidenceScore: 0, totalReports: 0 }), {
    abuseipdb: { found: 0, source: { alert_id: null, rule: null, description: null, full_log: null, srcip: '8.8.4.4' } },
    integration: 'custom-abuseipdb',
  });
  const sparse = abuseIpdbEvent(ALERT, '8.8.4.4', { totalReports: 2 }).abuseipdb as Record<string, unknown>;
  assert.equal([sparse['found'], sparse['abuse_confidence_score'], sparse['country_code'], sparse['last_reported_at'], sparse['total_reports']], [1, null, null, null, 2]);
});
event('the error event: status and AbuseIPDB\'s detail, in the script\'s key order', () => {
  assert.is(pythonJson(abuseIpdbErrorEvent(422, 'The ip address must be a valid IPv4 or IPv6 address.')), '{"abuseipdb": {"error": 422, "description": "The ip address must be a valid IPv4 or IPv6 address."}, "integration": "custom-abuseipdb"}');
});
event('negative answers (no reports) are told apart for the shorter cache TTL', () => {
  assert.ok(isFound({ abuseConfidenceScore: 0, totalReports: 1 }));
  assert.not.ok(isFound({ abuseConfidenceScore: 0, totalReports: 0 }));
  assert.not.ok(isFound({}));
  assert.ok(isNegative({ abuseConfidenceScore: 0, totalReports: 0 }));
  assert.ok(isNegative({}));
  assert.not.ok(isNegative({ abuseConfidenceScore: 20, totalReports: 4 }));
});
event.run();

const targets = suite('abuseIpdbTargets');
targets('public srcip and dstip in order, once each; private and non-address values reported apart', () => {
  assert.equal(abuseIpdbTargets({ data: { srcip: '1.1.1.1', dstip: '1.1.1.1' } }), { ips: ['1.1.1.1'], invalid: [] });
  assert.equal(abuseIpdbTargets({ data: { srcip: '10.1.2.3', dstip: '2606:4700:4700::1111' } }), { ips: ['2606:4700:4700::1111'], invalid: [] });
  assert.equal(abuseIpdbTargets({ data: { srcip: 'evil; rm -rf', dstip: { a: 1 } } }), { ips: [], invalid: ['evil; rm -rf', '{"a":1}'] });
  assert.equal(abuseIpdbTargets({ data: { srcip: '', dstip: null } }), { ips: [], invalid: [] });
});
targets('reads only the fields it is given', () => {
  assert.equal(abuseIpdbTargets({ data: { srcip: '1.1.1.1', win: { ip: '9.9.9.9' } } }, ['data.win.ip']).ips, ['9.9.9.9']);
});
targets.run();
