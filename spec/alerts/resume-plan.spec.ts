// Specs for src/alerts/resume-plan.ts (Where a cursor resumes: in alerts.json, or in a rotated archive followed by every newer one).

import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { identify } from '../../src/alerts/file-identity.js';
import { LiveFile } from '../../src/alerts/live-file.js';
import { planResume, type ResumePlan } from '../../src/alerts/resume-plan.js';
import { AlertsDir, alertLines } from '../helpers/alerts-dir.js';
import { settleFor } from '../helpers/line-sources.js';

const live = async (dir: AlertsDir) => ({ path: dir.alerts, identity: await identify(dir.alerts) });

const plan = suite<{ dir: AlertsDir }>('planResume');
plan.before.each((ctx) => {
  ctx.dir = new AlertsDir('resume');
});
plan.after.each((ctx) => ctx.dir.remove());

plan('the cursor file is alerts.json: continue there', async ({ dir }) => {
  dir.startDay(1);
  dir.append(alertLines('d1', 3));
  const cursor = { identity: await identify(dir.alerts), offset: 10 };
  dir.append(alertLines('d1', 3, 3));
  assert.equal(await planResume(cursor, await live(dir), dir.root), { kind: 'live' });
});

plan('alerts.json re-linked between opening it and planning: the open file (the cursor\'s) is still resumed in place', async ({ dir }) => {
  dir.startDay(2);
  dir.append(alertLines('d2', 30));
  const cursor = { identity: await identify(dir.alerts), offset: 100 };
  const open = await LiveFile.open(dir.alerts);
  try {
    // analysisd's day change lands right after the follower opened alerts.json.
    dir.startDay(3);
    dir.append(alertLines('d3', 3));
    const result = await planResume(cursor, { path: dir.alerts, identity: open.identity, matches: (id) => open.matches(id) }, dir.root);
    // Reading the name instead would see day 3, take day 2 for an archive to skip and read day 3, then day 2 from 0.
    assert.equal(result, { kind: 'live' });
  } finally {
    await open.close();
  }
});

plan('a day change between opening alerts.json and planning: the new day is not read before the open file (it is newer)', async ({ dir }) => {
  dir.startDay(1);
  dir.append(alertLines('d1', 30));
  const cursor = { identity: await identify(dir.alerts), offset: 100 };
  dir.startDay(2);
  dir.append(alertLines('d2', 3));
  const open = await LiveFile.open(dir.alerts);
  try {
    dir.startDay(3);
    dir.append(alertLines('d3', 3));
    const result = await planResume(cursor, { path: dir.alerts, identity: open.identity, matches: (id) => open.matches(id) }, dir.root);
    // Day 3 as a step would be read before day 2 (the open file, read next), then again once day 2 is drained.
    assert.ok(result.kind === 'archives');
    assert.equal(result.steps.map((s) => [s.path, s.offset]), [[dir.day(1), 100]]);
  } finally {
    await open.close();
  }
});

plan("a cursor in an older day: that day from the offset, the newer days from 0, never today's file (it is alerts.json)", async ({ dir }) => {
  dir.startDay(1);
  dir.append(alertLines('d1', 3));
  const cursor = { identity: await identify(dir.alerts), offset: 42 };
  dir.startDay(2);
  dir.append(alertLines('d2', 3));
  dir.startDay(2, 1);
  dir.append(alertLines('d2b', 3));
  dir.startDay(3);
  dir.append(alertLines('d3', 3));
  const result = await planResume(cursor, await live(dir), dir.root);
  assert.ok(result.kind === 'archives');
  assert.equal(result.steps.map((s) => [s.path, s.offset]), [[dir.day(1), 42], [dir.day(2), 0], [dir.day(2, 1), 0]]);
});

plan('a cursor in a day compressed since: found by fingerprint in the .gz (a new inode)', async ({ dir }) => {
  dir.startDay(1);
  dir.append(alertLines('d1', 30));
  const cursor = { identity: await identify(dir.alerts), offset: 500 };
  dir.startDay(2);
  dir.compressDay(1);
  const result = await planResume(cursor, await live(dir), dir.root);
  assert.ok(result.kind === 'archives');
  assert.equal(result.steps.map((s) => [s.path, s.offset]), [[dir.day(1, 0, true), 500]]);
  assert.is(result.steps[0]?.identity.fingerprint, cursor.identity.fingerprint);
});

plan('a cursor whose file is nowhere: missing', async ({ dir }) => {
  dir.startDay(1);
  dir.append(alertLines('d1', 3));
  const cursor = { identity: { dev: 1, ino: 999_999_999, fingerprint: '0'.repeat(32), fingerprintLength: 200 }, offset: 10 };
  assert.equal(await planResume(cursor, await live(dir), dir.root), { kind: 'missing' });
  assert.equal(await planResume(cursor, undefined, '/nonexistent'), { kind: 'missing' });
});

plan('the inode of a deleted file reused by another file is not taken for it (fingerprints differ)', async ({ dir }) => {
  dir.startDay(1);
  dir.append(alertLines('d1', 3));
  const identity = await identify(dir.alerts);
  const cursor = { identity: { ...identity, fingerprint: 'f'.repeat(32) }, offset: 10 };
  assert.equal(await planResume(cursor, await live(dir), dir.root), { kind: 'missing' });
});

plan.run();

const rotated = suite<{ dir: AlertsDir }>("planResume: logrotate's renamed alerts.json.N, compressed or not, and dateext");
rotated.before.each((ctx) => {
  ctx.dir = new AlertsDir('resume-logrotate');
  writeFileSync(ctx.dir.alerts, '');
});
rotated.after.each((ctx) => ctx.dir.remove());

