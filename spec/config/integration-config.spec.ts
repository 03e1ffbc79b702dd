// Specs for src/config/integration-config.ts (The decoded, immutable settings of one <integration> block).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { attemptTimeoutMs, INTEGRATION_TAGS } from '../../src/config/integration-config.js';

const timeout = suite('attemptTimeoutMs');
timeout('converts timeout seconds to ms', () => {
  assert.is(attemptTimeoutMs({ timeout: 10 }), 10_000);
});
timeout('uses at least 1 s: timeout 0 would fail every attempt', () => {
  assert.is(attemptTimeoutMs({ timeout: 0 }), 1000);
});
timeout.run();

const tags = suite('INTEGRATION_TAGS');
tags('lists exactly the twelve tags Wazuh documents', () => {
  assert.equal([...INTEGRATION_TAGS].sort(), ['alert_format', 'api_key', 'event_location', 'group', 'hook_url', 'level', 'max_log', 'name', 'options', 'retries', 'rule_id', 'timeout']);
});
tags.run();
