// Specs for src/cli/demo.ts (`integratord demo` (what `npm start` runs): the main job end to end, without any account).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { main } from '../../src/cli/cli.js';
import { captureIo } from '../helpers/capture-io.js';

/** samples/ossec.conf's blocks, then samples/integratord.conf's (integratord's own names). */
const SERVICES = ['slack', 'pagerduty', 'shuffle', 'virustotal', 'maltiverse', 'custom-webhook', 'teams', 'telegram', 'discord', 'email', 'thehive', 'jira', 'abuseipdb', 'custom-digest', 'misp', 'opencti'];

const demo = suite('integratord demo');

demo('exits 0 and prints a table naming every service, the write-backs and the totals; the log stays quiet', async () => {
  const io = captureIo();
  assert.is(await main(['demo'], io), 0, io.err());
  const out = io.out();
  const rows = out.split('\n').filter((l) => /^#\d+\s/.test(l));
  assert.equal(rows.map((r) => r.split(/\s+/)[1]), SERVICES);
  for (const row of rows) {
    const [, , requests, delivered, skipped, suppressed, dead] = row.split(/\s+/);
    assert.ok(Number(requests) > 0 && Number(delivered) > 0, `every service got something: ${row}`);
    assert.is(dead, '0', row);
    assert.is(Number(delivered) + Number(skipped) + Number(suppressed) + Number(dead), 18, `the columns add up to the 18 alerts: ${row}`);
  }
  assert.match(out, /^Written back to Wazuh \(datagrams on a real queue socket\): [1-9]\d* enrichment events?$/m);
  assert.match(out, /^ {2}\[\d{3}\] \(.*\) .*->virustotal → found 1, malicious \d/m);
  assert.match(out, /^ {2}\[\d{3}\] \(.*\) .*->maltiverse → domain-name \S+, confidence High$/m);
  assert.match(out, /^ {2}\[002\] \(bastion-01\) 10\.0\.0\.12->abuseipdb → 77\.53\.9\.158 found 1, abuse confidence 87, 41 reports$/m);
  assert.match(out, /^ {2}\[001\] \(web-01\) 10\.0\.0\.11->misp → MISP match: sha1, sha256 \(event 1542\)$/m);
  assert.match(out, /^ {2}\[001\] \(web-01\) 10\.0\.0\.11->opencti → observable_with_indicator 275a021bbfb6489e54d4718…$/m);
  assert.match(out, /^\d+ deliveries, 0 dead-lettered\. Nothing left this machine/m);
  assert.is(io.err(), '', 'no warning or error');
});

demo("with -d the pipeline's log goes to stderr (Wazuh's Skipping lines)", async () => {
  const io = captureIo();
  assert.is(await main(['demo', '-d'], io), 0);
  assert.match(io.err(), /integratord: DEBUG: Skipping: Alert level is too low/);
  assert.match(io.err(), "integratord: INFO: Enabling integration for: 'slack'.");
  assert.match(io.out(), /^#0\s+slack/m);
});

demo('prints help with exit 0 and refuses unknown options with exit 2', async () => {
  const help = captureIo();
  assert.is(await main(['demo', '--help'], help), 0);
  assert.match(help.out(), 'Usage: integratord demo [-d]');
  const bad = captureIo();
  assert.is(await main(['demo', '--home', '/x'], bad), 2);
});

demo.run();
