// Specs for src/integrations/registry.ts (The list of integrations: the only place one is added (a name, or a prefix ending in `-`)).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { integrationFor, INTEGRATIONS } from '../../src/integrations/registry.js';

const registry = suite('integrationFor');
registry('finds built-ins by exact name', () => {
  for (const name of ['slack', 'pagerduty', 'shuffle']) assert.is(integrationFor(name)?.name, name);
  assert.is(integrationFor('Slack'), undefined, 'names are case-sensitive, as in Wazuh');
  assert.is(integrationFor('slack2'), undefined);
});
registry('maps every custom- name to the custom integration', () => {
  assert.is(integrationFor('custom-misp.py')?.name, 'custom-');
  assert.is(integrationFor('custom-')?.name, 'custom-');
  assert.is(integrationFor('customer'), undefined);
});
registry('lists each integration once', () => {
  const names = INTEGRATIONS.map((i) => i.name);
  assert.is(new Set(names).size, names.length);
});
registry.run();
