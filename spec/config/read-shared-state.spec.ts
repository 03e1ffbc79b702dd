import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSharedState, readSharedState, sharedStateMisplaced } from '../../src/config/read-shared-state.js';
import { tempDirSync } from '../helpers/temp-dir.js';

const test = suite('<shared_state> of integratord.conf');

test('reads url, ca_file, node and cluster (trimmed) from a second <ossec_config> root; & kept literal', () => {
  const text = `<ossec_config><integration><name>slack</name></integration></ossec_config>
<ossec_config>
  <shared_state>
    <url> rediss://app:p&w0rd@redis.internal:6380/1 </url>
    <ca_file>/etc/integratord/ca.pem</ca_file>
    <node>worker01</node>
    <cluster>prod</cluster>
    <unknown>x</unknown>
  </shared_state>
</ossec_config>`;
  assert.equal(parseSharedState(text), { url: 'rediss://app:p&w0rd@redis.internal:6380/1', caFile: '/etc/integratord/ca.pem', node: 'worker01', cluster: 'prod' });
});

test('none without <shared_state>, nested deeper, or in a text that is not XML', () => {
  assert.is(parseSharedState('<ossec_config><integration><name>x</name></integration></ossec_config>'), undefined);
  assert.is(parseSharedState('<ossec_config><global><shared_state><url>redis://h</url></shared_state></global></ossec_config>'), undefined);
  assert.is(parseSharedState('<ossec_config><shared_state><url>redis://h</url>'), undefined);
});

test('never read from a file named ossec.conf (stock Wazuh reads it); read from integratord.conf', async () => {
  const { dir, remove } = tempDirSync('shared-state-conf');
  try {
    const element = '<ossec_config><shared_state><url>redis://10.0.0.5:6379</url></shared_state></ossec_config>';
    writeFileSync(join(dir, 'ossec.conf'), element);
    assert.is(await readSharedState([join(dir, 'ossec.conf'), join(dir, 'integratord.conf')]), undefined);
    writeFileSync(join(dir, 'integratord.conf'), element);
    assert.equal(await readSharedState([join(dir, 'ossec.conf'), join(dir, 'integratord.conf')]), { url: 'redis://10.0.0.5:6379' });
  } finally {
    remove();
  }
});

test('sharedStateMisplaced: a <shared_state> in ossec.conf is a located warning; in integratord.conf it is not', async () => {
  const { dir, remove } = tempDirSync('shared-state-misplaced');
  try {
    writeFileSync(join(dir, 'ossec.conf'), '<ossec_config>\n  <global>x</global>\n</ossec_config>\n<ossec_config>\n    <shared_state><url>redis://h</url></shared_state>\n</ossec_config>\n');
    writeFileSync(join(dir, 'integratord.conf'), '<ossec_config><shared_state><url>redis://h</url></shared_state></ossec_config>');
    const found = await sharedStateMisplaced([join(dir, 'ossec.conf'), join(dir, 'integratord.conf')]);
    assert.is(found.length, 1);
    assert.equal([found[0]?.file, found[0]?.at, found[0]?.severity], [join(dir, 'ossec.conf'), { line: 5, column: 5 }, 'warning']);
    assert.match(found[0]?.message ?? '', /move it there/);
  } finally {
    remove();
  }
});

test.run();
