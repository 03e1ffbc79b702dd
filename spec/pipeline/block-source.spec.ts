// Specs for src/pipeline/block-source.ts: the follower of one block, from its cursor or where a block without one starts.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CursorStore } from '../../src/alerts/cursor-store.js';
import { RejectedLines } from '../../src/alerts/rejected-lines.js';
import { openBlockSource } from '../../src/pipeline/block-source.js';
import { alertLine } from '../helpers/alert-line.js';
import { AlertsDir } from '../helpers/alerts-dir.js';
import { blockConfig } from '../helpers/block-config.js';
import { captureLog } from '../helpers/capture-log.js';
import { drainLines, takeLines } from '../helpers/line-sources.js';

const ids = (lines: readonly { text: string }[]) => lines.map((l) => (JSON.parse(l.text) as { id: string }).id);

const open = suite('openBlockSource');
let dir: AlertsDir;
open.before.each(() => {
  dir = new AlertsDir('block-source');
});
open.after.each(() => dir.remove());

open('follows alerts.json from its end without a cursor (Wazuh), or from its beginning when asked', async () => {
  dir.append([alertLine('OLD')]);
  const cursors = new CursorStore(join(dir.home, 'state'));
  const atEnd = await openBlockSource(blockConfig(), { kind: 'follow', alertsFile: dir.alerts, cursors, pollMs: 20 }, { onRejected: () => undefined });
  const fromStart = await openBlockSource(blockConfig({ index: 1, id: 'custom-b-0' }), { kind: 'follow', alertsFile: dir.alerts, cursors, pollMs: 20, withoutCursor: 'beginning' }, { onRejected: () => undefined });
  try {
    assert.is(atEnd.cursorKey, blockConfig().id);
    assert.is(fromStart.cursorKey, 'custom-b-0');
    dir.append([alertLine('NEW')]);
    assert.equal(ids(await takeLines(atEnd.source, 1)), ['NEW']);
    assert.equal(ids(await takeLines(fromStart.source, 2)), ['OLD', 'NEW']);
  } finally {
    await Promise.all([atEnd.source.close(), fromStart.source.close()]);
  }
});

open("resumes from the block's saved cursor and says so", async () => {
  dir.append([alertLine('C1'), alertLine('C2')]);
  const cursors = new CursorStore(join(dir.home, 'state'));
  const first = await openBlockSource(blockConfig(), { kind: 'follow', alertsFile: dir.alerts, cursors, pollMs: 20, withoutCursor: 'beginning' }, { onRejected: () => undefined });
  const [c1] = await takeLines(first.source, 1);
  await first.source.close();
  assert.ok(c1);
  cursors.save(blockConfig().id, { identity: c1.file, path: c1.path, offset: c1.end });
  await cursors.flush();
  const log = captureLog(0);
  try {
    const again = await openBlockSource(blockConfig(), { kind: 'follow', alertsFile: dir.alerts, cursors, pollMs: 20 }, { onRejected: () => undefined });
    assert.equal(ids(await takeLines(again.source, 1)), ['C2']);
    await again.source.close();
  } finally {
    log.restore();
  }
  assert.match(log.text(), `INFO: Resuming 'custom-test' (block 0) from ${dir.alerts} at byte ${c1.end}.`);
});

/** A saved cursor after the first of two lines of alerts.json (read by a first follower). */
const cursorAfterFirst = async (cursors: CursorStore) => {
  dir.append([alertLine('C1'), alertLine('C2')]);
  const first = await openBlockSource(blockConfig(), { kind: 'follow', alertsFile: dir.alerts, cursors, pollMs: 20, withoutCursor: 'beginning' }, { onRejected: () => undefined });
  const [c1] = await takeLines(first.source, 1);
  await first.source.close();
  cursors.save(blockConfig().id, { identity: c1!.file, path: c1!.path, offset: c1!.end });
  await cursors.flush();
  return c1!;
};

open('a block that comes back (returning) resumes from its old cursor when alerts.json is still its file, and says so', async () => {
  const cursors = new CursorStore(join(dir.home, 'state'));
  const c1 = await cursorAfterFirst(cursors);
  const log = captureLog(0);
  try {
    const back = await openBlockSource(blockConfig(), { kind: 'follow', alertsFile: dir.alerts, cursors, pollMs: 20, withoutCursor: 'end', returning: true }, { onRejected: () => undefined });
    assert.equal(ids(await takeLines(back.source, 1)), ['C2']);
    await back.source.close();
  } finally {
    log.restore();
  }
  assert.match(log.text(), `INFO: 'custom-test' (block 0) is back: its cursor's file is still ${dir.alerts}; resuming from byte ${c1.end}`);
});

open('a block that comes back after a rotation starts at the end (not the old backlog), saves that start, and says so', async () => {
  const cursors = new CursorStore(join(dir.home, 'state'));
  await cursorAfterFirst(cursors);
  dir.logrotate();
  dir.append([alertLine('WHILE-AWAY')]);
  const log = captureLog(0);
  try {
    const back = await openBlockSource(blockConfig(), { kind: 'follow', alertsFile: dir.alerts, cursors, pollMs: 20, withoutCursor: 'end', returning: true }, { onRejected: () => undefined });
    assert.ok(back.start !== undefined, 'a start position to save, replacing the old cursor');
    dir.append([alertLine('NEW')]);
    assert.equal(ids(await takeLines(back.source, 1)), ['NEW']);
    await back.source.close();
  } finally {
    log.restore();
  }
  assert.match(log.text(), `INFO: 'custom-test' (block 0) is back: its cursor's file (${dir.alerts}) is no longer ${dir.alerts} (rotated or replaced since); starting at the end, as a new block.`);
  // Not returning (a daemon restart): the same cursor is followed into the rotated file.
  const restarted = await openBlockSource(blockConfig(), { kind: 'follow', alertsFile: dir.alerts, cursors, pollMs: 20 }, { onRejected: () => undefined });
  assert.equal(ids(await takeLines(restarted.source, 1)), ['C2']);
  await restarted.source.close();
});

open.run();
