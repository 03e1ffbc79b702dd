// Specs for src/config/block-identity.ts (The identity of an <integration> block: what it delivers to (name + destination), not where it sits in the file).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { blockIdBase, fileSafeName, identifyBlocks } from '../../src/config/block-identity.js';
import { loadConfigText } from '../../src/config/load.js';
import { Secret } from '../../src/config/secret.js';
import { blockConfig } from '../helpers/block-config.js';

const sha8 = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 8);
const ids = (...blocks: string[]) =>
  loadConfigText(`<ossec_config>${blocks.map((b) => `<integration>${b}</integration>`).join('')}</ossec_config>`).integrations.map((c) => c.id);
const slack = (hook: string, extra = '') => `<name>slack</name><hook_url>${hook}</hook_url><alert_format>json</alert_format>${extra}`;
const TOKEN_URL = 'https://hooks.slack.com/services/T000/B000/XXXXSECRETXXXX';

const names = suite('fileSafeName');
names('keeps letters, digits, dot, dash and underscore; replaces the rest', () => {
  assert.is(fileSafeName('custom-misp.py'), 'custom-misp.py');
  assert.is(fileSafeName('custom-a b/../c'), 'custom-a_b_.._c');
  assert.is(fileSafeName('.hidden'), '_hidden');
  assert.is(fileSafeName(''), '_');
});
names.run();

const base = suite('blockIdBase');
base('is the file-safe name and the first 8 hex digits of sha256 of the hook_url (empty when unset)', () => {
  assert.is(blockIdBase({ name: 'slack', hookUrl: new Secret(TOKEN_URL) }), `slack-${sha8(TOKEN_URL)}`);
  assert.is(blockIdBase({ name: 'pagerduty', hookUrl: undefined }), `pagerduty-${sha8('')}`);
  assert.is(blockIdBase({ name: 'custom-a b/c', hookUrl: undefined }), `custom-a_b_c-${sha8('')}`);
});
base('never shows the hook_url or its token', () => {
  const id = blockIdBase({ name: 'slack', hookUrl: new Secret(TOKEN_URL) });
  assert.not.ok(id.includes('SECRET') || id.includes('hooks.slack.com'), id);
});
base('keeps file names short: at most 100 characters of name', () => {
  assert.is(blockIdBase({ name: `custom-${'x'.repeat(500)}`, hookUrl: undefined }).length, 100 + 1 + 8);
});
base.run();

const identify = suite('identifyBlocks');
identify('stays the same when filters, timeouts or options change, or when the block moves', () => {
  const [plain] = ids(slack(TOKEN_URL));
  const [edited] = ids(slack(TOKEN_URL, '<level>12</level><group>sshd</group><timeout>3</timeout><retries>0</retries>'));
  const moved = ids('<name>custom-first</name><hook_url>http://127.0.0.1:9/x</hook_url>', slack(TOKEN_URL))[1];
  assert.is(edited, plain);
  assert.is(moved, plain);
});
identify('changes with the name or the destination', () => {
  const [a] = ids(slack(TOKEN_URL));
  assert.is.not(ids(slack(`${TOKEN_URL}2`))[0], a);
  assert.is.not(ids(`<name>shuffle</name><hook_url>${TOKEN_URL}</hook_url>`)[0], a);
});
identify('numbers exact twins -2, -3 in file order; other blocks in between do not count', () => {
  assert.equal(ids(slack(TOKEN_URL), '<name>pagerduty</name><api_key>k1</api_key>', slack(TOKEN_URL, '<level>3</level>'), slack(TOKEN_URL), '<name>pagerduty</name><api_key>k2</api_key>'), [
    `slack-${sha8(TOKEN_URL)}`,
    `pagerduty-${sha8('')}`,
    `slack-${sha8(TOKEN_URL)}-2`,
    `slack-${sha8(TOKEN_URL)}-3`,
    `pagerduty-${sha8('')}-2`,
  ]);
});
identify('names that become the same file name are twins too: ids stay unique', () => {
  const configs = identifyBlocks([blockConfig({ name: 'custom-a b' }), blockConfig({ name: 'custom-a_b', index: 1 })]);
  assert.equal(configs.map((c) => c.id), [`custom-a_b-${sha8('')}`, `custom-a_b-${sha8('')}-2`]);
  assert.ok(Object.isFrozen(configs[0]));
});
identify.run();
