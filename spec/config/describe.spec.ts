// Specs for src/config/describe.ts (One-line, secret-free description of a block for `check`, logs and `explain`).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { describeBlock } from '../../src/config/describe.js';
import { loadConfigText } from '../../src/config/load.js';

const describe = suite('describeBlock');
describe('names the filters, what is set, the format, timeout and retries — never the secrets', () => {
  const [c] = loadConfigText(`<ossec_config><integration><name>slack</name><hook_url>https://hooks.slack.com/services/T/B/SECRET</hook_url>
    <level>10</level><group>sshd,</group><rule_id>5712</rule_id><event_location>auth</event_location><alert_format>json</alert_format><timeout>5</timeout></integration></ossec_config>`).integrations;
  const text = describeBlock(c!);
  assert.is(text, '#0 slack: event_location="auth", level>=10, group="sshd,", rule_id=5712, hook_url set, json, timeout 5s, retries 3');
  assert.not.ok(text.includes('SECRET'));
});
describe('says "every alert" when no filter is set', () => {
  const [c] = loadConfigText('<ossec_config><integration><name>custom-x</name></integration></ossec_config>').integrations;
  assert.is(describeBlock(c!), '#0 custom-x: every alert, legacy format, timeout 10s, retries 3');
});
describe.run();
