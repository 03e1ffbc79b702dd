// Specs for src/config/warnings.ts (Warnings where Wazuh silently does something surprising with a valid <integration> block).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadConfigText } from '../../src/config/load.js';

const warnings = (inner: string, name = 'custom-x') =>
  loadConfigText(`<ossec_config><integration><name>${name}</name>${inner}</integration></ossec_config>`).diagnostics
    .filter((d) => d.severity === 'warning')
    .map((d) => d.message);

const warn = suite('warnIntegration');
warn('is silent on a clean block', () => {
  assert.equal(warnings('<level>10</level><group>sshd,web</group><rule_id>5712</rule_id>'), []);
  assert.equal(warnings('<hook_url>h</hook_url><alert_format>json</alert_format>', 'slack'), []);
});
warn('warns about a level above 16', () => {
  assert.match(warnings('<level>17</level>')[0] ?? '', 'level 17 is above 16');
});
warn('warns about rule_id text Wazuh ignores, and about no id at all', () => {
  assert.match(warnings('<rule_id>5712;5710</rule_id>')[0] ?? '', "(';5710'); ids used: 5712");
  assert.match(warnings('<rule_id>abc</rule_id>')[0] ?? '', 'no rule id could be read');
  assert.match(warnings('<rule_id>4294967295</rule_id>')[0] ?? '', 'never matches');
});
warn('warns that <rule_id>0</rule_id> never matches', () => {
  assert.ok(warnings('<rule_id>0</rule_id>').some((m) => m.includes('never matches')));
});
warn('leaves the alert_format warning of JSON-only integrations to the startup decision (integrations are not known here)', () => {
  assert.equal(warnings('<hook_url>h</hook_url>', 'slack'), []);
});
warn('warns about spaces after commas in a group list and about an empty group', () => {
  assert.match(warnings('<group>web, attack</group>')[0] ?? '', 'write <group>web,attack</group>');
  assert.match(warnings('<group></group>')[0] ?? '', 'an empty <group> never matches');
  assert.equal(warnings('<group>syscheck,</group>'), []);
});
warn('warns about an empty event_location and about ! alone', () => {
  assert.match(warnings('<event_location></event_location>')[0] ?? '', 'matches every alert that has a location');
  assert.match(warnings('<event_location>!</event_location>')[0] ?? '', 'never matches');
});
warn('warns about timeout 0, duplicated tags and spaces around names and secrets', () => {
  assert.match(warnings('<timeout>0</timeout>')[0] ?? '', 'integratord uses 1 second');
  assert.match(warnings('<level>1</level><level>2</level>')[0] ?? '', '<level> appears more than once');
  assert.match(warnings('', ' custom-y')[0] ?? '', '<name> has spaces around it');
  const w = warnings('<api_key> secret-value </api_key>');
  assert.match(w[0] ?? '', '<api_key> has spaces');
  assert.not.ok(w.join().includes('secret-value'));
});
warn.run();

const ourTags = suite('warnIntegration: integratord tags in a file named ossec.conf');
ourTags('each tag of ours in ossec.conf is warned (Wazuh refuses it); the same block in integratord.conf is not', () => {
  const block = '<ossec_config><integration><name>slack</name><hook_url>h</hook_url><alert_format>json</alert_format><template>{{rule.id}}</template><headers>{"X-A":"b"}</headers></integration></ossec_config>';
  const inOssec = loadConfigText(block, '/var/ossec/etc/ossec.conf').diagnostics.filter((d) => d.severity === 'warning').map((d) => d.message);
  assert.equal(inOssec, [
    "<template> is integratord's, not Wazuh's: Wazuh refuses a block with it (1230); move the block to integratord.conf",
    "<headers> is integratord's, not Wazuh's: Wazuh refuses a block with it (1230); move the block to integratord.conf",
  ]);
  assert.equal(loadConfigText(block, '/var/ossec/etc/integratord.conf').diagnostics, []);
});
ourTags('the noise control tags in ossec.conf are warned too', () => {
  const block = '<ossec_config><integration><name>slack</name><hook_url>h</hook_url><alert_format>json</alert_format><group_by>rule.id</group_by><max_per_hour>5</max_per_hour></integration></ossec_config>';
  const inOssec = loadConfigText(block, '/var/ossec/etc/ossec.conf').diagnostics.filter((d) => d.severity === 'warning').map((d) => d.message);
  assert.equal(inOssec, [
    "<group_by> is integratord's, not Wazuh's: Wazuh refuses a block with it (1230); move the block to integratord.conf",
    "<max_per_hour> is integratord's, not Wazuh's: Wazuh refuses a block with it (1230); move the block to integratord.conf",
  ]);
  assert.equal(loadConfigText(block, '/var/ossec/etc/integratord.conf').diagnostics, []);
});
ourTags.run();
