// A block behind by more than one rotation (a day change and two logrotate renames): kill -9, a stopped daemon, a service down — no alert lost.

import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { AlertsDir } from '../helpers/alerts-dir.js';
import { DaemonProcess } from '../helpers/daemon-process.js';
import { alertsOf, checkDuplicates, killPoints, missingIds, runWithKills, writeKilledConfig, type KilledBlock } from '../helpers/kill-nine.js';
import { serviceAnswer, startRecordingService, type RecordingService } from '../helpers/recording-service.js';

const SEED = 20261201;
/** The measurement: 12,000 alerts, a day change, then two renames; 3,000 alerts in each file. */
const ALERTS = 12_000;
const PER_SECOND = 1000;
const BATCH = 20;
const DAY_CHANGE = [3000];
const RENAMES = [6000, 9000] as const;
const KILLS = 10;
const KILL_GAP = 800;
const CONCURRENCY = 4;
/** See checkDuplicates: the read-ahead window of a block, max(64, concurrency × 16). */
const WINDOW = Math.max(64, CONCURRENCY * 16);
/**
 * 8 ms per answer: with 4 requests in flight the slow block delivers at most 500 alerts/s, half the
 * write rate, so when the second rename happens (line 9,000, ~9 s) it is at most at line 4,500: in day 2
 * (alerts.json.2 by then) or day 1 — behind by more than one rotation, which is the case measured.
 */
const SLOW_MS = 8;
const BLOCKS: readonly KilledBlock[] = [
  { index: 0, name: 'custom-rotate-fast', path: '/fast' },
  { index: 1, name: 'custom-rotate-slow', path: '/slow' },
];
/** 180 s: the slow block's backlog (≥ 24 s at 500/s) plus ten restarts; only there so that a loss fails instead of hanging. */
const CATCH_UP_MS = 180_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));


/** Waits until `path` has received every id (2xx answers), at most `ms`. */
const deliveredAll = async (service: RecordingService, path: string, ids: readonly string[], ms: number) => {
  const deadline = Date.now() + ms;
  const missing = () => {
    const seen = new Set(service.of(path).filter((r) => r.status < 300).map((r) => r.id));
    return ids.filter((id) => !seen.has(id));
  };
  while (missing().length > 0 && Date.now() < deadline) await sleep(100);
  return missing();
};

/** Per id, how many 2xx answers the block got. */
const deliveriesPerId = (service: RecordingService, path: string) => {
  const counts = new Map<string | undefined, number>();
  for (const r of service.of(path)) if (r.status < 300) counts.set(r.id, (counts.get(r.id) ?? 0) + 1);
  return counts;
};

const test = suite('rename rotations while a block is behind');

test('kill -9 ten times through a day change and two renames: every alert reaches both blocks; duplicates are re-reads past the durable cursor', async () => {
  const dir = new AlertsDir('rename-kill9');
  const service = await startRecordingService({
    answer: (request) => ({ ...serviceAnswer(request), ...(request.url.startsWith('/slow') ? { delayMs: SLOW_MS } : {}) }),
  });
  try {
    dir.startDay(1);
    writeKilledConfig(dir, service, BLOCKS);
    const { random, lines, ids } = alertsOf(SEED, ALERTS);
    // Nine seeded kills before the second rename, and one right after it: that restart finds the slow
    // block's cursor file renamed twice (alerts.json.2) whatever the seed.
    const points = [...killPoints(random, RENAMES[1], KILLS - 1, KILL_GAP), RENAMES[1] + 600];
    const run = await runWithKills({
      dir,
      service,
      blocks: BLOCKS,
      points,
      concurrency: CONCURRENCY,
      catchUpMs: CATCH_UP_MS,
      write: { lines, ids, perSecond: PER_SECOND, batch: BATCH, rotateBefore: DAY_CHANGE, renameBefore: RENAMES },
    });

    for (const b of BLOCKS) assert.equal(missingIds(service, b.path, ids), [], `block ${b.name}: every alert received (none lost)`);
    assert.equal(run.exit, { code: 0, signal: null }, 'the last daemon stops cleanly on SIGTERM');

    // The case of the issue was met: a restart after both renames with the slow block's cursor in a file renamed twice since.
    const renamedTwice = new Set([run.ledger.lines[RENAMES[0]]!.ino, run.ledger.lines[RENAMES[1]]!.ino]);
    const behind = run.kills.filter((k) => k.written >= RENAMES[1] && !renamedTwice.has(k.cursors[1]!.ino));
    assert.ok(behind.length > 0, 'at least one restart resumed the slow block from a file older than both renames');
    console.log(
      `\n  rename rotations + kill -9: ${ALERTS} alerts at ${PER_SECOND}/s written in ${run.writeSeconds.toFixed(1)} s (day change at ${DAY_CHANGE}, renames at ${RENAMES.join(', ')}), ` +
        `${KILLS} SIGKILLs (seed ${SEED}) at lines ${run.kills.map((k) => k.written).join(', ')}; ${behind.length} restart(s) with the slow block behind both renames; all delivered after ${run.caughtUpSeconds.toFixed(1)} s`,
    );
    checkDuplicates(run, { service, blocks: BLOCKS, ids, window: WINDOW });
  } finally {
    await service.close();
    dir.remove();
  }
});

