// Specs for src/match/explain-skip.ts (Says in words why a block's filter rejected an alert: the field's value against the setting).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { compileFilter, type FilterConfig } from '../../src/match/compile.js';
import { explainSkip } from '../../src/match/explain-skip.js';
import { compileSregex } from '../../src/match/sregex.js';

const none: FilterConfig = { level: 0, ruleIds: undefined, group: undefined, eventLocation: undefined };
const why = (f: Partial<FilterConfig>, alert: unknown) => {
  const config = { ...none, ...f };
  const reason = compileFilter(config)(alert);
  assert.ok(reason, 'the filter rejects the alert');
  return explainSkip(config, alert, reason!);
};

const explain = suite('explainSkip');
explain("starts with Wazuh's Skipping line and shows the deciding values", () => {
  assert.is(why({ level: 10 }, { rule: { level: 5 } }), 'Skipping: Alert level is too low (rule.level 5 < level 10)');
  assert.is(why({ level: 10 }, { rule: {} }), 'Skipping: Alert has no rule.level (level is set). (rule.level is missing (analysisd omits level 0); level 10)');
  assert.is(why({ group: 'sshd,web' }, { rule: { groups: ['syslog'] } }), `Skipping: Group doesn't match. (rule.groups ["syslog"] has none of ["sshd","web"] (exact, case-sensitive))`);
  assert.is(why({ ruleIds: [5710] }, { rule: { id: '5712' } }), `Skipping: Rule doesn't match. (rule.id "5712" is not one of 5710)`);
  assert.is(why({ ruleIds: [0] }, { rule: { id: '0' } }), `Skipping: Rule doesn't match. (rule.id "0" is not one of (none: <rule_id>0</rule_id> never matches))`);
  assert.is(why({ ruleIds: [1] }, { rule: { id: 1 } }), 'Skipping: Alert does not containg rule id. (rule.id is 1)');
  assert.is(why({ eventLocation: compileSregex('^/var') }, { rule: {}, location: 'syscheck' }), `Skipping: Location doesn't match (location "syscheck" against event_location "^/var")`);
  assert.is(why({}, { location: 'x' }), 'Skipping: Alert does not contain a rule block. (rule is missing)');
});
explain.run();
