// The real daemon through a steady alert stream, SIGKILLed and restarted at seeded points; every duplicate accounted for.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { cursorKey, CursorStore } from '../../src/alerts/cursor-store.js';
import { generateAlert, seededRandom } from '../../bench/corpus.js';
import type { AlertsDir } from './alerts-dir.js';
import { DaemonProcess, type ProcessExit } from './daemon-process.js';
import type { Receipt, RecordingService } from './recording-service.js';
import { blockIdOf } from './block-config.js';
import { writeSteadily, type LineLedger, type SteadyWriteOptions } from './steady-writer.js';

/** One `<integration>` block of the run, told apart at the receiver by its path. */
export interface KilledBlock {
  readonly index: number;
  readonly name: string;
  readonly path: string;
}

export interface Kill {
  /** Lines written when the kill was decided. */
  readonly written: number;
  readonly runStartedAt: number;
  readonly killedAt: number;
  readonly restartedAt: number;
  /** Per block: the durable cursor the restart resumes from. */
  readonly cursors: readonly { readonly ino: number; readonly offset: number; readonly savedAt: number }[];
}

export interface KillRun {
  readonly kills: readonly Kill[];
  readonly ledger: LineLedger;
  readonly writeSeconds: number;
  /** From the first write until every block had every alert (or the deadline). */
  readonly caughtUpSeconds: number;
  /** The last daemon's exit on SIGTERM. */
  readonly exit: ProcessExit;
}

/** `count` seeded kill points, sorted, `gap` lines apart, within [2%, 90%] of `alerts` lines. */
export const killPoints = (random: () => number, alerts: number, count: number, gap: number): number[] => {
  const first = Math.floor(alerts * 0.02);
  const room = Math.floor(alerts * 0.9) - first - (count - 1) * gap;
  return Array.from({ length: count }, () => Math.floor(random() * room))
    .sort((a, b) => a - b)
    .map((p, i) => first + p + i * gap);
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `count` seeded corpus alerts as lines and ids, and the generator, which goes on to pick the kill points. */
export const alertsOf = (seed: number, count: number) => {
  const random = seededRandom(seed);
  const alerts = Array.from({ length: count }, (_, n) => generateAlert(random, n));
  return { random, lines: alerts.map((a) => JSON.stringify(a)), ids: alerts.map((a) => a['id'] as string) };
};

/** An ossec.conf of one webhook block per KilledBlock, each posting to its own path of `service`. */
export const writeKilledConfig = (dir: AlertsDir, service: RecordingService, blocks: readonly KilledBlock[], extra = ''): void =>
  writeFileSync(
    join(dir.home, 'etc', 'ossec.conf'),
    `<ossec_config>${blocks.map((b) => `<integration><name>${b.name}</name><hook_url>${service.url}${b.path}</hook_url>${extra}<alert_format>json</alert_format></integration>`).join('')}</ossec_config>`,
  );

/** The block's durable cursor as the killed daemon left it. */
const savedCursor = (home: string, block: KilledBlock, hookUrl: string) => {
  const file = new CursorStore(join(home, 'var', 'integratord')).pathOf(cursorKey({ id: blockIdOf(block.name, hookUrl) }));
  const saved = JSON.parse(readFileSync(file, 'utf8'));
  return { ino: saved.identity.ino as number, offset: saved.offset as number, savedAt: Date.parse(saved.updatedAt) };
};

/** Ids the receiver never got for a block. */
export const missingIds = (service: RecordingService, path: string, ids: readonly string[]): string[] => {
  const seen = new Set(service.of(path).map((r) => r.id));
  return ids.filter((id) => !seen.has(id));
};

/**
 * Starts `integratord run --home dir.home --http 127.0.0.1:0 --concurrency N`, writes `write.lines`
 * steadily (with its rotations), SIGKILLs and restarts the daemon once the writer passed each point
 * (kills not reached while writing hit the backlog afterwards), waits until every block received every
 * id (at most `catchUpMs`), then stops the last daemon with SIGTERM. Daemons left running are killed.
 */
export const runWithKills = async (options: {
  readonly dir: AlertsDir;
  readonly service: RecordingService;
  readonly blocks: readonly KilledBlock[];
  readonly points: readonly number[];
  readonly concurrency: number;
  readonly catchUpMs: number;
  readonly write: Omit<SteadyWriteOptions, 'dir' | 'onProgress'>;
}): Promise<KillRun> => {
  const { dir, service, blocks, points } = options;
  const daemons: DaemonProcess[] = [];
  try {
    const start = async () => {
      const daemon = new DaemonProcess(['run', '--home', dir.home, '--http', '127.0.0.1:0', '--concurrency', String(options.concurrency)]);
      daemons.push(daemon);
      await daemon.ready();
      return daemon;
    };
    let daemon = await start();
    let runStartedAt = Date.now();
    const kills: Kill[] = [];
    let killing: Promise<void> | undefined;
    const killAndRestart = async (written: number) => {
      const killedAt = Date.now();
      const exit = await daemon.stop('SIGKILL');
      assert.is(exit.signal, 'SIGKILL', `kill ${kills.length + 1}: the daemon died of SIGKILL`);
      const cursors = blocks.map((b) => savedCursor(dir.home, b, `${service.url}${b.path}`));
      const restartedAt = Date.now();
      kills.push({ written, runStartedAt, killedAt, restartedAt, cursors });
      runStartedAt = restartedAt;
      daemon = await start();
    };
    const maybeKill = (written: number) => {
      if (killing === undefined && kills.length < points.length && written >= points[kills.length]!) {
        killing = killAndRestart(written).finally(() => (killing = undefined));
      }
    };
    const started = Date.now();
    const ledger = await writeSteadily({ ...options.write, dir, onProgress: maybeKill });
    const writeSeconds = (Date.now() - started) / 1000;
    const total = options.write.lines.length;
    // A restart slower than the gap pushes the last kills past the end of writing: they still hit a daemon with a backlog.
    while (kills.length < points.length || killing !== undefined) {
      if (killing !== undefined) await killing;
      else maybeKill(total);
    }
    const deadline = Date.now() + options.catchUpMs;
    while (blocks.some((b) => missingIds(service, b.path, options.write.ids).length > 0) && Date.now() < deadline) await sleep(100);
    const caughtUpSeconds = (Date.now() - started) / 1000;
    const exit = await daemon.stop('SIGTERM');
    return { kills, ledger, writeSeconds, caughtUpSeconds, exit };
  } finally {
    await Promise.all(daemons.filter((d) => d.running).map((d) => d.stop('SIGKILL')));
  }
};

/** `a-000001..a-000007 (7)`: consecutive ledger indices folded into ranges. */
const ranges = (indices: readonly number[], ids: readonly string[]): string => {
  const sorted = [...indices].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? ids[sorted[i]!]! : `${ids[sorted[i]!]}..${ids[sorted[j]!]} (${j - i + 1})`);
    i = j + 1;
  }
  return parts.join(', ') || '-';
};

