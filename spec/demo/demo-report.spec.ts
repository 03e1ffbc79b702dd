// Specs for src/demo/demo-report.ts (The table `integratord demo` prints: what each stand-in service received, and what went back to Wazuh).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadConfigText } from '../../src/config/load.js';
import { demoTable, writeBackLines, type BlockTally } from '../../src/demo/demo-report.js';
import { demoUrls, startDemoServices, stopDemoServices, type DemoServices } from '../../src/demo/demo-services.js';
import { wazuhLocation } from '../../src/integrations/enrichment-event.js';
import { queueMessage } from '../../src/delivery/queue-message.js';

const configs = loadConfigText(`<ossec_config>
  <integration><name>slack</name><hook_url>x</hook_url></integration>
  <integration><name>pagerduty</name><api_key>k</api_key></integration>
  <integration><name>custom-a</name><hook_url>x</hook_url></integration>
  <integration><name>opsgenie</name></integration>
  <integration><name>custom-b</name><hook_url>x</hook_url></integration>
  <integration><name>shuffle</name><hook_url>x</hook_url></integration>
  <integration><name>virustotal</name><api_key>k</api_key></integration>
  <integration><name>maltiverse</name><hook_url>x</hook_url><api_key>k</api_key></integration>
</ossec_config>`).integrations;

const post = (url: string, body: unknown) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.text());
const webhookAlert = (id: string, description: string) => ({ id, rule: { id, description } });
/** Cells of a table row (columns are separated by at least two spaces). */
const cells = (row: string | undefined) => (row ?? '').split(/ {2,}/);

const table = suite('demoTable');
let services: DemoServices;
table.before(async () => {
  services = await startDemoServices();
  const urls = demoUrls(services);
  const slack = (color: string, title: string) => post(`${urls.slack}/services/T/B/x`, { attachments: [{ color, title }] });
  await slack('danger', 'sshd: brute force trying to get access to the system');
  await slack('good', 'short');
  await slack('warning', 'third');
  await slack('good', 'fourth, not shown');
  await post(`${urls.pagerduty}/v2/enqueue`, { routing_key: 'k', event_action: 'trigger', payload: { summary: 'login failed', source: 'h', severity: 'warning' } });
  await post(`${urls.webhook}/custom-a`, webhookAlert('31103', 'SQL injection attempt.'));
  await post(`${urls.webhook}/custom-b`, webhookAlert('31105', 'XSS (Cross Site Scripting) attempt, with a long description'));
  await post(`${urls.webhook}/custom-b`, webhookAlert('31106', 'other'));
  await fetch(`${urls.virustotal}/vtapi/v2/file/report?apikey=k&resource=44d88612fea8a8f36de82e1278abb02f`).then((r) => r.text());
  await fetch(`${urls.maltiverse}/ip/77.53.9.158`).then((r) => r.text());
});
table.after(() => stopDemoServices(services));

table('prints one row per block of a known service with its requests, tally and the first three requests in words', () => {
  const tallies = new Map<number, BlockTally>([
    [0, { delivered: 4, skipped: 12, suppressed: 2, deadLettered: 0 }],
    [4, { delivered: 1, skipped: 16, suppressed: 0, deadLettered: 1 }],
  ]);
  const rows = demoTable(configs, services, tallies);
  assert.equal(cells(rows[0]), ['block', 'service', 'requests', 'delivered', 'skipped', 'suppressed', 'dead', 'what the service received (first 3)']);
  assert.equal(
    rows.slice(1).map((r) => cells(r).slice(0, 7).join(' ')),
    ['#0 slack 4 4 12 2 0', '#1 pagerduty 1 0 0 0 0', '#2 custom-a 1 0 0 0 0', '#4 custom-b 2 1 16 0 1', '#5 shuffle 0 0 0 0 0', '#6 virustotal 1 0 0 0 0', '#7 maltiverse 1 0 0 0 0'],
    'opsgenie (#3) has no stand-in: no row',
  );
  const what = rows.slice(1).map((r) => cells(r)[7]);
  assert.equal(what, [
    'danger "sshd: brute force trying to get access …"; good "short"; warning "third"',
    'warning "login failed"',
    'rule 31103 "SQL injection attempt."',
    'rule 31105 "XSS (Cross Site Scripting) attempt,…"; rule 31106 "other"',
    '-',
    'lookup 44d88612fea…',
    'lookup /ip/77.53.9.158',
  ]);
  const widths = rows.map((r) => r.indexOf(cells(r)[7] ?? ''));
  assert.is(new Set(widths).size, 1, 'columns are aligned');
});

