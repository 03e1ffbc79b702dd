// Specs for src/pipeline/block-fingerprint.ts (A comparable digest of a block's settings, to tell on reload which blocks really changed).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadConfigText } from '../../src/config/load.js';
import { Secret } from '../../src/config/secret.js';
import { blockFingerprint } from '../../src/pipeline/block-fingerprint.js';
import { compileSregex } from '../../src/match/sregex.js';
import { blockConfig } from '../helpers/block-config.js';

const fingerprint = suite('blockFingerprint');
const base = blockConfig({ name: 'custom-a', hookUrl: 'https://siem.example.com/hook/TOKEN123', apiKey: 'KEY12345' });

fingerprint('is equal for equal settings, wherever the block sits in the file (line, column)', () => {
  assert.is(blockFingerprint(base), blockFingerprint(blockConfig({ name: 'custom-a', hookUrl: 'https://siem.example.com/hook/TOKEN123', apiKey: 'KEY12345' })));
  assert.is(blockFingerprint(base), blockFingerprint({ ...base, at: { line: 40, column: 3 } }));
  const a = loadConfigText('<ossec_config><integration><name>custom-a</name><level>3</level></integration></ossec_config>').integrations[0];
  const b = loadConfigText('<ossec_config>\n\n\n  <integration>\n    <level>3</level>\n    <name>custom-a</name>\n  </integration>\n</ossec_config>').integrations[0];
  assert.ok(a && b);
  assert.is(blockFingerprint(a), blockFingerprint(b));
});

fingerprint('changes with every setting that changes behaviour, secrets and position among the blocks included', () => {
  const variants = [
    { index: 1 },
    { name: 'custom-b' },
    { hookUrl: new Secret('https://siem.example.com/hook/OTHER') },
    { apiKey: undefined },
    { alertFormat: undefined },
    { level: 3 },
    { ruleIds: [5712] },
    { group: 'sshd' },
    { eventLocation: compileSregex('auth.log') },
    { maxLog: 200 },
    { timeout: 5 },
    { retries: 0 },
    { optionsText: '{}' },
    { bodyTemplate: { text: '{"log":{{full_log}}}', file: '/etc/integratord.conf', at: { line: 3, column: 20 } } },
    { template: { text: undefined, file: '/etc/msg.mustache', at: { line: 1, column: 1 } } },
    { subjectTemplate: { text: 'Alert {{rule.id}}', file: '/etc/integratord.conf', at: { line: 3, column: 20 } } },
    { proxy: new Secret('http://proxy.corp:3128') },
    { caFile: '/etc/ca.pem' },
    { headers: { 'X-Tenant': 'soc' } },
    { noise: { dedupBy: ['rule.id'], dedupWindow: 60, groupWait: 0, groupInterval: 300 } },
  ];
  const seen = new Set([blockFingerprint(base)]);
  for (const change of variants) {
    const fp = blockFingerprint({ ...base, ...change });
    assert.not.ok(seen.has(fp), JSON.stringify(Object.keys(change)));
    seen.add(fp);
  }
});

fingerprint('is a sha256 digest that does not show the secrets it covers', () => {
  const fp = blockFingerprint(base);
  assert.match(fp, /^[0-9a-f]{64}$/);
  assert.not.match(fp, 'TOKEN123');
});

fingerprint.run();
