// Specs for src/integrations/template-fields.ts (template names no Wazuh alert has: warned, located, with a did-you-mean).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { templateFieldWarnings } from '../../src/integrations/template-fields.js';
import { blockConfig } from '../helpers/block-config.js';

const at = { line: 3, column: 15 };
const warnings = (text: string) => templateFieldWarnings(blockConfig({ name: 'slack', template: { text, file: '/etc/integratord.conf', at } }), ['template']);

const fields = suite('templateFieldWarnings');
fields('a misspelt field: located in the template, what it does, the field meant', () => {
  assert.equal(warnings('[{{severity}}] {{rule.descripton}} on {{agent.name}}'), [
    "<template> at /etc/integratord.conf:3:30: 'rule.descripton' is not a field Wazuh writes in alerts (nor in the sample alert): it renders empty; did you mean 'rule.description'?",
  ]);
});
fields('known fields, helpers, members on the way to a field, truncate sections and module fields are not warned', () => {
  assert.equal(warnings('{{#truncate.80}}{{full_log}}{{/truncate.80}} {{#rule.groups}}{{.}} {{/rule.groups}} {{#json}}data.win{{/json}} {{data.win.system.eventID}} {{{rule}}}'), []);
  assert.equal(warnings('{{#truncate}}{{agnt.name}}{{/truncate}}').length, 1, 'inside truncate the alert is still the context');
});
fields('a block without the template warns nothing; a template that does not compile is left to compileTemplate', () => {
  assert.equal(templateFieldWarnings(blockConfig({ name: 'slack' }), ['template']), []);
  assert.equal(warnings('{{#x}}'), []);
});
fields.run();
