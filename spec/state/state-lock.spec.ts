// Specs for src/state/state-lock.ts (One daemon per state directory: STATE/integratord.lock, created O_EXCL, holds the pid of the daemon that owns it).

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { IntegratordError } from '../../src/errors.js';
import { acquireStateLock, LOCK_FILE } from '../../src/state/state-lock.js';
import { captureLog, type CapturedLog } from '../helpers/capture-log.js';
import { expectRejection } from '../helpers/expect-rejection.js';
import { tempDirSync } from '../helpers/temp-dir.js';

interface Context {
  state: string;
  remove: () => void;
  log: CapturedLog;
  /** A live process that is not this one (the holder of a lock). */
  other: ChildProcess | undefined;
}

/** The pid of a process that has exited: nothing runs with it now. */
const deadPid = (): number => {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
};

const lock = suite<Context>('acquireStateLock');
lock.before.each((ctx) => {
  const { dir, remove } = tempDirSync('state-lock');
  ctx.state = dir;
  ctx.remove = remove;
  ctx.log = captureLog(0);
  ctx.other = undefined;
});
lock.after.each((ctx) => {
  ctx.other?.kill('SIGKILL');
  ctx.log.restore();
  ctx.remove();
});

lock('creates STATE/integratord.lock 0600 holding our pid, and release removes it', async (ctx) => {
  const held = await acquireStateLock(ctx.state);
  const path = join(ctx.state, LOCK_FILE);
  assert.is(held.path, path);
  assert.is(readFileSync(path, 'utf8'), `${process.pid}\n`);
  assert.is(statSync(path).mode & 0o777, 0o600);
  await held.release();
  await held.release();
  assert.not.ok(existsSync(path));
});

lock('refuses a lock held by a running process, naming its pid, and leaves it alone', async (ctx) => {
  ctx.other = spawn('sleep', ['60'], { stdio: 'ignore' });
  const pid = ctx.other.pid!;
  writeFileSync(join(ctx.state, LOCK_FILE), `${pid}\n`);
  const error = await expectRejection(() => acquireStateLock(ctx.state));
  assert.instance(error, IntegratordError);
  assert.is(error.message.split(' (')[0], `state directory ${ctx.state} is in use by pid ${pid}`);
  assert.is(readFileSync(join(ctx.state, LOCK_FILE), 'utf8'), `${pid}\n`);
});

lock('takes over the lock of a process that is no longer running, with a warning', async (ctx) => {
  const dead = deadPid();
  writeFileSync(join(ctx.state, LOCK_FILE), `${dead}\n`);
  const held = await acquireStateLock(ctx.state);
  assert.is(readFileSync(held.path, 'utf8'), `${process.pid}\n`);
  assert.match(ctx.log.text(), `WARNING: Took over the state directory lock ${held.path}: it was left by pid ${dead}, which is no longer running.`);
  assert.equal(readdirSync(ctx.state), [LOCK_FILE], 'no guard or temp file left');
  await held.release();
});

lock('takes over a lock without a pid (a crash between creating and writing it) and one with our own pid', async (ctx) => {
  writeFileSync(join(ctx.state, LOCK_FILE), '');
  const held = await acquireStateLock(ctx.state);
  assert.is(readFileSync(held.path, 'utf8'), `${process.pid}\n`);
  assert.match(ctx.log.text(), 'it was left by no process (it holds no pid)');
  // Our pid in a lock we do not hold: a container restarted with the same pid.
  const again = await acquireStateLock(ctx.state);
  assert.is(readFileSync(again.path, 'utf8'), `${process.pid}\n`);
  await again.release();
});

lock('release leaves a lock that another process took meanwhile', async (ctx) => {
  const held = await acquireStateLock(ctx.state);
  ctx.other = spawn('sleep', ['60'], { stdio: 'ignore' });
  writeFileSync(held.path, `${ctx.other.pid!}\n`);
  await held.release();
  assert.is(readFileSync(held.path, 'utf8'), `${ctx.other.pid!}\n`);
});

lock('never writes through a symlink planted as the lock', async (ctx) => {
  const victim = join(ctx.state, 'victim');
  writeFileSync(victim, 'keep\n');
  symlinkSync(victim, join(ctx.state, LOCK_FILE));
  const error = await expectRejection(() => acquireStateLock(ctx.state));
  assert.match(error.message, /cannot take the state directory lock .*ELOOP/);
  assert.is(readFileSync(victim, 'utf8'), 'keep\n');
});

lock.run();
