// Specs for src/config/warn-key-fields.ts (a <dedup_by>/<group_by> field Wazuh never writes is warned, located, with a did-you-mean).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadConfigText } from '../../src/config/load.js';

const diagnostics = (inner: string) =>
  loadConfigText(`<ossec_config>\n<integration><name>custom-x</name><hook_url>h</hook_url>\n${inner}</integration></ossec_config>`, 'integratord.conf').diagnostics.filter((d) => d.severity === 'warning');

const fields = suite('warnKeyFields');
fields('a typo in a dedup_by field: located at the tag, what it does, and the field meant', () => {
  const [d, ...more] = diagnostics('<dedup_by>data.scrip</dedup_by>');
  assert.equal(more, []);
  assert.equal(d?.at, { line: 3, column: 1 });
  assert.match(d?.message ?? '', "<dedup_by> field 'data.scrip' is not a field Wazuh writes");
  assert.match(d?.message ?? '', 'all are suppressed');
  assert.match(d?.message ?? '', "did you mean 'data.srcip'?");
});
fields('group_by fields: each unknown one warned; known ones, and fields below a module prefix, are not', () => {
  const messages = diagnostics('<group_by>rule.id,agent.nmae,data.win.system.eventID,data.srcip</group_by>').map((d) => d.message);
  assert.is(messages.length, 1);
  assert.match(messages[0] ?? '', "'agent.nmae'");
  assert.match(messages[0] ?? '', "did you mean 'agent.name'?");
});
fields('a field far from any known one is warned without a suggestion; a block without noise control is never checked', () => {
  assert.not.match(diagnostics('<dedup_by>site.custom_field</dedup_by>')[0]?.message ?? 'none', 'did you mean');
  assert.equal(diagnostics(''), []);
});
fields.run();
