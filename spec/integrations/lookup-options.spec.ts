// Specs for src/integrations/lookup-options.ts (`options.fields` of AbuseIPDB and MISP).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { lookupFields, MAX_LOOKUP_FIELDS } from '../../src/integrations/lookup-options.js';

const test = suite('lookupFields');
test('the fallback when absent, the list as given otherwise', () => {
  assert.equal(lookupFields(undefined), { fields: [] });
  assert.equal(lookupFields({}, ['data.srcip']), { fields: ['data.srcip'] });
  assert.equal(lookupFields({ fields: ['data.url', 'data.srcip'] }, ['data.srcip']), { fields: ['data.url', 'data.srcip'] });
});
test('refuses a non-list, a path with spaces or empty parts, a non-string, too many fields', () => {
  for (const fields of ['data.url', ['data..url'], ['data url'], [1], Array.from({ length: MAX_LOOKUP_FIELDS + 1 }, (_, i) => `data.f${i}`)]) {
    const result = lookupFields({ fields });
    assert.ok('error' in result && /options.fields must be/.test(result.error), JSON.stringify(fields));
  }
});
test('an empty list is refused only where it must not be empty', () => {
  assert.equal(lookupFields({ fields: [] }), { fields: [] });
  const refused = lookupFields({ fields: [] }, ['data.srcip'], true);
  assert.ok('error' in refused && /non-empty list/.test(refused.error));
});
test.run();
