// Specs for src/alerts/rotated-backlog.ts (The rotated files a follower still has to read before alerts.json: planned by identity, opened pinned).

import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readPrefix } from '../../src/alerts/byte-reader.js';
import { identify } from '../../src/alerts/file-identity.js';
import { RotatedBacklog } from '../../src/alerts/rotated-backlog.js';
import { AlertsDir, alertLines } from '../helpers/alerts-dir.js';
import { captureLogRecords, type LogRecord } from '../helpers/capture-log.js';

interface Context {
  dir: AlertsDir;
  backlog: RotatedBacklog;
  logs: LogRecord[];
  restoreLog: () => void;
}

const test = suite<Context>('RotatedBacklog');
test.before.each((ctx) => {
  ctx.dir = new AlertsDir('backlog');
  writeFileSync(ctx.dir.alerts, '');
  ctx.backlog = new RotatedBacklog(ctx.dir.alerts, ctx.dir.root);
  const captured = captureLogRecords();
  ctx.logs = captured.records;
  ctx.restoreLog = captured.restore;
});
test.after.each(async (ctx) => {
  await ctx.backlog.close();
  ctx.restoreLog();
  ctx.dir.remove();
});

const firstLine = async (reader: Parameters<typeof readPrefix>[0], at = 0) => (await readPrefix(reader, 4096)).subarray(at).toString().split('\n')[0];

test('plans the cursor file and the newer ones, holds alerts.json as it was at planning; after: only the newer ones', async ({ dir, backlog }) => {
  dir.append(alertLines('a', 3));
  const cursor = { identity: await identify(dir.alerts), offset: 0 };
  dir.logrotate();
  dir.append(alertLines('b', 3));
  dir.logrotate();
  dir.append(alertLines('c', 3));
  assert.is(await backlog.plan(cursor), 'archives');
  const live = (await identify(dir.alerts)).ino;
  const steps = [await backlog.openNext(), await backlog.openNext()];
  assert.equal(steps.map((s) => s?.path), [dir.rotated(2), dir.rotated(1)]);
  assert.equal(await firstLine(steps[1]!.reader), alertLines('b', 1)[0]);
  assert.is(await backlog.openNext(), undefined);
  for (const s of steps) await s?.reader.close();
  const held = backlog.takeHeld();
  assert.is(held?.identity.ino, live);
  assert.is(backlog.takeHeld(), undefined, 'handed out once');
  await held?.close();
  assert.is(await backlog.plan(cursor, true), 'archives');
  assert.is((await backlog.openNext())?.path, dir.rotated(1), 'after: the cursor file itself is not planned again');
});

test('a planned name that now holds another file: that inode is found again where it moved', async ({ dir, backlog }) => {
  dir.append(alertLines('a', 3));
  const cursor = { identity: await identify(dir.alerts), offset: 0 };
  dir.logrotate();
  dir.append(alertLines('b', 3));
  assert.is(await backlog.plan(cursor), 'archives');
  // a was .1 when planned; now .1 is b and a is .2.
  dir.logrotate();
  const step = await backlog.openNext();
  assert.is(step?.path, dir.rotated(2));
  assert.equal(await firstLine(step!.reader), alertLines('a', 1)[0]);
  await step?.reader.close();
});

test('a planned file deleted before it is opened: an error naming it, the next one is read', async ({ dir, backlog, logs }) => {
  dir.append(alertLines('a', 3));
  const cursor = { identity: await identify(dir.alerts), offset: 0 };
  dir.logrotate();
  dir.append(alertLines('b', 3));
  dir.logrotate();
  assert.is(await backlog.plan(cursor), 'archives');
  rmSync(dir.rotated(2));
  const step = await backlog.openNext();
  assert.is(step?.path, dir.rotated(1));
  await step?.reader.close();
  assert.ok(logs.some((r) => r.level === 'error' && r['path'] === dir.rotated(2)), 'the skipped file is named');
});

test("a cursor file under no name: 'missing'; the cursor's file is alerts.json: 'live'", async ({ dir, backlog }) => {
  dir.append(alertLines('a', 3));
  const cursor = { identity: await identify(dir.alerts), offset: 0 };
  assert.is(await backlog.plan(cursor), 'live');
  renameSync(dir.alerts, `${dir.root}/elsewhere.json`);
  writeFileSync(dir.alerts, '');
  assert.is(await backlog.plan(cursor), 'missing');
  assert.is(await backlog.openNext(), undefined);
});

test.run();
