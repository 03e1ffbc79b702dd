// Specs for src/alerts/wake-up.ts (Wakes a waiting follower: fs.watch on the file's directory and on the file, with a poll timer as fallback).

import { appendFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { WakeUp } from '../../src/alerts/wake-up.js';
import { tempDirSync } from '../helpers/temp-dir.js';

/** 60 s: a poll that never fires during a spec, so only fs.watch can end these waits. */
const NO_POLL_MS = 60_000;

/** Resolves with true if `wait` ends within `ms` (a deadline guard, not a timing assertion). */
const endsWithin = (wait: Promise<void>, ms: number) => Promise.race([wait.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);

const wake = suite('WakeUp');

wake('an event that came while nobody waited makes the next wait return at once', async () => {
  const wakeUp = new WakeUp('/nonexistent/x', NO_POLL_MS);
  wakeUp.wake();
  assert.ok(await endsWithin(wakeUp.wait(), 5_000));
  wakeUp.close();
});

wake('the poll timer ends a wait when nothing happens', async () => {
  const wakeUp = new WakeUp('/nonexistent/dir/alerts.json', 10);
  assert.ok(await endsWithin(wakeUp.wait(), 5_000));
  wakeUp.close();
});

wake('fs.watch on the directory ends a wait when the file is created or renamed; other files do not count', async () => {
  const { dir, remove } = tempDirSync('wake-up');
  const path = join(dir, 'alerts.json');
  const wakeUp = new WakeUp(path, NO_POLL_MS);
  try {
    const first = wakeUp.wait();
    writeFileSync(join(dir, 'alerts.log'), 'other file');
    assert.not.ok(await endsWithin(first, 100), 'a write to another file does not wake');
    writeFileSync(path, '');
    assert.ok(await endsWithin(first, 5_000), 'creation wakes');
    renameSync(path, `${path}.1`);
    assert.ok(await endsWithin(wakeUp.wait(), 5_000), 'a rename wakes');
  } finally {
    wakeUp.close();
    remove();
  }
});

wake('fs.watch on the file ends a wait on append', async () => {
  const { dir, remove } = tempDirSync('wake-up');
  const path = join(dir, 'alerts.json');
  writeFileSync(path, '');
  const wakeUp = new WakeUp(path, NO_POLL_MS);
  try {
    wakeUp.watchFile();
    const waiting = wakeUp.wait();
    appendFileSync(path, 'x\n');
    assert.ok(await endsWithin(waiting, 5_000));
  } finally {
    wakeUp.close();
    remove();
  }
});

wake('close() ends the current wait and every later one', async () => {
  const wakeUp = new WakeUp('/nonexistent/x', NO_POLL_MS);
  const waiting = wakeUp.wait();
  wakeUp.close();
  assert.ok(await endsWithin(waiting, 5_000));
  assert.ok(await endsWithin(wakeUp.wait(), 5_000));
});

wake.run();
