import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { clusterParts, openSharedState } from '../../src/cli/shared-state-options.js';

const test = suite('shared-state options');

const usage = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    assert.is((error as { code?: string }).code, 'INTEGRATORD_USAGE');
    return (error as Error).message;
  }
  throw new Error('no usage error');
};

test('without --shared-state nor <shared_state>: nothing shared, the local stores stay', () => {
  assert.is(openSharedState({}), undefined);
  assert.equal(clusterParts(undefined), {});
});

test('--node, --cluster or --shared-state-ca alone is a usage error', () => {
  assert.match(usage(() => openSharedState({ node: 'worker01' })), /--node only applies with --shared-state/);
  assert.match(usage(() => openSharedState({ 'shared-state-ca': '/ca.pem' })), /--shared-state-ca/);
});

test('bad names and a CA file without rediss:// are refused before connecting', () => {
  assert.match(usage(() => openSharedState({ 'shared-state': 'redis://127.0.0.1:1', node: 'bad name' })), /--node must be/);
  assert.match(usage(() => openSharedState({ 'shared-state': 'redis://127.0.0.1:1', cluster: 'a:b' })), /--cluster must be/);
  assert.match(usage(() => openSharedState({ 'shared-state': 'redis://127.0.0.1:1', 'shared-state-ca': '/ca.pem' })), /only applies to a rediss:\/\/ URL/);
});

test('an option wins over the element of integratord.conf', async () => {
  const shared = openSharedState({ node: 'from-option' }, undefined, { url: 'redis://127.0.0.1:1/3', node: 'from-file', cluster: 'prod' });
  try {
    assert.equal([shared?.node, shared?.cluster, shared?.target.shown], ['from-option', 'prod', 'redis://127.0.0.1:1/3']);
  } finally {
    await shared?.close();
  }
});

test.run();
