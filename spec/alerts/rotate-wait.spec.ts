// Specs for src/alerts/rotate-wait.ts (When a rotated-away alerts file is finished: no write for a rotate-wait).

import { closeSync, openSync, renameSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { follow, type Follower } from '../../src/alerts/follow.js';
import { RotateWait } from '../../src/alerts/rotate-wait.js';
import { AlertsDir, alertLines } from '../helpers/alerts-dir.js';
import { captureLogRecords } from '../helpers/capture-log.js';
import { settleFor, takeLines } from '../helpers/line-sources.js';

const POLL_MS = 50;
/** 1 s: longer than every pause of the lagging writers below (≤ 400 ms), short enough for a unit spec. */
const WAIT_MS = 1000;

const statOf = (path: string) => () => stat(path);
const texts = (lines: { text: string }[]) => lines.map((l) => l.text);
/** Appends lines through a descriptor the writer holds (whatever name the file has by then). */
const writeLines = (fd: number, lines: readonly string[]) => writeSync(fd, `${lines.join('\n')}\n`);

const unit = suite('RotateWait');

unit('a file last written long ago is idle at once; one written just now is still being written; more bytes are "grown"', async () => {
  const dir = new AlertsDir('rotate-wait');
  try {
    const file = `${dir.root}/old.json`;
    writeFileSync(file, 'line\n');
    const wait = new RotateWait(WAIT_MS);
    assert.is(await wait.check(statOf(file), 5, file), 'writing', 'mtime is now');
    assert.is(await wait.check(statOf(file), 2, file), 'grown', 'bytes past the read position');
    const past = new Date(Date.now() - 2 * WAIT_MS);
    utimesSync(file, past, past);
    wait.reset();
    assert.is(await wait.check(statOf(file), 5, file), 'idle', 'last write 2 s ago');
  } finally {
    dir.remove();
  }
});

unit('a size seen unchanged for the wait is idle even when the mtime lies in the future (clock skew)', async () => {
  const dir = new AlertsDir('rotate-wait');
  try {
    const file = `${dir.root}/skewed.json`;
    writeFileSync(file, 'line\n');
    const future = new Date(Date.now() + 3600_000);
    utimesSync(file, future, future);
    const wait = new RotateWait(200);
    assert.is(await wait.check(statOf(file), 5, file), 'writing');
    await settleFor(250);
    assert.is(await wait.check(statOf(file), 5, file), 'idle');
  } finally {
    dir.remove();
  }
});

unit('waitMs 0, no stat (a .gz) or a stat that fails: idle (nothing more can come)', async () => {
  assert.is(await new RotateWait(0).check(statOf('/'), 0, '/'), 'idle');
  assert.is(await new RotateWait(WAIT_MS).check(undefined, 0, 'x.gz'), 'idle');
  assert.is(await new RotateWait(WAIT_MS).check(statOf('/nonexistent/alerts.json'), 0, 'gone'), 'idle');
});

unit('logs once when it starts waiting and once when the file went idle', async () => {
  const dir = new AlertsDir('rotate-wait');
  const captured = captureLogRecords();
  try {
    const file = `${dir.root}/old.json`;
    writeFileSync(file, 'line\n');
    const wait = new RotateWait(150);
    for (let i = 0; i < 3; i++) assert.is(await wait.check(statOf(file), 5, file), 'writing');
    await settleFor(200);
    assert.is(await wait.check(statOf(file), 5, file), 'idle');
    const messages = captured.records.map((r) => r.message);
    assert.equal(messages.filter((m) => m.includes('still being written')).length, 1, messages.join('\n'));
    assert.equal(messages.filter((m) => m.includes('idle; reading the next')).length, 1, messages.join('\n'));
  } finally {
    captured.restore();
    dir.remove();
  }
});

unit.run();

const lagging = suite('Follower with a lagging writer (rotate-wait)');

const followers: Follower[] = [];
lagging.after.each(async () => {
  await Promise.all(followers.splice(0).map((f) => f.close()));
});
const start = (dir: AlertsDir, options: Parameters<typeof follow>[1] = {}) => {
  const follower = follow(dir.alerts, { pollMs: POLL_MS, rotateWaitMs: WAIT_MS, startAt: 'beginning', ...options });
  followers.push(follower);
  return follower;
};

lagging('logrotate create: the old file is read while its writer appends through its descriptor, then the new file — nothing lost, in order', async () => {
  const dir = new AlertsDir('lagging');
  const fd = openSync(dir.alerts, 'a');
  try {
    const [before, late, fresh] = [alertLines('old', 5), alertLines('late', 6), alertLines('new', 3)];
    writeLines(fd, before);
    const follower = start(dir);
    assert.equal(texts(await takeLines(follower, 5)), before);
    renameSync(dir.alerts, dir.rotated(1));
    writeFileSync(dir.alerts, `${fresh.join('\n')}\n`);
    const rest = takeLines(follower, 9);
    // The writer keeps its descriptor for a while (postrotate signal, then a reopen), writing in bursts.
    for (const part of [late.slice(0, 2), late.slice(2, 4), late.slice(4)]) {
      await settleFor(300);
      writeLines(fd, part);
    }
    assert.equal(texts(await rest), [...late, ...fresh]);
  } finally {
    closeSync(fd);
    dir.remove();
  }
});

lagging('a rename without create: the old file is read until a new one appears and the old one is idle', async () => {
  const dir = new AlertsDir('lagging');
  const fd = openSync(dir.alerts, 'a');
  try {
    const [before, late, fresh] = [alertLines('old', 3), alertLines('late', 4), alertLines('new', 2)];
    writeLines(fd, before);
    const follower = start(dir);
    assert.equal(texts(await takeLines(follower, 3)), before);
    renameSync(dir.alerts, dir.rotated(1));
    const rest = takeLines(follower, 6);
    await settleFor(200);
    writeLines(fd, late.slice(0, 2));
    await settleFor(200);
    // The writer reopens the name (O_CREAT) but the old descriptor is written once more before it is closed.
    writeFileSync(dir.alerts, `${fresh.join('\n')}\n`);
    await settleFor(200);
    writeLines(fd, late.slice(2));
    assert.equal(texts(await rest), [...late, ...fresh]);
  } finally {
    closeSync(fd);
    dir.remove();
  }
});

lagging('a restart during the wait: a follower from a cursor in the renamed file reads it while it is still written, then the new one', async () => {
  const dir = new AlertsDir('lagging');
  const fd = openSync(dir.alerts, 'a');
  try {
    const [before, late, fresh] = [alertLines('old', 4), alertLines('late', 4), alertLines('new', 2)];
    writeLines(fd, before);
    const first = start(dir);
    await takeLines(first, 2);
    const cursor = first.position()!;
    await first.close();
    renameSync(dir.alerts, dir.rotated(1));
    writeFileSync(dir.alerts, `${fresh.join('\n')}\n`);
    writeLines(fd, late.slice(0, 2));
    const second = start(dir, { startAt: cursor });
    const rest = takeLines(second, 8);
    await settleFor(400);
    writeLines(fd, late.slice(2));
    assert.equal(texts(await rest), [...before.slice(2), ...late, ...fresh]);
  } finally {
    closeSync(fd);
    dir.remove();
  }
});

lagging.run();
