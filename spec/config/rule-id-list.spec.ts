// Specs for src/config/rule-id-list.ts (Wazuh's lenient <rule_id> parser: numbers separated by commas, the rest silently ignored).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseRuleIdList } from '../../src/config/rule-id-list.js';

const parse = suite('parseRuleIdList');
parse('reads a comma list with spaces', () => {
  assert.equal(parseRuleIdList('5712, 5710 ,5716'), { ids: [5712, 5710, 5716], ignored: undefined });
});
parse('ignores what follows a number up to the next comma', () => {
  const r = parseRuleIdList('5712abc,5716');
  assert.equal(r.ids, [5712, 5716]);
  assert.is(r.ignored, 'abc');
});
parse('stops at any other character where a number is expected', () => {
  assert.equal(parseRuleIdList('5712;5710').ids, [5712]);
  assert.equal(parseRuleIdList('abc').ids, []);
  assert.equal(parseRuleIdList('5712,x,5710').ids, [5712]);
});
parse('skips repeated commas', () => {
  assert.equal(parseRuleIdList(',,5712,,,5710,').ids, [5712, 5710]);
});
parse('keeps 0 (an active filter that never matches)', () => {
  assert.equal(parseRuleIdList('0').ids, [0]);
});
parse('does not skip tabs or newlines (Wazuh skips only spaces)', () => {
  assert.equal(parseRuleIdList('\t5712').ids, []);
  assert.equal(parseRuleIdList('5712,\n5710').ids, [5712]);
});
parse('reports nothing ignored for an empty text', () => {
  assert.equal(parseRuleIdList(''), { ids: [], ignored: undefined });
});
parse.run();
