// Specs for src/alerts/live-file.ts (The open alerts.json of a follower: its handle, identity and first bytes, and what happened to its name).

import { appendFileSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FINGERPRINT_BYTES } from '../../src/alerts/file-identity.js';
import { LiveFile } from '../../src/alerts/live-file.js';
import { alertLines } from '../helpers/alerts-dir.js';
import { captureLogRecords } from '../helpers/capture-log.js';
import { expectRejection } from '../helpers/expect-rejection.js';
import { tempDirSync } from '../helpers/temp-dir.js';

const withFile = async (content: string, run: (path: string, file: LiveFile) => Promise<void>) => {
  const { dir, remove } = tempDirSync('live-file');
  const path = join(dir, 'alerts.json');
  writeFileSync(path, content);
  const file = await LiveFile.open(path);
  try {
    await run(path, file);
  } finally {
    await file.close();
    remove();
  }
};

const check = suite('LiveFile.check');

check('same while the file only grows', () =>
  withFile('a\n', async (path, file) => {
    appendFileSync(path, 'b\n');
    assert.is(await file.check(2), 'same');
  }),
);

check('replaced when another inode has the name; gone when nothing has it', () =>
  withFile('a\n', async (path, file) => {
    renameSync(path, `${path}.1`);
    assert.is(await file.check(2), 'gone');
    writeFileSync(path, 'new\n');
    assert.is(await file.check(2), 'replaced');
  }),
);

check('truncated when shorter than the read position, or when its first bytes changed', () =>
  withFile('first\nsecond\n', async (path, file) => {
    truncateSync(path, 0);
    assert.is(await file.check(13), 'truncated');
    writeFileSync(path, 'other\nlonger content\n');
    assert.is(await file.check(13), 'truncated');
  }),
);

check.run();

const start = suite('LiveFile: identity and start offset');

start('a file opened short gets a full fingerprint once refreshed after growing', () =>
  withFile('tiny\n', async (path, file) => {
    assert.is(file.identity.fingerprintLength, 5);
    assert.ok(file.identityCovers(5));
    appendFileSync(path, alertLines('x', 20).join('\n'));
    assert.not.ok(file.identityCovers(500));
    const identity = await file.refresh();
    assert.is(identity.fingerprintLength, FINGERPRINT_BYTES);
    assert.ok(file.identityCovers(500_000));
  }),
);

start('endOffset is the start of the last line being written, or the end after a newline', () =>
  withFile('done\nhalf', async (path, file) => {
    assert.is(await file.endOffset(), 5);
    appendFileSync(path, 'way\n');
    assert.is(await file.endOffset(), 13);
  }),
);

start('endOffset of a line over 64 KiB still being written is the end (the search is bounded)', () =>
  withFile(`a\n${'x'.repeat(70_000)}`, async (_path, file) => {
    assert.is(await file.endOffset(), 70_002);
  }),
);

start('startOffset: a saved offset within the file, else 0 with a warning; end for "end"', () =>
  withFile('abc\ndef\n', async (_path, file) => {
    const log = captureLogRecords();
    try {
      assert.equal([await file.startOffset(4), await file.startOffset('end'), await file.startOffset(99)], [4, 8, 0]);
      assert.equal(log.records.map((r) => [r.level, r['offset'], r['size']]), [['warning', 99, 8]]);
    } finally {
      log.restore();
    }
  }),
);

start('open rejects for a missing file', async () => {
  const { dir, remove } = tempDirSync('live-file');
  rmSync(dir, { recursive: true });
  await expectRejection(() => LiveFile.open(join(dir, 'alerts.json')), /ENOENT/);
  remove();
});

start.run();

const matching = suite('LiveFile.matches');
matching('compares a fingerprint with the OPEN file, not with what the name points at now', async () => {
  const { dir, remove } = tempDirSync('live-matches');
  const path = join(dir, 'alerts.json');
  try {
    writeFileSync(path, `${alertLines('old', 40).join('\n')}\n`);
    const file = await LiveFile.open(path);
    try {
      const identity = file.identity;
      renameSync(path, join(dir, 'old.json'));
      writeFileSync(path, `${alertLines('new', 40).join('\n')}\n`);
      assert.ok(await file.matches(identity), 'the open file still starts with those bytes');
      const other = await LiveFile.open(path);
      try {
        assert.not.ok(await other.matches(identity), 'the new file under the name does not');
        assert.ok(await other.matches({ ...identity, fingerprintLength: 0, fingerprint: '' }), 'an empty-file identity matches anything');
      } finally {
        await other.close();
      }
    } finally {
      await file.close();
    }
  } finally {
    remove();
  }
});
matching.run();
