// Specs for src/state/state-dir.ts (The state directory as a trust boundary: created 0700 whatever the umask, refused when unusable or unsafe).

import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { IntegratordError } from '../../src/errors.js';
import { checkStateDir, ensurePrivateDir, prepareStateDir } from '../../src/state/state-dir.js';
import { expectRejection } from '../helpers/expect-rejection.js';
import { tempDirSync } from '../helpers/temp-dir.js';

interface Context {
  dir: string;
  remove: () => void;
}

const mode = (path: string) => statSync(path).mode & 0o7777;

/** A real read-only directory: a read-only tmpfs as root (root writes through any mode), mode 0500 otherwise. */
const readOnlyDir = (path: string): (() => void) => {
  mkdirSync(path);
  if (process.getuid?.() === 0) {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=16k,mode=0700', 'tmpfs', path]);
    return () => execFileSync('umount', [path]);
  }
  chmodSync(path, 0o500);
  return () => chmodSync(path, 0o700);
};

const refused = async (run: () => Promise<unknown>, pattern: RegExp): Promise<void> => {
  const error = await expectRejection(run, pattern);
  assert.instance(error, IntegratordError);
  assert.is((error as IntegratordError).code, 'INTEGRATORD_IO');
};

const create = suite<Context>('ensurePrivateDir and prepareStateDir: creating');
create.before.each((ctx) => {
  const { dir, remove } = tempDirSync('state-dir');
  ctx.dir = dir;
  ctx.remove = remove;
});
create.after.each((ctx) => ctx.remove());

create('creates STATE, its missing parents and its subdirectories 0700 under umask 000', async (ctx) => {
  const state = join(ctx.dir, 'var', 'integratord');
  const previous = process.umask(0);
  try {
    await prepareStateDir(state);
  } finally {
    process.umask(previous);
  }
  for (const path of [join(ctx.dir, 'var'), state, join(state, 'cursors'), join(state, 'dead-letter'), join(state, 'noise')]) assert.is(mode(path), 0o700, path);
  assert.equal(readdirSync(state).sort(), ['cursors', 'dead-letter', 'noise'], 'the write probes are gone');
});

create('leaves the mode of an existing safe directory alone (an operator may choose 0750)', async (ctx) => {
  const state = join(ctx.dir, 'state');
  mkdirSync(state);
  chmodSync(state, 0o750);
  await ensurePrivateDir(state);
  await prepareStateDir(state);
  assert.is(mode(state), 0o750);
  assert.is(mode(join(state, 'cursors')), 0o700);
});

create.run();

const refuse = suite<Context>('prepareStateDir and checkStateDir: refusing');
refuse.before.each((ctx) => {
  const { dir, remove } = tempDirSync('state-dir');
  ctx.dir = dir;
  ctx.remove = remove;
});
refuse.after.each((ctx) => ctx.remove());

refuse('a group- or world-writable STATE or subdirectory, naming the path and its mode', async (ctx) => {
  const state = join(ctx.dir, 'state');
  mkdirSync(state);
  chmodSync(state, 0o770);
  await refused(() => prepareStateDir(state), new RegExp(`^unsafe state directory: ${state} is group- or world-writable \\(mode 0770\\)`));
  await refused(() => checkStateDir(state), /group- or world-writable/);
  chmodSync(state, 0o700);
  mkdirSync(join(state, 'dead-letter'));
  chmodSync(join(state, 'dead-letter'), 0o1777);
  await refused(() => prepareStateDir(state), new RegExp(`${state}/dead-letter is group- or world-writable \\(mode 1777\\)`));
  await refused(() => checkStateDir(state), /dead-letter is group- or world-writable/);
  chmodSync(join(state, 'dead-letter'), 0o700);
  mkdirSync(join(state, 'noise'));
  chmodSync(join(state, 'noise'), 0o777);
  await refused(() => prepareStateDir(state), new RegExp(`${state}/noise is group- or world-writable \\(mode 0777\\)`));
});

refuse('a symlinked STATE or subdirectory', async (ctx) => {
  const real = join(ctx.dir, 'elsewhere');
  mkdirSync(real, { mode: 0o700 });
  const state = join(ctx.dir, 'state');
  symlinkSync(real, state);
  await refused(() => prepareStateDir(state), new RegExp(`${state} is a symbolic link`));
  const other = join(ctx.dir, 'other');
  mkdirSync(other, { mode: 0o700 });
  symlinkSync(real, join(other, 'cursors'));
  await refused(() => checkStateDir(other), new RegExp(`${other}/cursors is a symbolic link`));
  const third = join(ctx.dir, 'third');
  mkdirSync(third, { mode: 0o700 });
  symlinkSync(real, join(third, 'noise'));
  await refused(() => checkStateDir(third), new RegExp(`${third}/noise is a symbolic link`));
});

refuse("a directory owned by a user that is not the daemon's", async (ctx) => {
  const state = join(ctx.dir, 'state');
  mkdirSync(state, { mode: 0o700 });
  // Root-owned directories are trusted (only root could plant there): as root, give it to another user.
  const root = process.geteuid?.() === 0;
  if (root) chownSync(state, 4242, 4242);
  const owner = statSync(state).uid;
  await checkStateDir(state, { uid: owner });
  if (root) await refused(() => prepareStateDir(state), new RegExp(`${state} is owned by uid 4242, not by uid 0 that integratord runs as`));
  await refused(() => checkStateDir(state, { uid: owner + 1 }), new RegExp(`${state} is owned by uid ${owner}, not by uid ${owner + 1}`));
});

refuse('a regular file where STATE should be, and a parent that is a file', async (ctx) => {
  const file = join(ctx.dir, 'state');
  writeFileSync(file, 'not a directory');
  await refused(() => prepareStateDir(file), new RegExp(`^unusable state directory: cannot create ${file} \\(EEXIST`));
  await refused(() => checkStateDir(file), new RegExp(`${file} is not a directory`));
  await refused(() => prepareStateDir(join(file, 'var', 'integratord')), /cannot create .* \(ENOTDIR: a component of the path is not a directory\)/);
});

refuse('a read-only STATE', async (ctx) => {
  const state = join(ctx.dir, 'state');
  const restore = readOnlyDir(state);
  try {
    await refused(() => prepareStateDir(state), new RegExp(`^unusable state directory: ${state} is not writable \\((EROFS|EACCES)`));
  } finally {
    restore();
  }
});

refuse('checkStateDir accepts a missing STATE or subdirectory (nothing to trust yet)', async (ctx) => {
  await checkStateDir(join(ctx.dir, 'none'));
  mkdirSync(join(ctx.dir, 'state'), { mode: 0o700 });
  await checkStateDir(join(ctx.dir, 'state'));
});

refuse.run();
