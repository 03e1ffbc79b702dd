// Specs for src/config/secret.ts (A secret value (api_key, hook_url) whose string, JSON and inspect forms never show it).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { format, inspect } from 'node:util';
import { REDACTED, Secret } from '../../src/config/secret.js';

const secret = suite('Secret');
const s = new Secret('xoxb-very-secret');
secret('reveal() gives the value', () => {
  assert.is(s.reveal(), 'xoxb-very-secret');
});
secret('string, template, JSON and inspect forms are redacted', () => {
  assert.is(String(s), REDACTED);
  assert.is(`${s}`, REDACTED);
  assert.is(JSON.stringify({ s }), `{"s":"${REDACTED}"}`);
  assert.is(inspect({ s }), `{ s: ${REDACTED} }`);
  assert.is(format('%s %o %j', s, s, s).includes('very-secret'), false);
  assert.is(s + '', REDACTED);
});
secret('an empty secret is still set but reports isEmpty', () => {
  assert.ok(new Secret('').isEmpty);
  assert.not.ok(s.isEmpty);
});
secret.run();
