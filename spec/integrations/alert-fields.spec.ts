// Specs for src/integrations/alert-fields.ts (The alert fields Wazuh's webhook scripts read, with the values we use where Wazuh's script would crash).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { member, pythonText, ruleLevel, ruleMember } from '../../src/integrations/alert-fields.js';

const fields = suite('alert fields as the scripts read them');
fields('ruleLevel is the number, else 0', () => {
  assert.is(ruleLevel({ rule: { level: 10 } }), 10);
  assert.is(ruleLevel({ rule: { level: '10' } }), 0);
  assert.is(ruleLevel({}), 0);
});
fields('ruleMember and member give the raw value when present, the fallback when absent', () => {
  assert.is(ruleMember({ rule: { description: null } }, 'description', 'N/A'), null);
  assert.is(ruleMember({ rule: {} }, 'description', 'N/A'), 'N/A');
  assert.is(ruleMember({ rule: 'x' }, 'id', 'N/A'), 'N/A');
  assert.is(member({ full_log: '' }, 'full_log', null), '');
  assert.is(member({}, 'full_log', null), null);
});
fields("pythonText formats like Python's str()", () => {
  assert.equal([pythonText('a'), pythonText(1), pythonText(null), pythonText(true), pythonText([1])], ['a', '1', 'None', 'True', '[1]']);
});
fields.run();
