// Specs for src/config/load-home-config.ts (the one configuration run and every command read: ossec.conf and integratord.conf, or -c FILE).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadHomeConfig } from '../../src/config/load-home-config.js';
import { IntegratordError } from '../../src/errors.js';
import { wazuhPaths } from '../../src/wazuh-home.js';
import { blockIdOf } from '../helpers/block-config.js';
import { ossecConf, webhookBlock } from '../helpers/ossec-conf.js';
import { tempDirSync } from '../helpers/temp-dir.js';

/** A home with the given ossec.conf and, unless undefined, integratord.conf texts. */
const homeWith = (ossec: string, integratord?: string) => {
  const { dir, remove } = tempDirSync('home-config');
  mkdirSync(join(dir, 'etc'));
  const wazuhFile = join(dir, 'etc', 'ossec.conf');
  const ourFile = join(dir, 'etc', 'integratord.conf');
  writeFileSync(wazuhFile, ossec);
  if (integratord !== undefined) writeFileSync(ourFile, integratord);
  return { home: dir, wazuhFile, ourFile, remove };
};

const A = webhookBlock('custom-a', 'https://a.example/h');
const B = webhookBlock('custom-b', 'https://b.example/h');
const C = webhookBlock('custom-c', 'https://c.example/h');

const load = suite('loadHomeConfig');
load("reads ossec.conf then integratord.conf by default: one list, numbered across the files, each block knowing its file", async () => {
  const h = homeWith(ossecConf(A), ossecConf(B, C));
  try {
    const loaded = await loadHomeConfig(wazuhPaths(h.home));
    assert.ok(loaded.ok);
    assert.equal(loaded.files, [h.wazuhFile, h.ourFile]);
    assert.is(loaded.file, `${h.wazuhFile} and ${h.ourFile}`);
    assert.equal(
      loaded.integrations.map((c) => [c.index, c.name, c.file, c.id]),
      [
        [0, 'custom-a', h.wazuhFile, blockIdOf('custom-a', 'https://a.example/h')],
        [1, 'custom-b', h.ourFile, blockIdOf('custom-b', 'https://b.example/h')],
        [2, 'custom-c', h.ourFile, blockIdOf('custom-c', 'https://c.example/h')],
      ],
    );
  } finally {
    h.remove();
  }
});
load('skips a missing integratord.conf; a missing ossec.conf is an unreadable file; -c reads that file alone', async () => {
  const h = homeWith(ossecConf(A), ossecConf(B));
  try {
    const alone = await loadHomeConfig(wazuhPaths(h.home, { config: h.ourFile }));
    assert.equal([alone.files, alone.integrations.map((c) => [c.index, c.name])], [[h.ourFile], [[0, 'custom-b']]]);
  } finally {
    h.remove();
  }
  const bare = homeWith(ossecConf(A));
  try {
    const loaded = await loadHomeConfig(wazuhPaths(bare.home));
    assert.equal([loaded.files, loaded.integrations.map((c) => c.name)], [[bare.wazuhFile], ['custom-a']]);
    const missing = await loadHomeConfig(wazuhPaths(join(bare.home, 'nowhere'))).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.instance(missing, IntegratordError);
    assert.match((missing as IntegratordError).message, /cannot read .*nowhere\/etc\/ossec\.conf \(ENOENT/);
  } finally {
    bare.remove();
  }
});
load('an error in either file refuses the whole configuration, each located in its own file, in file order', async () => {
  const h = homeWith(ossecConf(`${A}\n<levl>3</levl>`), ossecConf(`${B}\n<bogus>1</bogus>`));
  try {
    const loaded = await loadHomeConfig(wazuhPaths(h.home));
    assert.not.ok(loaded.ok);
    assert.equal(loaded.integrations, []);
    const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
    assert.equal(errors.map((d) => d.file), [h.wazuhFile, h.ourFile]);
    assert.match(errors[0]?.message ?? '', '<levl>');
    assert.match(errors[1]?.message ?? '', '<bogus>');
  } finally {
    h.remove();
  }
});
load('a block still in ossec.conf is warned about at its twin in integratord.conf (double delivery), by default and with -c', async () => {
  const h = homeWith(ossecConf(C, A), ossecConf(B, A));
  try {
    const expected = (line: number) =>
      `the same 'custom-a' block (same hook_url) is still in ${h.wazuhFile}:${line}:3, which Wazuh's own integratord reads: every alert would be delivered twice; remove it from ossec.conf`;
    // The second block of each file: <ossec_config> on line 1, five lines per block.
    const aLine = 7;
    for (const paths of [wazuhPaths(h.home), wazuhPaths(h.home, { config: h.ourFile })]) {
      const loaded = await loadHomeConfig(paths);
      assert.ok(loaded.ok);
      const warnings = loaded.diagnostics.filter((d) => d.message.includes('delivered twice'));
      assert.equal(
        warnings.map((d) => [d.file, d.at.line, d.message]),
        [[h.ourFile, aLine, expected(aLine)]],
        paths.configFiles.join(' '),
      );
    }
    const twins = (await loadHomeConfig(wazuhPaths(h.home))).integrations.filter((c) => c.name === 'custom-a').map((c) => c.id);
    assert.equal(twins, [blockIdOf('custom-a', 'https://a.example/h'), `${blockIdOf('custom-a', 'https://a.example/h')}-2`], 'ids stay unique across the files');
    const onlyOurs = homeWith(ossecConf(C), ossecConf(B, A));
    try {
      assert.not.ok((await loadHomeConfig(wazuhPaths(onlyOurs.home))).diagnostics.some((d) => d.message.includes('delivered twice')));
    } finally {
      onlyOurs.remove();
    }
  } finally {
    h.remove();
  }
});
load.run();
