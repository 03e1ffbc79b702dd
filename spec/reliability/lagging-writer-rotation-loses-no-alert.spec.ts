// logrotate with a writer that reopens alerts.json 2 s after its postrotate signal: every alert of the old file and the new one is delivered (issue 19.2).

import { spawn, type ChildProcess } from 'node:child_process';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { AlertsDir } from '../helpers/alerts-dir.js';
import { DaemonProcess } from '../helpers/daemon-process.js';
import { alertsOf, missingIds, writeKilledConfig, type KilledBlock } from '../helpers/kill-nine.js';
import { startRecordingService } from '../helpers/recording-service.js';

const SEED = 20261208;
/** The measurement: 1,200 alerts, 401 of them lost before rotate-wait. */
const ALERTS = 1200;
/** 200 alerts/s: 6 s of writing; the rotation at line 400 (2 s), the reopen 2 s later (line ~800). */
const PER_SECOND = 200;
const ROTATE_AT = 400;
const REOPEN_MS = 2000;
/**
 * With a kill -9: 100 alerts/s (12 s of writing), and the writer reopens (SIGUSR2) 1 s after the restarted
 * daemon has caught up, so the restart meets the renamed file's end while it is still written.
 */
const KILLED_PER_SECOND = 100;
/** 60 s: writing (6 s) plus the 5 s rotate-wait and a restart; only there so that a loss fails instead of hanging. */
const DELIVERY_DEADLINE_MS = 60_000;
const WRITER = fileURLToPath(new URL('../helpers/lagging-writer.mjs', import.meta.url));
const BLOCK: KilledBlock = { index: 0, name: 'custom-lagging', path: '/lagging' };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The writer process, and the number of lines it has written (from its `written N` lines). */
const startWriter = (dir: AlertsDir, lines: readonly string[], perSecond: number, reopenMs: number | 'usr2') => {
  const linesFile = join(dir.home, 'lines.txt');
  writeFileSync(linesFile, `${lines.join('\n')}\n`);
  const child = spawn(process.execPath, [WRITER, dir.alerts, linesFile, String(perSecond), String(reopenMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const written = () => Number(/written (\d+)\n(?!.*written)/s.exec(out)?.[1] ?? 0);
  const reopenedAt = () => /reopened (\d+)/.exec(out)?.[1];
  return { child, exited, written, reopenedAt };
};

const until = async (condition: () => boolean, what: string, ms = DELIVERY_DEADLINE_MS) => {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await sleep(20);
  }
};

/** What logrotate does with `create` (rename, a new empty file) or without it (rename only). */
const rotate = (dir: AlertsDir, create: boolean) => {
  renameSync(dir.alerts, dir.rotated(1));
  if (create) writeFileSync(dir.alerts, '');
};

const test = suite('rotation with a writer that reopens late');

const scenario = async (label: string, options: { readonly create: boolean; readonly killDuringWait: boolean }) => {
  const dir = new AlertsDir(label);
  const service = await startRecordingService();
  const daemons: DaemonProcess[] = [];
  let writer: ChildProcess | undefined;
  const startDaemon = async () => {
    const daemon = new DaemonProcess(['run', '--home', dir.home]);
    daemons.push(daemon);
    await daemon.ready();
    return daemon;
  };
  try {
    writeFileSync(dir.alerts, '');
    writeKilledConfig(dir, service, [BLOCK]);
    const { lines, ids } = alertsOf(SEED, ALERTS);
    await startDaemon();
    const w = options.killDuringWait ? startWriter(dir, lines, KILLED_PER_SECOND, 'usr2') : startWriter(dir, lines, PER_SECOND, REOPEN_MS);
    writer = w.child;
    await until(() => w.written() >= ROTATE_AT, 'the writer reached the rotation point');
    // The daemon is at the end of the file (everything written until now delivered): it sees the new file at once.
    const reached = w.written();
    await until(() => missingIds(service, BLOCK.path, ids.slice(0, reached)).length === 0, 'the daemon caught up before the rotation');
    const rotatedAt = w.written();
    rotate(dir, options.create);
    writer.kill('SIGHUP');
    if (options.killDuringWait) {
      // While the writer still appends to alerts.json.1: the cursor is in the renamed file.
      await sleep(1000);
      await daemons.at(-1)!.stop('SIGKILL');
      await startDaemon();
      // The restarted daemon has caught up with the renamed file (it is at its end) while it is still written.
      const caughtUp = w.written();
      await until(() => missingIds(service, BLOCK.path, ids.slice(0, caughtUp)).length === 0, 'the restarted daemon caught up');
      await sleep(1000);
      assert.is(w.reopenedAt(), undefined, 'the writer has not reopened yet');
      writer.kill('SIGUSR2');
    }
    assert.is(await w.exited, 0, 'the writer wrote every line');
    const reopened = Number(w.reopenedAt());
    assert.ok(reopened - rotatedAt >= 100, `the writer appended ${reopened - rotatedAt} alerts to the renamed file after the rotation`);
    await until(() => missingIds(service, BLOCK.path, ids).length === 0, `every alert delivered (${missingIds(service, BLOCK.path, ids).length} missing)`).catch(() => undefined);
    assert.equal(missingIds(service, BLOCK.path, ids), [], 'no alert lost');
    if (!options.killDuringWait) {
      const counts = new Map<string | undefined, number>();
      for (const r of service.of(BLOCK.path)) counts.set(r.id, (counts.get(r.id) ?? 0) + 1);
      assert.equal(ids.filter((id) => counts.get(id) !== 1), [], 'each delivered once');
    }
    assert.equal((await daemons.at(-1)!.stop('SIGTERM')).code, 0);
    console.log(`\n  ${label}: ${ALERTS} alerts at ${options.killDuringWait ? KILLED_PER_SECOND : PER_SECOND}/s, rotation at ${rotatedAt}, writer reopened at ${reopened}: ${ALERTS - missingIds(service, BLOCK.path, ids).length} delivered, 0 lost`);
  } finally {
    writer?.kill('SIGKILL');
    await Promise.all(daemons.filter((d) => d.running).map((d) => d.stop('SIGKILL')));
    await service.close();
    dir.remove();
  }
};

test('logrotate create + a writer that reopens 2 s after SIGHUP: 1,200 alerts, 0 lost, each once', () => scenario('lagging-create', { create: true, killDuringWait: false }));

test('a rename without create (the writer creates the name when it reopens): 0 lost, each once', () => scenario('lagging-rename', { create: false, killDuringWait: false }));

test('kill -9 of the daemon 1 s after the rotation while the writer still appends to the renamed file, then a restart: 0 lost', () => scenario('lagging-kill', { create: true, killDuringWait: true }));

test.run();