test('the daemon stopped through two renames (the older compressed) and a Wazuh compression, then started: the rest of each file once, in order', async () => {
  const dir = new AlertsDir('rename-stopped');
  const service = await startRecordingService();
  const block = BLOCKS[0]!;
  const daemons: DaemonProcess[] = [];
  const start = async () => {
    const daemon = new DaemonProcess(['run', '--home', dir.home]);
    daemons.push(daemon);
    await daemon.ready();
    return daemon;
  };
  try {
    dir.startDay(1);
    writeKilledConfig(dir, service, [block]);
    const { lines, ids } = alertsOf(SEED + 1, 2000);
    const part = (k: number) => lines.slice(k * 500, (k + 1) * 500);
    const first = await start();
    dir.append(part(0));
    assert.equal(await deliveredAll(service, block.path, ids.slice(0, 500), 60_000), [], 'before the stop');
    assert.equal((await first.stop('SIGTERM')).code, 0);
    // Down: day 1 grows, is renamed to .1, then .2 (gzipped: delaycompress), and Wazuh compresses its own day file.
    dir.append(part(1));
    dir.logrotate();
    dir.append(part(2));
    dir.logrotate({ compress: true });
    dir.append(part(3));
    dir.compressDay(1);
    const second = await start();
    assert.equal(await deliveredAll(service, block.path, ids, 60_000), [], 'every alert written while stopped is delivered');
    assert.equal((await second.stop('SIGTERM')).code, 0);
    const counts = deliveriesPerId(service, block.path);
    assert.equal(ids.filter((id) => counts.get(id) !== 1), [], 'each exactly once (clean stops save the cursor)');
    const order = service.of(block.path).map((r) => ids.indexOf(r.id ?? ''));
    assert.ok(order.slice(500).every((i, n, a) => n === 0 || i > a[n - 1]! - 4 * CONCURRENCY), 'files in order (within the concurrency window)');
  } finally {
    await Promise.all(daemons.filter((d) => d.running).map((d) => d.stop('SIGKILL')));
    await service.close();
    dir.remove();
  }
});

test("the block's service down (503) while alerts.json is renamed twice, then up: the running block drains the old file, then .1, then alerts.json", async () => {
  const dir = new AlertsDir('rename-outage');
  let down = false;
  const service = await startRecordingService({ answer: (request) => (down ? { status: 503, body: 'Service Unavailable' } : serviceAnswer(request)) });
  const block = BLOCKS[1]!;
  let daemon: DaemonProcess | undefined;
  try {
    dir.startDay(1);
    writeKilledConfig(dir, service, [block], '<timeout>2</timeout><retries>15</retries>');
    const { lines, ids } = alertsOf(SEED + 2, 2000);
    const part = (k: number) => lines.slice(k * 500, (k + 1) * 500);
    daemon = new DaemonProcess(['run', '--home', dir.home]);
    await daemon.ready();
    dir.append(part(0));
    assert.equal(await deliveredAll(service, block.path, ids.slice(0, 500), 60_000), [], 'before the outage');
    down = true;
    // The block can read only its window ahead of the failing deliveries: it stays on day 1's inode.
    dir.append(part(1));
    await sleep(500);
    dir.logrotate();
    dir.append(part(2));
    await sleep(500);
    dir.logrotate();
    dir.append(part(3));
    await sleep(2000);
    assert.ok(service.of(block.path).some((r) => r.status === 503), 'the outage was met');
    down = false;
    // Up to 15 s of backoff for the requests waiting to retry, then the backlog.
    assert.equal(await deliveredAll(service, block.path, ids, 120_000), [], 'every alert delivered after the outage (none skipped with the file between the renames)');
    const counts = deliveriesPerId(service, block.path);
    assert.equal(ids.filter((id) => counts.get(id) !== 1), [], 'each delivered once');
    assert.equal((await daemon.stop('SIGTERM')).code, 0);
  } finally {
    if (daemon?.running) await daemon.stop('SIGKILL');
    await service.close();
    dir.remove();
  }
});

test.run();
