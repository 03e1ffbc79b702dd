// Specs for src/alerts/resume-plan.ts (Where a cursor resumes: in alerts.json, or in a rotated archive followed by every newer one).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { identify } from '../../src/alerts/file-identity.js';
import { LiveFile } from '../../src/alerts/live-file.js';
import { planResume } from '../../src/alerts/resume-plan.js';
import { AlertsDir, alertLines } from '../helpers/alerts-dir.js';

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
