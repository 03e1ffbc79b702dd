// Specs for src/integrations/virustotal-event.ts (The events Wazuh's VirusTotal script writes back: the result of a lookup, and its error events).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { pythonJson } from '../../src/delivery/python-json.js';
import { errorEvent, giveUpEvent, resultEvent } from '../../src/integrations/virustotal-event.js';

const alert = { id: '1652272159.1549653', syscheck: { path: '/path/to/file', md5_after: '5d41402abc4b2a76b9719d911017c592', sha1_after: 'sha1_value' } };

const result = suite('resultEvent');
result('is Wazuh\'s not-found event exactly (test_request_virustotal_info_md5_after_check_ok)', () => {
  assert.is(
    pythonJson(resultEvent(alert, { found: 0 })),
    '{"virustotal": {"found": 0, "malicious": 0, "source": {"alert_id": "1652272159.1549653", "file": "/path/to/file", "md5": "5d41402abc4b2a76b9719d911017c592", "sha1": "sha1_value"}}, "integration": "virustotal"}',
  );
});
result('puts the copied details after source, in Wazuh\'s order', () => {
  const event = resultEvent(alert, { found: 1, malicious: 1, details: { sha1: 's', scan_date: 'd', positives: 2, total: 9, permalink: 'p' } });
  assert.equal(Object.keys(event.virustotal), ['found', 'malicious', 'source', 'sha1', 'scan_date', 'positives', 'total', 'permalink']);
  assert.equal(Object.keys(event), ['virustotal', 'integration']);
});
result('sends null for a missing alert id, path or sha1 (Wazuh crashes)', () => {
  assert.equal(resultEvent({ syscheck: { md5_after: 'm' } }, { found: 0 }).virustotal.source, { alert_id: null, file: null, md5: 'm', sha1: null });
});
result.run();

const giveUp = suite('giveUpEvent');
giveUp('maps the last status to Wazuh\'s error events', () => {
  assert.equal(giveUpEvent({ status: 204, reason: 'x' }), errorEvent(204, 'Error: Public API request rate limit reached'));
  assert.equal(giveUpEvent({ status: 429, reason: 'x' }), errorEvent(204, 'Error: Public API request rate limit reached'));
  assert.equal(giveUpEvent({ status: 403, reason: 'x' }), errorEvent(403, 'Error: Check credentials'));
  assert.equal(giveUpEvent({ status: 401, reason: 'x' }), errorEvent(403, 'Error: Check credentials'));
  assert.equal(giveUpEvent({ status: 500, reason: 'x' }), errorEvent(500, 'Error: API request fail'));
  assert.equal(giveUpEvent({ status: 404, reason: 'x' }), errorEvent(404, 'Error: API request fail'));
});
giveUp('sends 408 after timeouts, nothing after connection errors or an unreadable 200', () => {
  assert.equal(giveUpEvent({ reason: 'request timed out' }), errorEvent(408, 'Error: API request timed out'));
  assert.equal(giveUpEvent({ reason: 'attempt timeout after 10000 ms' }), errorEvent(408, 'Error: API request timed out'));
  assert.is(giveUpEvent({ reason: 'connection error ECONNREFUSED' }), undefined);
  assert.is(giveUpEvent({ status: 200, reason: 'not JSON' }), undefined);
});
giveUp.run();
