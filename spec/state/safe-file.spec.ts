// Specs for src/state/safe-file.ts (Opening and writing state files without following symlinks: O_NOFOLLOW opens, random O_EXCL temp files, atomic writes).

import { constants, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createTempFile, openAppend, removeLeftoverTempFiles, openNoFollow, readStateFile, writeAll, writeFileAtomically } from '../../src/state/safe-file.js';
import { expectRejection } from '../helpers/expect-rejection.js';
import { tempDirSync } from '../helpers/temp-dir.js';

interface Context {
  dir: string;
  remove: () => void;
  /** A file the spec owns that a planted symlink points at: it must stay as it is. */
  victim: string;
}

const VICTIM_TEXT = 'root-owned configuration: must not change\n';

const files = suite<Context>('safe state files');
files.before.each((ctx) => {
  const { dir, remove } = tempDirSync('safe-file');
  ctx.dir = dir;
  ctx.remove = remove;
  ctx.victim = join(dir, 'victim.conf');
  writeFileSync(ctx.victim, VICTIM_TEXT);
});
files.after.each((ctx) => ctx.remove());

files('openNoFollow refuses a symlink with ELOOP naming the path, and opens a regular file', async (ctx) => {
  const link = join(ctx.dir, 'state.json');
  symlinkSync(ctx.victim, link);
  const error = await expectRejection(() => openNoFollow(link, constants.O_WRONLY | constants.O_TRUNC));
  assert.is((error as NodeJS.ErrnoException).code, 'ELOOP');
  assert.match(String(error), `${link} is a symbolic link`);
  assert.is(readFileSync(ctx.victim, 'utf8'), VICTIM_TEXT);
  const handle = await openNoFollow(ctx.victim, constants.O_RDONLY);
  await handle.close();
});

files('readStateFile reads a regular file, refuses a symlink, keeps ENOENT', async (ctx) => {
  assert.is((await readStateFile(ctx.victim)).toString(), VICTIM_TEXT);
  const link = join(ctx.dir, 'cursor.json');
  symlinkSync(ctx.victim, link);
  assert.is(((await expectRejection(() => readStateFile(link))) as NodeJS.ErrnoException).code, 'ELOOP');
  assert.is(((await expectRejection(() => readStateFile(join(ctx.dir, 'none')))) as NodeJS.ErrnoException).code, 'ENOENT');
});

files('openAppend creates a 0600 file, appends to an existing one, and never appends through a symlink', async (ctx) => {
  const path = join(ctx.dir, 'dead.jsonl');
  const previous = process.umask(0);
  try {
    const handle = await openAppend(path);
    await writeAll(handle, 'one\n');
    await handle.close();
  } finally {
    process.umask(previous);
  }
  assert.is(statSync(path).mode & 0o777, 0o600);
  const again = await openAppend(path);
  await writeAll(again, 'two\n');
  await again.close();
  assert.is(readFileSync(path, 'utf8'), 'one\ntwo\n');
  const link = join(ctx.dir, 'rejected-lines.jsonl');
  symlinkSync(ctx.victim, link);
  assert.is(((await expectRejection(() => openAppend(link))) as NodeJS.ErrnoException).code, 'ELOOP');
  assert.is(readFileSync(ctx.victim, 'utf8'), VICTIM_TEXT);
});

files('createTempFile makes a new 0600 file with a random name next to the target, every time', async (ctx) => {
  const target = join(ctx.dir, 'cursors.json');
  const a = await createTempFile(target);
  const b = await createTempFile(target);
  await a.handle.close();
  await b.handle.close();
  assert.is.not(a.path, b.path);
  for (const temp of [a.path, b.path]) {
    assert.match(temp, new RegExp(`^${ctx.dir}/\\.cursors\\.json\\.[0-9a-f]{16}\\.tmp$`));
    assert.is(statSync(temp).mode & 0o777, 0o600);
  }
});

files('writeFileAtomically replaces a planted symlink by the file instead of writing through it', async (ctx) => {
  const path = join(ctx.dir, '0-slack.json');
  symlinkSync(ctx.victim, path);
  await writeFileAtomically(path, '{"offset":1}\n');
  assert.is(readFileSync(ctx.victim, 'utf8'), VICTIM_TEXT, 'the link target is untouched');
  assert.ok(lstatSync(path).isFile(), 'the link itself was replaced');
  assert.is(readFileSync(path, 'utf8'), '{"offset":1}\n');
  assert.is(statSync(path).mode & 0o777, 0o600);
  assert.equal(readdirSync(ctx.dir).sort(), ['0-slack.json', 'victim.conf'], 'no temp file left');
});

files('writeFileAtomically leaves the old content and no temp file when it cannot write', async (ctx) => {
  const path = join(ctx.dir, 'missing-dir', 'x.json');
  await expectRejection(() => writeFileAtomically(path, 'new'));
  assert.equal(readdirSync(ctx.dir), ['victim.conf']);
});

files('removeLeftoverTempFiles removes only the temp files createTempFile names, in that directory only', async (ctx) => {
  const left = await createTempFile(join(ctx.dir, 'slack-1a2b3c4d.json'));
  await left.handle.close();
  writeFileSync(join(ctx.dir, 'slack-1a2b3c4d.json'), '{}');
  writeFileSync(join(ctx.dir, '.notes.tmp'), 'not ours: no 16-hex part');
  mkdirSync(join(ctx.dir, '.dir.0123456789abcdef.tmp'));
  const removed = await removeLeftoverTempFiles(ctx.dir);
  assert.equal(removed, [left.path.slice(ctx.dir.length + 1)]);
  assert.equal(readdirSync(ctx.dir).sort(), ['.dir.0123456789abcdef.tmp', '.notes.tmp', 'slack-1a2b3c4d.json', 'victim.conf']);
  assert.equal(await removeLeftoverTempFiles(join(ctx.dir, 'missing')), [], 'a missing directory: nothing, no error');
});

files.run();
