// Specs for src/alerts/rotated-files.ts (Every rotated alerts file, oldest first: Wazuh's daily archives and logrotate's renamed alerts.json).

import { mkdirSync, writeFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { listLogrotated, listRotatedFiles, mergeRotated, type RotatedFile } from '../../src/alerts/rotated-files.js';
import { AlertsDir, alertLines } from '../helpers/alerts-dir.js';
import { settleFor } from '../helpers/line-sources.js';

const names = suite<{ dir: AlertsDir }>("listLogrotated: logrotate's names for alerts.json");
names.before.each((ctx) => {
  ctx.dir = new AlertsDir('rotated-files');
});
names.after.each((ctx) => ctx.dir.remove());

names('numbered (highest first, .gz or not) and dateext (by stamp) families, each oldest first; other names left out', async ({ dir }) => {
  const base = dir.alerts;
  for (const suffix of ['.1', '.2.gz', '.10.gz', '.3', '.3.gz', '-20261110', '-20261109.gz', '-2026-11-08', '.bak', '.1.xz', '-old', 'x.1', '']) writeFileSync(`${base}${suffix}`, '');
  mkdirSync(`${base}.d`);
  const families = await listLogrotated(base);
  assert.equal(
    families.map((f) => f.map((file) => file.path.slice(base.length))),
    [['.10.gz', '.3', '.2.gz', '.1'], ['-2026-11-08', '-20261109.gz', '-20261110']],
  );
  assert.equal(families[0]!.map((f) => f.compressed), [true, false, true, false]);
  assert.equal(await listLogrotated(`${dir.root}/missing/alerts.json`), []);
});

names.run();

const file = (path: string, ino: number, mtimeMs: number): RotatedFile => ({ path, compressed: false, dev: 1, ino, mtimeMs });

const merge = suite('mergeRotated');

merge('interleaves families by last write, keeps each family in its own order, lists a file under two names once', () => {
  const wazuh = [file('day1', 1, 100), file('day2', 2, 200), file('day3', 3, 400)];
  const logrotate = [file('.2', 2, 200), file('.1', 4, 300)];
  assert.equal(mergeRotated([wazuh, logrotate]).map((f) => f.path), ['day1', 'day2', '.1', 'day3']);
  // A family whose order disagrees with its clocks keeps its order (names are trusted over mtimes).
  const skewed = [file('.3.gz', 5, 900), file('.2', 6, 100)];
  assert.equal(mergeRotated([skewed]).map((f) => f.path), ['.3.gz', '.2']);
  assert.equal(mergeRotated([]), []);
});

merge.run();

const all = suite<{ dir: AlertsDir }>('listRotatedFiles');
all.before.each((ctx) => {
  ctx.dir = new AlertsDir('rotated-files');
});
all.after.each((ctx) => ctx.dir.remove());

all("Wazuh's archives and logrotate's copies in one list; a day file renamed by logrotate (one inode) appears once", async ({ dir }) => {
  dir.startDay(1);
  dir.append(alertLines('d1', 2));
  dir.startDay(2);
  dir.append(alertLines('d2', 2));
  await settleFor(20);
  dir.logrotate();
  dir.append(alertLines('x', 2));
  await settleFor(20);
  dir.logrotate();
  dir.append(alertLines('y', 2));
  // alerts.json.2 is day 2 (listed as the archive), alerts.json.1 the file between the renames; alerts.json is not rotated.
  const listed = await listRotatedFiles(dir.root, dir.alerts);
  assert.equal(listed.map((f) => f.path), [dir.day(1), dir.day(2), dir.rotated(1)]);
  assert.equal((await listRotatedFiles(dir.root)).map((f) => f.path), [dir.day(1), dir.day(2)], 'without alertsPath: the archives only');
});

all.run();
