// Specs for src/alerts/test-alert.ts (send-test's synthetic alert, also what templates are rendered on at startup).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { field } from '../../src/alerts/alert.js';
import { testAlert } from '../../src/alerts/test-alert.js';
import { INTEGRATIONS } from '../../src/integrations/registry.js';
import { startupCheck } from '../../src/pipeline/startup-check.js';
import { wazuhPaths } from '../../src/wazuh-home.js';
import { blockConfig } from '../helpers/block-config.js';
import { quietDuring } from '../helpers/capture-log.js';

const alert = suite('testAlert');
quietDuring(alert);
alert("has analysisd's shape: local timestamp with offset, <epoch>.<n> id, level 12, rule 100999", () => {
  const now = new Date('2026-11-28T01:02:03.456Z');
  const a = testAlert(now);
  assert.match(String(a['timestamp']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d{4}$/);
  assert.is(Date.parse(String(a['timestamp']).replace(/([+-]\d\d)(\d\d)$/, '$1:$2')), now.getTime(), 'the same instant');
  assert.is(a['id'], `${Math.floor(now.getTime() / 1000)}.456`);
  assert.is(field(a, 'rule', 'level'), 12);
  assert.is(field(a, 'rule', 'id'), '100999');
});
/** What email and jira need beyond hook_url and api_key to be enabled. */
const NEEDS: Readonly<Record<string, Parameters<typeof blockConfig>[0]>> = {
  telegram: { options: { chat_id: 42 } },
  email: { hookUrl: 'smtp://127.0.0.1:9', options: { from: 'wazuh@example.com', to: 'soc@example.com' } },
  jira: { apiKey: 'soc@example.com:kkkkkkkk', options: { project: 'SEC', issue_type: 'Task' } },
};
alert("passes every integration's own pre-filter (VirusTotal's md5, Maltiverse's public IP, Shuffle's skip list)", () => {
  const a = testAlert();
  for (const integration of INTEGRATIONS) {
    const name = integration.name.endsWith('-') ? `${integration.name}x` : integration.name;
    const started = startupCheck(blockConfig({ name, hookUrl: 'http://127.0.0.1:9/h', apiKey: 'k'.repeat(8), ...NEEDS[name] }), wazuhPaths('/nonexistent'));
    assert.ok(started.enabled, name);
    if (started.enabled) {
      assert.is(started.block.skip?.(a), undefined, name);
      assert.ok(started.block.plan(a).length > 0, `${name} sends something`);
    }
  }
});
alert.run();