const paths = (result: ResumePlan) => (result.kind === 'archives' ? result.steps.map((s) => [s.path, s.offset]) : result.kind);

rotated('a cursor in a file renamed twice since (now alerts.json.2): its rest, then .1, then alerts.json', async ({ dir }) => {
  dir.append(alertLines('a', 5));
  const cursor = { identity: await identify(dir.alerts), offset: 30 };
  dir.logrotate();
  dir.append(alertLines('b', 5));
  dir.logrotate();
  dir.append(alertLines('c', 5));
  assert.equal(paths(await planResume(cursor, await live(dir), dir.root)), [[dir.rotated(2), 30], [dir.rotated(1), 0]]);
});

rotated('a cursor in a file compressed after its renames (alerts.json.2.gz, a new inode): found by the decompressed head', async ({ dir }) => {
  dir.append(alertLines('a', 30));
  const cursor = { identity: await identify(dir.alerts), offset: 500 };
  dir.logrotate();
  dir.append(alertLines('b', 5));
  dir.logrotate({ compress: true });
  dir.append(alertLines('c', 5));
  dir.logrotate({ compress: true });
  const result = await planResume(cursor, await live(dir), dir.root);
  assert.equal(paths(result), [[dir.rotated(3, true), 500], [dir.rotated(2, true), 0], [dir.rotated(1), 0]]);
  assert.ok(result.kind === 'archives');
  assert.is(result.steps[0]?.identity.fingerprint, cursor.identity.fingerprint);
});

rotated("dateext names (alerts.json-YYYYMMDD[.gz]): by date, oldest first, a plain file's .gz twin left out", async ({ dir }) => {
  dir.append(alertLines('a', 5));
  const cursor = { identity: await identify(dir.alerts), offset: 10 };
  renameSync(dir.alerts, `${dir.alerts}-20261109`);
  dir.append(alertLines('b', 5));
  renameSync(dir.alerts, `${dir.alerts}-20261110`);
  writeFileSync(`${dir.alerts}-20261110.gz`, gzipSync(readFileSync(`${dir.alerts}-20261110`)));
  dir.append(alertLines('c', 5));
  renameSync(dir.alerts, `${dir.alerts}-20261111`);
  writeFileSync(`${dir.alerts}.bak`, 'not a rotation\n');
  dir.append(alertLines('d', 1));
  assert.equal(paths(await planResume(cursor, await live(dir), dir.root)), [
    [`${dir.alerts}-20261109`, 10],
    [`${dir.alerts}-20261110`, 0],
    [`${dir.alerts}-20261111`, 0],
  ]);
});

rotated("the issue's case: a Wazuh day change, then two renames: day 1, day 2 (also alerts.json.2: read once), .1, never alerts.json", async ({ dir }) => {
  dir.startDay(1);
  dir.append(alertLines('d1', 5));
  const inDay1 = { identity: await identify(dir.alerts), offset: 20 };
  dir.startDay(2);
  dir.append(alertLines('d2', 5));
  const inDay2 = { identity: await identify(dir.alerts), offset: 40 };
  await settleFor(20); // distinct mtimes for the two families, as hours apart would give
  dir.logrotate();
  dir.append(alertLines('x', 5));
  await settleFor(20);
  dir.logrotate();
  dir.append(alertLines('y', 5));
  const now = await live(dir);
  assert.equal(paths(await planResume(inDay1, now, dir.root)), [[dir.day(1), 20], [dir.day(2), 0], [dir.rotated(1), 0]]);
  const fromDay2 = paths(await planResume(inDay2, now, dir.root));
  assert.is(fromDay2.length, 2, 'day 2 once, under one of its two names');
  assert.equal(fromDay2[0]?.[1], 40);
  assert.equal(fromDay2[1], [dir.rotated(1), 0]);
});

rotated('a .gz made of a file already in the plan is not read twice', async ({ dir }) => {
  dir.startDay(1);
  dir.append(alertLines('d1', 30));
  const cursor = { identity: await identify(dir.alerts), offset: 20 };
  await settleFor(20);
  dir.logrotate();
  dir.append(alertLines('x', 5));
  await settleFor(20);
  dir.logrotate({ compress: true });
  dir.append(alertLines('y', 5));
  // Day 1 is now both logs/alerts/2026/Nov/ossec-alerts-01.json and alerts.json.2.gz.
  assert.equal(paths(await planResume(cursor, await live(dir), dir.root)), [[dir.day(1), 20], [dir.rotated(1), 0]]);
});

rotated("a cursor's file left only as two .gz copies (logrotate's .2.gz, Wazuh's day .gz compressed later): the files between are read, the copy once", async ({ dir }) => {
  dir.startDay(1);
  dir.append(alertLines('d1', 30));
  const cursor = { identity: await identify(dir.alerts), offset: 100 };
  await settleFor(20);
  dir.logrotate();
  dir.append(alertLines('x', 5));
  await settleFor(20);
  dir.logrotate({ compress: true });
  dir.append(alertLines('y', 5));
  await settleFor(20);
  dir.compressDay(1);
  const steps = paths(await planResume(cursor, await live(dir), dir.root));
  assert.is(steps.length, 2, 'day 1 once, then .1');
  assert.ok([dir.rotated(2, true), dir.day(1, 0, true)].includes(String(steps[0]?.[0])), 'day 1 from one of its copies');
  assert.equal([steps[0]?.[1], steps[1]], [100, [dir.rotated(1), 0]]);
});

rotated.run();
