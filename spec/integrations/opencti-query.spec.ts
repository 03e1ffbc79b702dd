// Specs for src/integrations/opencti-query.ts (the one GraphQL request per lookup).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { OPENCTI_QUERY, openCtiRequestBody } from '../../src/integrations/opencti-query.js';

const test = suite('opencti query');
test('FilterGroup variables: observables by key and values (or), STIX indicators by pattern (and pattern_type stix)', () => {
  const body = JSON.parse(openCtiRequestBody({ key: 'value', values: ["x'}) { id } #", '1.1.1.1'], patterns: ["[domain-name:value = 'x']"] })) as { query: string; variables: unknown };
  assert.is(body.query, OPENCTI_QUERY);
  assert.not.ok(body.query.includes("x'}"), 'alert values travel only as variables');
  assert.equal(body.variables, {
    obs: { mode: 'or', filterGroups: [], filters: [{ key: 'value', values: ["x'}) { id } #", '1.1.1.1'] }] },
    ind: { mode: 'and', filterGroups: [], filters: [{ key: 'pattern_type', values: ['stix'] }, { mode: 'or', key: 'pattern', values: ["[domain-name:value = 'x']"] }] },
  });
});
test('the query asks for what the events carry: indicator name/pattern/score, observable value, relationships, pages of 10', () => {
  for (const f of ['query IoCs($obs: FilterGroup, $ind: FilterGroup)', 'indicators(filters: $ind, first: 10)', 'stixCyberObservables(filters: $obs, first: 10)', 'x_opencti_detection', 'observable_value', 'related: to', 'related: from', 'kill_chain_name']) {
    assert.ok(OPENCTI_QUERY.includes(f), f);
  }
  const opens = OPENCTI_QUERY.split('{').length;
  assert.is(opens, OPENCTI_QUERY.split('}').length, 'braces balance');
});
test.run();
