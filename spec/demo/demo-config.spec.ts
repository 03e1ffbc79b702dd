// Specs for src/demo/demo-config.ts (Rewrites the sample ossec.conf so that every block points at a local stand-in service).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfigText } from '../../src/config/load.js';
import { demoConfig, type DemoUrls } from '../../src/demo/demo-config.js';
import { SAMPLES_DIR } from '../../src/demo/run-demo.js';

const URLS: DemoUrls = {
  slack: 'http://127.0.0.1:1001',
  pagerduty: 'http://127.0.0.1:1002',
  shuffle: 'http://127.0.0.1:1003',
  virustotal: 'http://127.0.0.1:1004',
  maltiverse: 'http://127.0.0.1:1005',
  webhook: 'http://127.0.0.1:1006',
};
const hooks = (text: string) => loadConfigText(text).integrations.map((c) => `${c.name} ${c.hookUrl?.reveal() ?? '-'}`);

const rewrite = suite('demoConfig');

rewrite("replaces each block's hook_url with its stand-in's, and adds one after <name> where there is none", () => {
  const text = demoConfig(
    `<ossec_config>
  <integration><name>slack</name><hook_url>https://hooks.slack.com/services/A/B/C</hook_url></integration>
  <integration><name>pagerduty</name><api_key>k</api_key></integration>
  <integration><name>shuffle</name><hook_url>https://shuffler.io/api/v1/hooks/x</hook_url></integration>
  <integration><name>virustotal</name><api_key>k</api_key></integration>
  <integration><name>maltiverse</name><hook_url>https://api.maltiverse.com</hook_url><api_key>k</api_key></integration>
  <integration><name>custom-siem</name><hook_url>https://siem.example.com/in</hook_url></integration>
</ossec_config>`,
    URLS,
  );
  assert.equal(hooks(text), [
    'slack http://127.0.0.1:1001/services/T00000000/B00000000/DEMO',
    'pagerduty http://127.0.0.1:1002/v2/enqueue',
    'shuffle http://127.0.0.1:1003/api/v1/hooks/webhook_demo',
    'virustotal http://127.0.0.1:1004',
    'maltiverse http://127.0.0.1:1005',
    'custom-siem http://127.0.0.1:1006/custom-siem',
  ]);
  assert.match(text, '<name>pagerduty</name>\n    <hook_url>http://127.0.0.1:1002/v2/enqueue</hook_url><api_key>k</api_key>');
});

rewrite('leaves blocks of unknown integrations and everything outside <integration> as they are', () => {
  const source = '<ossec_config>\n  <global><email_to>x@example.com</email_to></global>\n  <integration><name>opsgenie</name><hook_url>https://opsgenie.example.com/x</hook_url></integration>\n</ossec_config>';
  assert.is(demoConfig(source, URLS), source);
});

rewrite('keeps the sample valid: same blocks, filters and keys, only hook_urls now on 127.0.0.1', () => {
  const sample = readFileSync(join(SAMPLES_DIR, 'ossec.conf'), 'utf8');
  const before = loadConfigText(sample);
  const after = loadConfigText(demoConfig(sample, URLS));
  assert.ok(after.ok, JSON.stringify(after.diagnostics));
  assert.is(after.integrations.length, before.integrations.length);
  const settings = (c: (typeof before.integrations)[number]) => [c.name, c.level, c.group, c.ruleIds, c.apiKey?.reveal(), c.optionsText];
  assert.equal(after.integrations.map(settings), before.integrations.map(settings));
  for (const c of after.integrations) assert.match(c.hookUrl?.reveal() ?? '', /^http:\/\/127\.0\.0\.1:100\d/, c.name);
});

rewrite.run();
