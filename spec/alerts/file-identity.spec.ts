// Specs for src/alerts/file-identity.ts (Which file a position belongs to: device, inode and a fingerprint of the first bytes (survives gzip)).

import { appendFileSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FINGERPRINT_BYTES, fingerprintOf, identify, matchesFingerprint } from '../../src/alerts/file-identity.js';
import { alertLines } from '../helpers/alerts-dir.js';
import { expectRejection } from '../helpers/expect-rejection.js';
import { tempDirSync } from '../helpers/temp-dir.js';

const withDir = async (run: (dir: string) => Promise<void>) => {
  const { dir, remove } = tempDirSync('identity');
  try {
    await run(dir);
  } finally {
    remove();
  }
};

const identifySuite = suite('identify');

identifySuite('fingerprints the first min(size, 1 KiB) bytes and records that length; a handle and its path agree', () =>
  withDir(async (dir) => {
    const path = join(dir, 'a.json');
    writeFileSync(path, 'short\n');
    const small = await identify(path);
    assert.equal([small.fingerprintLength, small.fingerprint], [6, fingerprintOf(Buffer.from('short\n'))]);
    assert.is(small.fingerprint.length, 32);
    appendFileSync(path, alertLines('x', 50).join('\n'));
    const handle = await open(path, 'r');
    const grown = await identify(handle);
    await handle.close();
    assert.is(grown.fingerprintLength, FINGERPRINT_BYTES);
    assert.equal(grown, await identify(path));
    assert.equal([grown.dev, grown.ino], [small.dev, small.ino]);
  }),
);

identifySuite('a .gz is fingerprinted on its decompressed bytes, so it matches the file it came from', () =>
  withDir(async (dir) => {
    const path = join(dir, 'ossec-alerts-01.json');
    writeFileSync(path, `${alertLines('d1', 40).join('\n')}\n`);
    writeFileSync(`${path}.gz`, gzipSync(readFileSync(path)));
    const [original, compressed] = [await identify(path), await identify(`${path}.gz`)];
    assert.is(compressed.fingerprint, original.fingerprint);
    assert.is.not(compressed.ino, original.ino);
  }),
);

identifySuite('rejects for a missing file', () => withDir(async (dir) => void (await expectRejection(() => identify(join(dir, 'none')), /ENOENT/))));

identifySuite.run();

const same = suite('matchesFingerprint');

same('matchesFingerprint hashes the same length of the candidate, plain or .gz; never rejects', () =>
  withDir(async (dir) => {
    const path = join(dir, 'a.json');
    writeFileSync(path, 'first line\n');
    const identity = await identify(path);
    appendFileSync(path, 'more lines\n');
    assert.ok(await matchesFingerprint(path, identity), 'grown file');
    renameSync(path, join(dir, 'moved.json'));
    writeFileSync(`${path}.gz`, gzipSync(readFileSync(join(dir, 'moved.json'))));
    assert.ok(await matchesFingerprint(`${path}.gz`, identity), 'compressed copy');
    writeFileSync(path, 'other line\n');
    assert.not.ok(await matchesFingerprint(path, identity), 'new content under the old name');
    writeFileSync(path, 'first');
    assert.not.ok(await matchesFingerprint(path, identity), 'shorter than the fingerprint');
    assert.not.ok(await matchesFingerprint(join(dir, 'missing'), identity));
    assert.ok(await matchesFingerprint(path, { ...identity, fingerprint: '', fingerprintLength: 0 }), 'an empty file fingerprints nothing');
  }),
);

same.run();
