// Specs for src/delivery/path-segment.ts (one URL path segment built from alert content: reserved characters escaped, dot segments kept literal).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { pathSegment } from '../../src/delivery/path-segment.js';

const segment = suite('pathSegment');
segment('writes the dot segments . and .. percent-encoded, so URL resolution cannot remove them', () => {
  assert.is(pathSegment('..'), '%2E%2E');
  assert.is(pathSegment('.'), '%2E');
});
segment('escapes reserved characters and keeps colons (IPv6 addresses), as before', () => {
  assert.is(pathSegment('2001:db8::1'), '2001:db8::1');
  assert.is(pathSegment('a/b?c#d e'), 'a%2Fb%3Fc%23d%20e');
  assert.is(pathSegment('../etc'), '..%2Fetc');
  assert.is(pathSegment('...'), '...');
  assert.is(pathSegment('paypal.com-information-update-activity-account.gq'), 'paypal.com-information-update-activity-account.gq');
});
segment.run();
