// Specs for src/integrations/lookup-options.ts (the extra fields and the negative-answer TTL of MISP and OpenCTI).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { lookupOptions, MAX_LOOKUP_FIELDS } from '../../src/integrations/lookup-options.js';

const test = suite('lookupOptions');
test('defaults: no extra field, 600 s for an answer that knows nothing', () => {
  assert.equal(lookupOptions(undefined), { fields: [], negativeTtlSeconds: 600 });
  assert.equal(lookupOptions({ fields: ['data.url', 'data.srcip'], negative_cache_ttl_seconds: 0 }), { fields: ['data.url', 'data.srcip'], negativeTtlSeconds: 0 });
});
test('refuses a non-list, a path with spaces or empty parts, too many fields, a negative TTL', () => {
  for (const fields of ['data.url', ['data..url'], ['data url'], [1], Array.from({ length: MAX_LOOKUP_FIELDS + 1 }, (_, i) => `data.f${i}`)]) {
    assert.match(('error' in (lookupOptions({ fields }) as object) ? (lookupOptions({ fields }) as { error: string }).error : ''), /options.fields must be/, JSON.stringify(fields));
  }
  assert.match((lookupOptions({ negative_cache_ttl_seconds: -1 }) as { error: string }).error, /negative_cache_ttl_seconds/);
});
test.run();
