// Specs for src/alerts/replay-source.ts (Reads given alert files once from the start (plain or .gz, archives in date order) for `replay`).

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { alertTime, ReplaySource, replayOrder } from '../../src/alerts/replay-source.js';
import { END_OF_LINES, type LineRejection } from '../../src/alerts/source-line.js';
import { AlertsDir, alertLines } from '../helpers/alerts-dir.js';
import { captureLogRecords } from '../helpers/capture-log.js';
import { drainLines } from '../helpers/line-sources.js';
import { tempDirSync } from '../helpers/temp-dir.js';

const at = (minute: number, id: string) => `{"timestamp":"2026-11-01T00:${String(minute).padStart(2, '0')}:00.000+0000","rule":{"level":3},"id":"${id}"}`;
const texts = (lines: { text: string }[]) => lines.map((l) => l.text);

const order = suite('replayOrder / alertTime');

order('Wazuh archive names are read in date order; any other list in the order given', () => {
  assert.equal(replayOrder(['r/2026/Feb/ossec-alerts-01.json', 'r/2025/Dec/ossec-alerts-31.json.gz', 'r/2026/Feb/ossec-alerts-01-001.json']), [
    'r/2025/Dec/ossec-alerts-31.json.gz',
    'r/2026/Feb/ossec-alerts-01.json',
    'r/2026/Feb/ossec-alerts-01-001.json',
  ]);
  assert.equal(replayOrder(['b.json', 'r/2025/Dec/ossec-alerts-31.json', 'a.json']), ['b.json', 'r/2025/Dec/ossec-alerts-31.json', 'a.json']);
});

order("alertTime reads analysisd's leading timestamp, else the parsed field, else NaN", () => {
  assert.is(alertTime(at(5, 'x')), Date.parse('2026-11-01T00:05:00.000Z'));
  assert.is(alertTime('{"rule":{},"timestamp":"2026-11-01T01:00:00.000+0100"}'), Date.parse('2026-11-01T00:00:00.000Z'));
  for (const text of ['{"rule":{}}', 'not json', '{"timestamp":"yesterday"}', '{"timestamp":12}']) assert.ok(Number.isNaN(alertTime(text)), text);
});

order.run();

const replay = suite<{ dir: AlertsDir }>('ReplaySource');
replay.before.each((ctx) => {
  ctx.dir = new AlertsDir('replay');
});
replay.after.each((ctx) => ctx.dir.remove());

replay('reads plain and .gz archives once, oldest first, with decompressed offsets, then ends', async ({ dir }) => {
  dir.startDay(1);
  dir.append(alertLines('d1', 300));
  dir.startDay(2);
  dir.append(alertLines('d2', 300));
  dir.startDay(3);
  dir.compressDay(1);
  const source = new ReplaySource([dir.day(2), dir.day(1, 0, true)], { chunkBytes: 1000 });
  const lines = await drainLines(source);
  assert.equal(texts(lines), [...alertLines('d1', 300), ...alertLines('d2', 300)]);
  assert.equal([lines[1]?.path, lines[1]?.start], [dir.day(1, 0, true), lines[0]?.end]);
  assert.is(await source.next(), END_OF_LINES);
  const progress = source.progress();
  assert.equal([progress.lines, progress.files, progress.filesDone, progress.filesFailed], [600, 2, 2, 0]);
  assert.is(progress.bytes, progress.totalBytes);
});

replay('since/until keep since ≤ timestamp < until; lines without a readable timestamp pass', async () => {
  const { dir, remove } = tempDirSync('replay');
  try {
    const path = join(dir, 'alerts.json');
    writeFileSync(path, `${[at(1, 'a'), at(2, 'b'), '{"rule":{},"id":"no-time"}', at(3, 'c'), 'garbage', at(4, 'd')].join('\n')}\n`);
    const source = new ReplaySource([path], { since: new Date('2026-11-01T00:02:00Z'), until: new Date('2026-11-01T00:04:00Z') });
    assert.equal(texts(await drainLines(source)), [at(2, 'b'), '{"rule":{},"id":"no-time"}', at(3, 'c'), 'garbage']);
    assert.is(source.progress().skipped, 2);
  } finally {
    remove();
  }
});

replay('rate 10/s: after the first line, each line waits 100 ms on the (fake) clock', async () => {
  const { dir, remove } = tempDirSync('replay');
  try {
    const path = join(dir, 'alerts.json');
    writeFileSync(path, `${alertLines('r', 12).join('\n')}\n`);
    let now = 0;
    const sleeps: number[] = [];
    const clock = {
      now: () => now,
      sleep: async (ms: number) => {
        sleeps.push(Math.round(ms));
        now += ms;
      },
    };
    const source = new ReplaySource([path], { rate: 10, clock });
    assert.is((await drainLines(source)).length, 12);
    assert.equal(sleeps, Array(11).fill(100));
  } finally {
    remove();
  }
});

replay('a missing or corrupt file is logged as an error and skipped; the others are read; never rejects', async () => {
  const { dir, remove } = tempDirSync('replay');
  const log = captureLogRecords();
  try {
    writeFileSync(join(dir, 'good.json'), 'one\ntwo');
    writeFileSync(join(dir, 'bad.json.gz'), gzipSync('kept\n').subarray(0, 12));
    mkdirSync(join(dir, 'a-directory.json'));
    const source = new ReplaySource([join(dir, 'missing.json'), join(dir, 'bad.json.gz'), join(dir, 'a-directory.json'), join(dir, 'good.json')]);
    assert.equal(texts(await drainLines(source)), ['one', 'two']);
    assert.is(source.progress().filesFailed, 3);
    assert.is(log.records.filter((r) => r.level === 'error').length, 3);
  } finally {
    log.restore();
    remove();
  }
});

replay('overlong lines are reported and skipped; close() ends it early', async () => {
  const { dir, remove } = tempDirSync('replay');
  try {
    const path = join(dir, 'alerts.json');
    writeFileSync(path, `short\n${'x'.repeat(500)}\nafter\nmore\n`);
    const rejected: LineRejection[] = [];
    const source = new ReplaySource([path], { maxLineBytes: 100, onRejected: (r) => rejected.push(r) });
    const first = await source.next();
    const second = await source.next();
    assert.equal([first !== END_OF_LINES && first.text, second !== END_OF_LINES && second.text], ['short', 'after']);
    assert.equal(rejected.map((r) => [r.offset, r.length, r.path]), [[6, 500, path]]);
    await source.close();
    assert.is(await source.next(), END_OF_LINES);
  } finally {
    remove();
  }
});

replay.run();