table.run();

const writeBacks = suite('writeBackLines');

writeBacks('says what analysisd would file: location, then VirusTotal found/malicious or error, or the Maltiverse indicator', () => {
  const agent = { agent: { id: '001', name: 'web:01', ip: '10.0.0.1' } };
  const lines = writeBackLines([
    queueMessage(wazuhLocation(agent, 'virustotal'), { virustotal: { found: 1, malicious: 1, positives: 66, total: 68 }, integration: 'virustotal' }),
    queueMessage(wazuhLocation(undefined, 'virustotal'), { virustotal: { found: 0, malicious: 0 }, integration: 'virustotal' }),
    queueMessage('virustotal', { virustotal: { error: 403, description: 'Error: Check credentials' }, integration: 'virustotal' }),
    queueMessage('maltiverse', { integration: 'maltiverse', threat: { indicator: { type: 'ipv4-addr', name: '77.53.9.158', confidence: 'High' } } }),
    `not a datagram ${'x'.repeat(100)}`,
  ]);
  assert.equal(lines.slice(0, 4), [
    '  [001] (web:01) 10.0.0.1->virustotal → found 1, malicious 1 (66/68 engines)',
    '  virustotal → found 0, malicious 0',
    '  virustotal → error 403: Error: Check credentials',
    '  maltiverse → ipv4-addr 77.53.9.158, confidence High',
  ]);
  assert.match(lines[4] ?? '', /^ {2}\(unreadable\) not a datagram x+…$/);
  assert.is((lines[4] ?? '').length, '  (unreadable) '.length + 80);
});

writeBacks('says which address AbuseIPDB checked, whether it was found, its score and reports', () => {
  const event = { abuseipdb: { found: 1, source: { alert_id: '1', rule: '5712', srcip: '2001:db8::7' }, abuse_confidence_score: 64, total_reports: 12 }, integration: 'custom-abuseipdb' };
  const clean = { abuseipdb: { found: 0, source: { alert_id: '2', rule: '5712', srcip: '8.8.4.4' } }, integration: 'custom-abuseipdb' };
  const error = { abuseipdb: { error: 401, description: 'Authentication failed.' }, integration: 'custom-abuseipdb' };
  assert.equal(writeBackLines([queueMessage(wazuhLocation({ agent: { id: '009', name: 'v6', ip: 'fd00::9' } }, 'abuseipdb'), event), queueMessage('abuseipdb', clean), queueMessage('abuseipdb', error)]), [
    '  [009] (v6) fd00::9->abuseipdb → 2001:db8::7 found 1, abuse confidence 64, 12 reports',
    '  abuseipdb → 8.8.4.4 found 0',
    '  abuseipdb → error 401: Authentication failed.',
  ]);
});

writeBacks('a MISP event as its threat, matched keys and events (or the error and its keys); an OpenCTI event as its type and value', () => {
  const misp = { ioc: { sha1: 'a', md5: 'b' }, result_flags: { sha1_misp: true, md5_misp: false }, misp_response: { sha1: { event_id: '1542' }, md5: {} }, integration: 'misp', threat: 'MISP match' };
  const error = { misp_error_response: { sha1: { status: 403 }, md5: { status: 403 } }, integration: 'misp', threat: 'MISP error' };
  const cti = { integration: 'opencti', opencti: { event_type: 'indicator_pattern_match', indicator: { name: '185.220.101.47' } } };
  assert.equal(writeBackLines([queueMessage('misp', misp, true), queueMessage('misp', error, true), queueMessage('[003] (w) 10.0.0.3->opencti', cti)]), [
    '  misp → MISP match: sha1 (event 1542)',
    '  misp → MISP error 403: sha1, md5',
    '  [003] (w) 10.0.0.3->opencti → indicator_pattern_match 185.220.101.47',
  ]);
});
writeBacks.run();
