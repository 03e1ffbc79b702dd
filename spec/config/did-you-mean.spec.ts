// Specs for src/config/did-you-mean.ts (Suggests the closest known name for a misspelt element (edit distance)).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { didYouMean } from '../../src/config/did-you-mean.js';
import { INTEGRATION_TAGS } from '../../src/config/integration-config.js';

const suggest = suite('didYouMean');
suggest('suggests the tag a typo was meant to be', () => {
  assert.is(didYouMean('levl', INTEGRATION_TAGS), 'level');
  assert.is(didYouMean('hookurl', INTEGRATION_TAGS), 'hook_url');
  assert.is(didYouMean('apikey', INTEGRATION_TAGS), 'api_key');
  assert.is(didYouMean('rule_ids', INTEGRATION_TAGS), 'rule_id');
  assert.is(didYouMean('Name', INTEGRATION_TAGS), 'name');
  assert.is(didYouMean('groups', INTEGRATION_TAGS), 'group');
});
suggest('suggests nothing for an unrelated name', () => {
  assert.is(didYouMean('colour', INTEGRATION_TAGS), undefined);
  assert.is(didYouMean('x', INTEGRATION_TAGS), undefined);
});
suggest.run();