/*
 * The duplicate bound, per kill and block. A restart reads again from the block's durable cursor C:
 * the duplicates are the lines past C that had reached the receiver. C is the block's watermark (every
 * line before it settled, see lane.ts) as the cursor store last wrote it, at most once per
 * DEFAULT_FLUSH_MS = 100 ms (cursor-store.ts). So duplicates = A + B:
 * - A: lines past the watermark, already at the receiver, when C was taken: read but not settled in
 *   order, at most `window` (a reader never takes a block beyond `window` unsettled lines; at most the concurrency is sent
 *   at a time). Asserted ≤ window.
 * - B: lines settled after C was taken: the deliveries of the last flush interval (≤ 100 ms of the
 *   block's delivery rate), reported with the cursor's age at the kill. Not a fixed number: it is the
 *   cursor store's write throttle, a throughput trade-off (measured: 100 ms costs ~3% CPU, 0 ms doubles it).
 * And every duplicate received is one of these (asserted exactly): none from rotations or a clean stop.
 */
export const checkDuplicates = (run: KillRun, options: { readonly service: RecordingService; readonly blocks: readonly KilledBlock[]; readonly ids: readonly string[]; readonly window: number }): void => {
  const { ids, window } = options;
  const index = new Map(ids.map((id, i) => [id, i]));
  for (const b of options.blocks) {
    const receipts = options.service.of(b.path);
    const extra = receipts.length - new Set(receipts.map((r) => r.id)).size;
    let explained = 0;
    run.kills.forEach((kill, k) => {
      const cursor = kill.cursors[b.index]!;
      const resumeAt = run.ledger.indexAfter(cursor.ino, cursor.offset);
      // Received from the killed run (between its start and the restart) past the durable cursor: sent again by the restart.
      const fromRun = receipts.filter((r: Receipt) => r.at >= kill.runStartedAt && r.at < kill.restartedAt);
      const reread = new Map<number, number>();
      for (const r of fromRun) {
        const i = index.get(r.id ?? '');
        if (i !== undefined && i >= resumeAt) reread.set(i, Math.max(reread.get(i) ?? 0, r.at));
      }
      const beforeSave = [...reread].filter(([, at]) => at < cursor.savedAt).map(([i]) => i);
      const afterSave = [...reread].filter(([, at]) => at >= cursor.savedAt).map(([i]) => i);
      explained += reread.size;
      console.log(
        `    ${b.name} kill ${k + 1}: resumes at line ${resumeAt} (cursor saved ${kill.killedAt - cursor.savedAt} ms before the kill); ` +
          `${reread.size} duplicates = ${beforeSave.length} in the read-ahead window at that save + ${afterSave.length} settled after it: ${ranges([...reread.keys()], ids)}`,
      );
      // A: the receiver answers without failing, so no line is held back while many later ones settle past it.
      assert.ok(beforeSave.length <= window, `${b.name} kill ${k + 1}: ${beforeSave.length} duplicates read ahead of the saved cursor, window ${window}`);
    });
    console.log(`    ${b.name}: ${receipts.length} requests for ${ids.length} alerts: ${extra} duplicates, all explained by the kills (${explained})`);
    // Every duplicate is one of those re-reads; none comes from a rotation, a restart's start or the final stop.
    assert.is(extra, explained, `${b.name}: duplicates are exactly the lines delivered past the durable cursor of a killed run`);
  }
};
