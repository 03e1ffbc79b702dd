// The state directory on a 64 KiB filesystem, a service answering 503, 500 alerts: nothing is lost while it is full, all is dead-lettered once space returns.

import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { generateAlert, seededRandom } from '../../bench/corpus.js';
import { blockIdOf } from '../helpers/block-config.js';
import { AlertsDir } from '../helpers/alerts-dir.js';
import { DaemonProcess } from '../helpers/daemon-process.js';
import { webhookBlock, writeOssecConf } from '../helpers/ossec-conf.js';
import { parseMetrics, sumOf } from '../helpers/prometheus-text.js';
import { startRecordingService, type RecordingService } from '../helpers/recording-service.js';

/** The measurement of issue 13 item 6. */
const ALERTS = 500;
const FULL_SIZE = '64k';
const ROOMY_SIZE = '8m';
/** The block's read-ahead: `window` in Integrator#startBlock = max(64, concurrency × 16), default concurrency 4. */
const WINDOW = 64;
/** 150 s: the longest dead-letter retry wait (30 s) plus writing the backlog; only there so that a hang fails. */
const DEADLINE_MS = 150_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const until = async (condition: () => Promise<boolean> | boolean, what: string, ms = DEADLINE_MS): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`still waiting for: ${what}`);
    await sleep(200);
  }
};

/** The dead-letter lines: every one must be a whole JSON record (a half-written line fails here). */
const deadLetterIds = (file: string): string[] => {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  if (text === '') return [];
  assert.ok(text.endsWith('\n'), 'the dead-letter file never ends in a half-written line');
  return text
    .trimEnd()
    .split('\n')
    .map((line) => (JSON.parse(line) as { alert: { id: string } }).alert.id);
};

const test = suite('a full state disk');

test('holds every alert whose dead letter cannot be written, turns /healthz 503, and dead-letters all 500 once space returns', async () => {
  const dir = new AlertsDir('full-state');
  const state = join(dir.home, 'var', 'integratord');
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${FULL_SIZE},mode=0700`, 'tmpfs', state]);
  let service: RecordingService | undefined;
  let daemon: DaemonProcess | undefined;
  try {
    service = await startRecordingService({ answer: () => ({ status: 503, body: 'Service Unavailable' }) });
    writeOssecConf(dir.home, webhookBlock('custom-full', `${service.url}/hook`, '<retries>0</retries><timeout>2</timeout>'));
    dir.appendRaw('');
    // Automatic redrive off: a redrive that fails again counts in _dead_lettered_total again (documented), and this
    // spec counts each alert's first dead letter while the disk is full (its jittered first redrive can fall inside it).
    daemon = new DaemonProcess(['run', '--home', dir.home, '--http', '127.0.0.1:0', '--grace', '1', '--redrive-max-age', '0']);
    await daemon.ready();
    const running = daemon;

    const random = seededRandom(136);
    const alerts = Array.from({ length: ALERTS }, (_, n) => generateAlert(random, n));
    const ids = alerts.map((a) => a['id'] as string);
    // The byte offset just past each alert's line: a cursor at or past it says the alert is settled.
    const ends: number[] = [];
    let offset = 0;
    for (const a of alerts) ends.push((offset += Buffer.byteLength(JSON.stringify(a)) + 1));
    dir.append(alerts.map((a) => JSON.stringify(a)));
    const id = blockIdOf('custom-full', `${service.url}/hook`);
    const file = join(state, 'dead-letter', `${id}.jsonl`);
    const metric = async (name: string) => sumOf(parseMetrics(await running.metrics()), name, { block: '0' });

    // Full: the block pauses on its dead-letter writes and says so.
    await until(async () => (await metric('integratord_dead_letter_writes_blocked')) > 0, 'a dead-letter write fails');
    await until(async () => (await running.get('/healthz')).status === 503, '/healthz answers 503', 20_000);
    await sleep(3000);
    const written = deadLetterIds(file);
    assert.ok(written.length > 0 && written.length < ALERTS, `the disk filled up after ${written.length} dead letters`);
    assert.is(await metric('integratord_alerts_dead_lettered_total'), written.length, 'only written dead letters are counted');
    assert.ok((await metric('integratord_dead_letter_write_failures_total')) > 0);
    const read = await metric('integratord_lines_read_total');
    assert.ok(read <= written.length + WINDOW, `reading stopped at the window: ${read} lines read, ${written.length} settled`);
    const health = JSON.parse((await running.get('/healthz')).body) as { blocks: { deadLetterWritesBlocked?: number }[] };
    assert.ok((health.blocks[0]?.deadLetterWritesBlocked ?? 0) > 0, 'the block says why');
    const cursor = (JSON.parse(readFileSync(join(state, 'cursors', `${id}.json`), 'utf8')) as { offset: number }).offset;
    const settled = ends.filter((end) => end <= cursor).length;
    assert.ok(settled <= written.length, `the cursor (${settled} alerts) is never past an unwritten dead letter (${written.length} written)`);
    console.log(`\n  full state disk: ${written.length} dead letters written, then ${await metric('integratord_dead_letter_write_failures_total')} failed writes; ${read} lines read, cursor after ${settled} alerts`);

    // Space returns: the block resumes by itself.
    execFileSync('mount', ['-o', `remount,size=${ROOMY_SIZE}`, state]);
    const back = Date.now();
    await until(() => deadLetterIds(file).length >= ALERTS, `all ${ALERTS} dead letters written`);
    await until(async () => (await running.get('/healthz')).status === 200, '/healthz answers 200 again', 20_000);
    const all = deadLetterIds(file);
    assert.equal([...all].sort(), [...ids].sort(), 'every alert dead-lettered exactly once: none skipped, none twice');
    assert.is(await metric('integratord_alerts_dead_lettered_total'), ALERTS);
    assert.is(await metric('integratord_alerts_delivered_total'), 0);
    console.log(`  space back: all ${ALERTS} dead-lettered ${((Date.now() - back) / 1000).toFixed(1)} s later`);

    assert.is((await running.stop()).code, 0);
    assert.match(running.stderr, 'Cursors saved. Stopped.');
    const final = (JSON.parse(readFileSync(join(state, 'cursors', `${id}.json`), 'utf8')) as { offset: number }).offset;
    assert.is(final, statSync(dir.alerts).size, 'the cursor moved past every alert once each was dead-lettered');
  } finally {
    await daemon?.stop('SIGKILL').catch(() => undefined);
    await service?.close();
    execFileSync('umount', ['-l', state]);
    dir.remove();
  }
});

test.run();
