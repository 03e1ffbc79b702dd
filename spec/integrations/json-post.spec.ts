// Specs for src/integrations/json-post.ts (The HTTP step Wazuh's webhook scripts send: a JSON POST with their two headers).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { hookUrlProblem, jsonPost, WAZUH_SCRIPT_HEADERS } from '../../src/integrations/json-post.js';

const post = suite('jsonPost');
post("builds a POST with the scripts' two headers and drops empty secrets", () => {
  const step = jsonPost('https://x/y', { a: 1 }, ['s3cret', '']);
  assert.equal(step.request, { method: 'POST', url: 'https://x/y', headers: WAZUH_SCRIPT_HEADERS, body: '{"a":1}' });
  assert.equal(step.secrets, ['s3cret']);
  assert.is(step.classify({ status: 200, headers: {}, body: 'ok' }).kind, 'delivered');
});
post.run();

const hook = suite('hookUrlProblem');
hook('accepts http and https URLs, explains anything else without quoting it', () => {
  assert.is(hookUrlProblem('https://hooks.slack.com/services/a'), undefined);
  assert.is(hookUrlProblem('http://127.0.0.1:3001/api/v1/hooks/x'), undefined);
  assert.is(hookUrlProblem('hooks.slack.com/TOKEN'), 'hook_url is not a valid URL');
  assert.is(hookUrlProblem('ftp://x/TOKEN'), 'hook_url must be http or https, not ftp:');
});
hook.run();
