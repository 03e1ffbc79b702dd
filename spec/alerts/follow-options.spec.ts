// Specs for src/alerts/follow-options.ts (the follower's options and their defaults).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_MAX_LINE_BYTES, DEFAULT_POLL_MS } from '../../src/alerts/follow-options.js';
import * as follow from '../../src/alerts/follow.js';

const defaults = suite('follower defaults');
defaults('read lines up to 1 MiB (Wazuh: 64 KiB) and poll every 250 ms when fs.watch is silent', () => {
  assert.is(DEFAULT_MAX_LINE_BYTES, 1024 * 1024);
  assert.ok(DEFAULT_MAX_LINE_BYTES > 64 * 1024, 'longer lines than Wazuh accepts');
  assert.is(DEFAULT_POLL_MS, 250);
  assert.ok(DEFAULT_POLL_MS < 1000, 'a shorter idle poll than Wazuh (1 s)');
});
defaults('are re-exported by the follower module for existing imports', () => {
  assert.is(follow.DEFAULT_MAX_LINE_BYTES, DEFAULT_MAX_LINE_BYTES);
  assert.is(follow.DEFAULT_POLL_MS, DEFAULT_POLL_MS);
});
defaults.run();
