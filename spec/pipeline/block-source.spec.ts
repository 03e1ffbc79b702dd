// Specs for src/pipeline/block-source.ts (Opens the line source of one block: alerts.json from its cursor (the daemon) or the files of a replay).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CursorStore } from '../../src/alerts/cursor-store.js';
import { RejectedLines } from '../../src/alerts/rejected-lines.js';
import { openBlockSource } from '../../src/pipeline/block-source.js';
import { createMetrics } from '../../src/telemetry/metrics.js';
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

open('replays files from their start once, with since/until, and reports progress; no cursor', async () => {
  const file = join(dir.home, 'copy.json');
  writeFileSync(file, `${[alertLine('R1', { timestamp: '2026-11-27T10:00:00.000+0000' }), alertLine('R2', { timestamp: '2026-11-28T10:00:00.000+0000' })].join('\n')}\n`);
  const opened = await openBlockSource(blockConfig(), { kind: 'replay', files: [file], since: new Date('2026-11-28T00:00:00Z') }, { metrics: createMetrics() });
  assert.is(opened.cursorKey, undefined);
  assert.equal(ids(await drainLines(opened.source)), ['R2']);
  assert.is(opened.replay?.progress().totalBytes, statSync(file).size);
});

open('follows alerts.json from its end without a cursor (Wazuh), or from its beginning when asked', async () => {
  dir.append([alertLine('OLD')]);
  const cursors = new CursorStore(join(dir.home, 'state'));
  const atEnd = await openBlockSource(blockConfig(), { kind: 'follow', alertsFile: dir.alerts, cursors, pollMs: 20 }, { metrics: createMetrics() });
  const fromStart = await openBlockSource(blockConfig({ index: 1, id: 'custom-b-0' }), { kind: 'follow', alertsFile: dir.alerts, cursors, pollMs: 20, withoutCursor: 'beginning' }, { metrics: createMetrics() });
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
  const first = await openBlockSource(blockConfig(), { kind: 'follow', alertsFile: dir.alerts, cursors, pollMs: 20, withoutCursor: 'beginning' }, { metrics: createMetrics() });
  const [c1] = await takeLines(first.source, 1);
  await first.source.close();
  assert.ok(c1);
  cursors.save(blockConfig().id, { identity: c1.file, path: c1.path, offset: c1.end });
  await cursors.flush();
  const log = captureLog(0);
  try {
    const again = await openBlockSource(blockConfig(), { kind: 'follow', alertsFile: dir.alerts, cursors, pollMs: 20 }, { metrics: createMetrics() });
    assert.equal(ids(await takeLines(again.source, 1)), ['C2']);
    await again.source.close();
  } finally {
    log.restore();
  }
  assert.match(log.text(), `INFO: Resuming 'custom-test' (block 0) from ${dir.alerts} at byte ${c1.end}.`);
});

open('counts an overlong line per block, records it once and warns once for all blocks', async () => {
  const long = alertLine('LONG').replace('spec alert LONG', 'x'.repeat(600));
  dir.append([long, alertLine('SHORT')]);
  const state = join(dir.home, 'state');
  const rejected = new RejectedLines(state);
  const metrics = createMetrics();
  const log = captureLog(0);
  try {
    for (const index of [0, 1]) {
      const opened = await openBlockSource(
        blockConfig({ index }),
        { kind: 'follow', alertsFile: dir.alerts, cursors: new CursorStore(state), pollMs: 20, withoutCursor: 'beginning' },
        { metrics, rejected, maxLineBytes: 400 },
      );
      assert.equal(ids(await takeLines(opened.source, 1)), ['SHORT']);
      await opened.source.close();
    }
  } finally {
    log.restore();
  }
  await rejected.close();
  const values = (await metrics.linesRejected.get()).values.map((v) => `${v.labels['block']}:${v.labels['reason']}=${v.value}`).sort();
  assert.equal(values, ['0:overlong=1', '1:overlong=1']);
  assert.is(log.lines.filter((l) => l.includes(`WARNING: Overlong JSON alert read from '${dir.alerts}'`)).length, 1);
  assert.is(readFileSync(rejected.path, 'utf8').trimEnd().split('\n').length, 1);
});

open.run();
