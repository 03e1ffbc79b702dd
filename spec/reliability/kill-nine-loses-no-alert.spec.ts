// The daemon SIGKILLed 10 times during a 20k-alert stream with rotations: no alert lost, every duplicate a re-read past the saved cursor.

import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { AlertsDir } from '../helpers/alerts-dir.js';
import { alertsOf, checkDuplicates, killPoints, missingIds, runWithKills, writeKilledConfig } from '../helpers/kill-nine.js';
import { startRecordingService } from '../helpers/recording-service.js';

const SEED = 20261128;
const ALERTS = 20_000;
/** 1000 alerts/s in batches of 20: a busy manager; the stream lasts ~20 s, a restart ~0.6 s. */
const PER_SECOND = 1000;
const BATCH = 20;
const KILLS = 10;
/** Kill points are at least this many lines apart, so that each restarted daemon gets to work before the next kill. */
const KILL_GAP = 1200;
/** Three analysisd rotations (days 2, 3, 4). */
const ROTATE_BEFORE = [5000, 10_000, 15_000];
/** The daemon's default --concurrency. */
const CONCURRENCY = 4;
/** Lines a block reads ahead of their outcome: `window` in Integrator#startBlock = max(64, concurrency × 16). The duplicate bound: see checkDuplicates. */
const WINDOW = Math.max(64, CONCURRENCY * 16);
const BLOCKS = [
  { index: 0, name: 'custom-kill-a', path: '/a' },
  { index: 1, name: 'custom-kill-b', path: '/b' },
] as const;
/** 120 s: the last run catching up on its backlog; only there so that a loss fails instead of hanging. */
const CATCH_UP_MS = 120_000;

const test = suite('kill -9 during a stream');

test('delivers every alert at least once to each block through 10 SIGKILLs and 3 rotations; duplicates are re-reads past the durable cursor', async () => {
  const dir = new AlertsDir('kill9');
  const service = await startRecordingService();
  try {
    dir.startDay(1);
    writeKilledConfig(dir, service, BLOCKS);
    const { random, lines, ids } = alertsOf(SEED, ALERTS);
    const points = killPoints(random, ALERTS, KILLS, KILL_GAP);
    const run = await runWithKills({
      dir,
      service,
      blocks: BLOCKS,
      points,
      concurrency: CONCURRENCY,
      catchUpMs: CATCH_UP_MS,
      write: { lines, ids, perSecond: PER_SECOND, batch: BATCH, rotateBefore: ROTATE_BEFORE },
    });

    for (const b of BLOCKS) assert.equal(missingIds(service, b.path, ids), [], `block ${b.name}: every alert received (none lost)`);
    assert.equal(run.exit, { code: 0, signal: null }, 'the last daemon stops cleanly on SIGTERM');

    console.log(`\n  kill -9: ${ALERTS} alerts at ${PER_SECOND}/s written in ${run.writeSeconds.toFixed(1)} s, ${ROTATE_BEFORE.length} rotations, ${KILLS} SIGKILLs (seed ${SEED}) at lines ${run.kills.map((k) => k.written).join(', ')}; all delivered after ${run.caughtUpSeconds.toFixed(1)} s`);
    checkDuplicates(run, { service, blocks: BLOCKS, ids, window: WINDOW });
  } finally {
    await service.close();
    dir.remove();
  }
});

test.run();
