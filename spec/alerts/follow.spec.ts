// Specs for src/alerts/follow.ts (The alerts.json follower: lines by byte offset, through rotation, truncation and deletion, losing none).

import { createHash } from 'node:crypto';
import { appendFileSync, copyFileSync, linkSync, mkdirSync, renameSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { identify } from '../../src/alerts/file-identity.js';
import { follow, type Follower } from '../../src/alerts/follow.js';
import { END_OF_LINES, type LineRejection } from '../../src/alerts/source-line.js';
import { AlertsDir, alertLines } from '../helpers/alerts-dir.js';
import { captureLogRecords, type LogRecord } from '../helpers/capture-log.js';
import { eventually } from '../helpers/eventually.js';
import { settleFor, takeLines } from '../helpers/line-sources.js';

/** 50 ms: specs do not wait on the 250 ms default when fs.watch misses something. */
const POLL_MS = 50;
/** 200 ms: rotations here have no lagging writer; the wait is exercised, not the 5 s default. */
const ROTATE_WAIT_MS = 200;

interface Context {
  dir: AlertsDir;
  followers: Follower[];
  logs: LogRecord[];
  restoreLog: () => void;
}

const setup = (label: string) => {
  const test = suite<Context>(label);
  test.before.each((ctx) => {
    ctx.dir = new AlertsDir('follow');
    ctx.followers = [];
    const captured = captureLogRecords();
    ctx.logs = captured.records;
    ctx.restoreLog = captured.restore;
  });
  test.after.each(async (ctx) => {
    await Promise.all(ctx.followers.map((f) => f.close()));
    ctx.restoreLog();
    ctx.dir.remove();
  });
  return test;
};

const start = (ctx: Context, options: Parameters<typeof follow>[1] = {}): Follower => {
  const follower = follow(ctx.dir.alerts, { pollMs: POLL_MS, rotateWaitMs: ROTATE_WAIT_MS, ...options });
  ctx.followers.push(follower);
  return follower;
};

const texts = (lines: { text: string }[]) => lines.map((l) => l.text);
const warnings = (ctx: Context) => ctx.logs.filter((r) => r.level === 'warning');
const infos = (ctx: Context) => ctx.logs.filter((r) => r.level === 'info');

const reading = setup('Follower: reading lines');

reading('reads every line from the beginning with its byte offsets, then waits for appends', async (ctx) => {
  ctx.dir.startDay(1);
  ctx.dir.append(['first', 'second']);
  const follower = start(ctx, { startAt: 'beginning' });
  const [a, b] = await takeLines(follower, 2);
  assert.equal([a?.text, a?.start, a?.end], ['first', 0, 6]);
  assert.equal([b?.text, b?.start, b?.end], ['second', 6, 13]);
  const pending = follower.next();
  ctx.dir.append(['third']);
  const third = await pending;
  assert.ok(third !== END_OF_LINES);
  assert.equal([third.text, third.start, third.end, third.path], ['third', 13, 19, ctx.dir.alerts]);
});

reading("startAt 'end' skips what is there and reads a line being written at start whole", async (ctx) => {
  ctx.dir.startDay(1);
  ctx.dir.append(['old-1', 'old-2']);
  ctx.dir.appendRaw('{"being":');
  const follower = start(ctx, { startAt: 'end' });
  await follower.ready();
  const pending = takeLines(follower, 2);
  ctx.dir.appendRaw('"written"}\nnew\n');
  assert.equal(texts(await pending), ['{"being":"written"}', 'new']);
});

reading('never emits half a line: waits for the newline, keeps a UTF-8 character split across writes whole, drops CR of CRLF', async (ctx) => {
  ctx.dir.startDay(1);
  const follower = start(ctx, { startAt: 'beginning' });
  const pending = takeLines(follower, 2);
  const text = Buffer.from('{"user":"Zoë 🛡"}', 'utf8');
  const cut = text.indexOf(0xf0) + 2; // inside the 4-byte emoji
  ctx.dir.appendRaw(text.subarray(0, cut));
  await settleFor(30);
  ctx.dir.appendRaw(text.subarray(cut));
  await settleFor(30);
  ctx.dir.appendRaw('\r\nnext\n');
  const [first, second] = await pending;
  assert.equal(first?.text, '{"user":"Zoë 🛡"}');
  assert.is(first?.end, text.length + 2);
  assert.is(second?.text, 'next');
});

reading('emits every line across many small reads in order (chunk boundaries inside lines)', async (ctx) => {
  ctx.dir.startDay(1);
  const lines = alertLines('d1', 500);
  ctx.dir.append(lines);
  const follower = start(ctx, { startAt: 'beginning', chunkBytes: 37 });
  assert.equal(texts(await takeLines(follower, 500)), lines);
});

reading('several followers of one file each read every line at their own pace', async (ctx) => {
  ctx.dir.startDay(1);
  const lines = alertLines('d1', 300);
  ctx.dir.append(lines.slice(0, 100));
  const slow = start(ctx, { startAt: 'beginning' });
  const fast = start(ctx, { startAt: 'beginning' });
  assert.equal(texts(await takeLines(fast, 100)), lines.slice(0, 100));
  ctx.dir.append(lines.slice(100));
  assert.equal(texts(await takeLines(fast, 200)), lines.slice(100));
  assert.equal(texts(await takeLines(slow, 300)), lines);
});

reading('position() is where the next line starts: the end after ready(), after each line taken, none while the file is missing', async (ctx) => {
  const missing = start(ctx, { startAt: 'end' });
  await missing.ready();
  assert.is(missing.position(), undefined);
  ctx.dir.startDay(1);
  ctx.dir.append(['before']);
  const follower = start(ctx, { startAt: 'end' });
  await follower.ready();
  const at = follower.position();
  assert.equal([at?.offset, at?.path, at?.identity.ino], [7, ctx.dir.alerts, (await identify(ctx.dir.alerts)).ino]);
  ctx.dir.append(['after']);
  await takeLines(follower, 1);
  assert.is(follower.position()?.offset, 13);
});

reading("ready() fixes the start position before the first next(): 'end' is the end at that moment", async (ctx) => {
  ctx.dir.startDay(1);
  ctx.dir.append(['before']);
  const follower = start(ctx, { startAt: 'end' });
  await follower.ready();
  ctx.dir.append(['after-ready']);
  assert.equal(texts(await takeLines(follower, 1)), ['after-ready']);
});

reading('close() resolves a pending next() and every later one with END_OF_LINES', async (ctx) => {
  ctx.dir.startDay(1);
  const follower = start(ctx, { startAt: 'beginning' });
  const pending = follower.next();
  await settleFor(20);
  await follower.close();
  assert.is(await pending, END_OF_LINES);
  assert.is(await follower.next(), END_OF_LINES);
});

reading.run();

const overlong = setup('Follower: overlong lines');

overlong('skips a line over maxLineBytes, reports it once with offset, length, head and hash, and goes on', async (ctx) => {
  ctx.dir.startDay(1);
  const big = `{"x":"${'a'.repeat(5000)}"}`;
  ctx.dir.append(['before', big, 'after']);
  const rejected: LineRejection[] = [];
  const follower = start(ctx, { startAt: 'beginning', maxLineBytes: 100, chunkBytes: 256, onRejected: (r) => rejected.push(r) });
  assert.equal(texts(await takeLines(follower, 2)), ['before', 'after']);
  assert.is(rejected.length, 1);
  const [r] = rejected;
  assert.equal([r?.offset, r?.length, r?.head, r?.path, r?.maxLineBytes], [7, big.length, big, ctx.dir.alerts, 100]);
  assert.is(r?.sha256, createHash('sha256').update(big).digest('hex'));
  assert.is(r?.file.ino, (await identify(ctx.dir.alerts)).ino);
});

overlong('an overlong line written in pieces is still skipped whole, with only its first 64 KiB kept', async (ctx) => {
  ctx.dir.startDay(1);
  const rejected: LineRejection[] = [];
  const follower = start(ctx, { startAt: 'beginning', maxLineBytes: 1000, onRejected: (r) => rejected.push(r) });
  const pending = takeLines(follower, 1);
  const piece = 'b'.repeat(40_000);
  for (let i = 0; i < 3; i++) {
    ctx.dir.appendRaw(piece);
    await settleFor(10);
  }
  ctx.dir.appendRaw('\nok\n');
  assert.equal(texts(await pending), ['ok']);
  assert.is(rejected.length, 1);
  assert.is(rejected[0]?.length, 120_000);
  assert.is(rejected[0]?.head.length, 64 * 1024);
  assert.is(rejected[0]?.sha256, createHash('sha256').update('b'.repeat(120_000)).digest('hex'));
});

overlong('an onRejected handler that throws is logged and ignored', async (ctx) => {
  ctx.dir.startDay(1);
  ctx.dir.append(['x'.repeat(200), 'fine']);
  const follower = start(ctx, { startAt: 'beginning', maxLineBytes: 100, onRejected: () => { throw new Error('boom'); } });
  assert.equal(texts(await takeLines(follower, 1)), ['fine']);
  assert.ok(ctx.logs.some((r) => r.level === 'error' && r.message.includes('onRejected')));
});

overlong.run();

const rotation = setup('Follower: rotation, truncation, deletion');

rotation("Wazuh's daily hard-link rotation with a backlog: drains the old day, then the new day from 0, nothing lost or repeated", async (ctx) => {
  ctx.dir.startDay(1);
  const day1 = alertLines('d1', 2000);
  const day2 = alertLines('d2', 2000);
  ctx.dir.append(day1.slice(0, 1000));
  const follower = start(ctx, { startAt: 'beginning', chunkBytes: 4096 });
  const first = await takeLines(follower, 10);
  ctx.dir.append(day1.slice(1000));
  ctx.dir.startDay(2);
  ctx.dir.append(day2);
  const rest = await takeLines(follower, 3990);
  assert.equal(texts([...first, ...rest]), [...day1, ...day2]);
  assert.is(rest[1990]?.start, 0, 'day 2 is read from offset 0');
  assert.is.not(rest[1990]?.file.ino, rest[1989]?.file.ino);
});

rotation('hard-link rotation while the follower waits at the end of the old day', async (ctx) => {
  ctx.dir.startDay(1);
  ctx.dir.append(alertLines('d1', 3));
  const follower = start(ctx, { startAt: 'beginning' });
  await takeLines(follower, 3);
  const pending = takeLines(follower, 3);
  await settleFor(20);
  ctx.dir.startDay(2);
  ctx.dir.append(alertLines('d2', 3));
  const lines = await pending;
  assert.equal(texts(lines), alertLines('d2', 3));
  assert.is(lines[0]?.start, 0);
  assert.is.not(lines[0]?.file.ino, (await identify(ctx.dir.day(1))).ino);
});

rotation('rename + create (logrotate): the renamed file is drained, then the new one read from 0', async (ctx) => {
  writeFileSync(ctx.dir.alerts, '');
  const old = alertLines('old', 500);
  ctx.dir.append(old.slice(0, 250));
  const follower = start(ctx, { startAt: 'beginning', chunkBytes: 1024 });
  const first = await takeLines(follower, 5);
  ctx.dir.append(old.slice(250));
  renameSync(ctx.dir.alerts, `${ctx.dir.alerts}.1`);
  writeFileSync(ctx.dir.alerts, '');
  const fresh = alertLines('new', 500);
  ctx.dir.append(fresh);
  assert.equal(texts([...first, ...(await takeLines(follower, 995))]), [...old, ...fresh]);
});

rotation('a final line without newline in the replaced file is emitted when the new file takes over', async (ctx) => {
  ctx.dir.startDay(1);
  ctx.dir.append(['a']);
  ctx.dir.appendRaw('{"unterminated":true}');
  const follower = start(ctx, { startAt: 'beginning' });
  await takeLines(follower, 1);
  ctx.dir.startDay(2);
  ctx.dir.append(['b']);
  assert.equal(texts(await takeLines(follower, 2)), ['{"unterminated":true}', 'b']);
});

rotation('copytruncate (size below the offset): warns and reads the file again from 0', async (ctx) => {
  writeFileSync(ctx.dir.alerts, '');
  ctx.dir.append(alertLines('before', 20));
  const follower = start(ctx, { startAt: 'beginning' });
  await takeLines(follower, 20);
  copyFileSync(ctx.dir.alerts, `${ctx.dir.alerts}.1`);
  truncateSync(ctx.dir.alerts, 0);
  await settleFor(30);
  ctx.dir.append(alertLines('after', 2));
  const lines = await takeLines(follower, 2);
  assert.equal(texts(lines), alertLines('after', 2));
  assert.is(lines[0]?.start, 0);
  assert.ok(warnings(ctx).some((r) => r.message.includes('truncated')));
});

rotation('truncated and grown past the offset again before the follower looked: first bytes differ, read from 0', async (ctx) => {
  writeFileSync(ctx.dir.alerts, '');
  ctx.dir.append(alertLines('before', 3));
  const follower = start(ctx, { startAt: 'beginning' });
  await takeLines(follower, 3);
  const pending = takeLines(follower, 10);
  await settleFor(20);
  truncateSync(ctx.dir.alerts, 0);
  ctx.dir.append(alertLines('after', 10));
  assert.equal(texts(await pending), alertLines('after', 10));
});

rotation('delete, then re-create later: reads what the writer still appends to the deleted file, then the new one from 0', async (ctx) => {
  writeFileSync(ctx.dir.alerts, '');
  ctx.dir.append(['one']);
  const follower = start(ctx, { startAt: 'beginning' });
  await takeLines(follower, 1);
  const { openSync, writeSync, closeSync } = await import('node:fs');
  const writer = openSync(ctx.dir.alerts, 'a');
  const two = takeLines(follower, 1);
  unlinkSync(ctx.dir.alerts);
  await eventually(() => infos(ctx).some((r) => r.message.includes('removed')), 'the follower noticed the deletion');
  await eventually(() => warnings(ctx).some((r) => r.message.includes('still missing')), 'a warning once the name stays missing for 1 s');
  writeSync(writer, 'two\n');
  closeSync(writer);
  assert.equal(texts(await two), ['two']);
  const pending = takeLines(follower, 1);
  await settleFor(3 * POLL_MS);
  writeFileSync(ctx.dir.alerts, 'three\n');
  const [three] = await pending;
  assert.equal([three?.text, three?.start], ['three', 0]);
  assert.is(infos(ctx).filter((r) => r.message.includes('removed')).length, 1);
  assert.is(warnings(ctx).filter((r) => r.message.includes('still missing')).length, 1, 'warned once, not at every poll');
});

rotation("analysisd's daily rotation (unlink, then link a moment later) is an INFO, not a WARNING", async (ctx) => {
  ctx.dir.startDay(1);
  ctx.dir.append(alertLines('d1', 2));
  const follower = start(ctx, { startAt: 'beginning' });
  await takeLines(follower, 2);
  const pending = takeLines(follower, 2);
  const day2 = ctx.dir.day(2);
  mkdirSync(dirname(day2), { recursive: true });
  writeFileSync(day2, '');
  unlinkSync(ctx.dir.alerts);
  await eventually(() => infos(ctx).some((r) => r.message.includes('removed')), 'the follower saw the name missing');
  linkSync(day2, ctx.dir.alerts);
  ctx.dir.append(alertLines('d2', 2));
  assert.equal(texts(await pending), alertLines('d2', 2));
  assert.equal(warnings(ctx), [], 'no WARNING for a rotation');
});

rotation("file missing at start: one warning, then read from 0 once it appears (startAt 'end' too)", async (ctx) => {
  for (const startAt of ['end', 'beginning'] as const) {
    rmSync(ctx.dir.alerts, { force: true });
    const follower = start(ctx, { startAt });
    await follower.ready();
    const pending = takeLines(follower, 2);
    await settleFor(3 * POLL_MS);
    ctx.dir.append(['x', 'y']);
    assert.equal(texts(await pending), ['x', 'y'], startAt);
    await follower.close();
  }
  assert.is(warnings(ctx).filter((r) => r.message.includes('not found')).length, 2, 'one warning per follower');
});

rotation.run();

const behind = setup('Follower: behind by more than one rotation');

behind('two rename rotations (logrotate) while behind on the old file: its rest, then alerts.json.1, then the new alerts.json', async (ctx) => {
  writeFileSync(ctx.dir.alerts, '');
  const [a, b, c] = [alertLines('a', 300), alertLines('b', 300), alertLines('c', 300)];
  ctx.dir.append(a);
  const follower = start(ctx, { startAt: 'beginning', chunkBytes: 1024 });
  const first = await takeLines(follower, 5);
  ctx.dir.logrotate();
  ctx.dir.append(b);
  ctx.dir.logrotate();
  ctx.dir.append(c);
  const rest = await takeLines(follower, 895);
  assert.equal(texts([...first, ...rest]), [...a, ...b, ...c]);
  assert.equal([rest[295]?.path, rest[295]?.start], [ctx.dir.rotated(1), 0], 'the file between the rotations is read as alerts.json.1');
  ctx.dir.append(alertLines('c', 1, 300));
  assert.equal(texts(await takeLines(follower, 1)), alertLines('c', 1, 300), 'then it follows the new alerts.json');
});

behind('the old file compressed and deleted while it is drained (.2.gz): found by its head, then .1 and alerts.json', async (ctx) => {
  writeFileSync(ctx.dir.alerts, '');
  const [a, b, c] = [alertLines('a', 200), alertLines('b', 200), alertLines('c', 200)];
  ctx.dir.append(a);
  const follower = start(ctx, { startAt: 'beginning', chunkBytes: 1024 });
  const first = await takeLines(follower, 5);
  ctx.dir.logrotate();
  ctx.dir.append(b);
  ctx.dir.logrotate({ compress: true });
  ctx.dir.append(c);
  assert.equal(texts([...first, ...(await takeLines(follower, 595))]), [...a, ...b, ...c]);
});

behind("two Wazuh day changes while behind on day 1: day 1's rest, day 2, then day 3", async (ctx) => {
  ctx.dir.startDay(1);
  const [d1, d2, d3] = [alertLines('d1', 300), alertLines('d2', 300), alertLines('d3', 300)];
  ctx.dir.append(d1);
  const follower = start(ctx, { startAt: 'beginning', chunkBytes: 1024 });
  const first = await takeLines(follower, 5);
  ctx.dir.startDay(2);
  ctx.dir.append(d2);
  ctx.dir.startDay(3);
  ctx.dir.append(d3);
  const rest = await takeLines(follower, 895);
  assert.equal(texts([...first, ...rest]), [...d1, ...d2, ...d3]);
  assert.is(rest[295]?.path, ctx.dir.day(2));
});

behind('a cursor whose file is now alerts.json.2.gz: its rest (decompressed offsets), then .1, then alerts.json', async (ctx) => {
  writeFileSync(ctx.dir.alerts, '');
  const [a, b, c] = [alertLines('a', 50), alertLines('b', 20), alertLines('c', 20)];
  ctx.dir.append(a);
  const first = start(ctx, { startAt: 'beginning' });
  const read = await takeLines(first, 30);
  await first.close();
  ctx.dir.logrotate();
  ctx.dir.append(b);
  ctx.dir.logrotate({ compress: true });
  ctx.dir.append(c);
  const resumed = start(ctx, { startAt: { identity: read[29]!.file, offset: read[29]!.end } });
  const lines = await takeLines(resumed, 60);
  assert.equal(texts(lines), [...a.slice(30), ...b, ...c]);
  assert.equal([lines[0]?.path, lines[0]?.start], [ctx.dir.rotated(2, true), read[29]!.end]);
});

behind('another rotation while the rotated files of a cursor are read: each is found again by inode, none skipped or read twice', async (ctx) => {
  writeFileSync(ctx.dir.alerts, '');
  const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((tag) => alertLines(tag, 50));
  ctx.dir.append(a!);
  const identity = await identify(ctx.dir.alerts);
  ctx.dir.logrotate();
  ctx.dir.append(b!);
  ctx.dir.logrotate();
  ctx.dir.append(c!);
  // Planned: .2 (a), .1 (b), then alerts.json (c).
  const resumed = start(ctx, { startAt: { identity, offset: 0 }, chunkBytes: 256 });
  const first = await takeLines(resumed, 10);
  // Now a is .3 (open), b is .2, c is .1: the name .1 of the plan is c.
  ctx.dir.logrotate();
  ctx.dir.append(d!);
  const rest = await takeLines(resumed, 190);
  assert.equal(texts([...first, ...rest]), [...a!, ...b!, ...c!, ...d!]);
  assert.is(rest[40]?.path, ctx.dir.rotated(2), 'b read where it is now');
});

behind.run();

const errors = setup('Follower: I/O errors and cursors');

errors('never rejects on an unreadable path (a directory: EISDIR): warns once, retries, reads once it is a file', async (ctx) => {
  mkdirSync(ctx.dir.alerts);
  const follower = start(ctx, { startAt: 'beginning' });
  const pending = takeLines(follower, 1);
  await eventually(() => warnings(ctx).length > 0, 'a warning about the directory');
  await settleFor(3 * POLL_MS);
  rmSync(ctx.dir.alerts, { recursive: true });
  ctx.dir.append(['readable']);
  assert.equal(texts(await pending), ['readable']);
  // Between the removal and the append the path may briefly not exist (ENOENT): a different error, a second warning.
  const failures = warnings(ctx).filter((r) => r.message.includes('cannot read') && r['error'] === 'EISDIR');
  assert.is(failures.length, 1, 'one warning for the directory however many retries');
});

errors('a cursor in alerts.json continues at its offset', async (ctx) => {
  ctx.dir.startDay(1);
  const lines = alertLines('d1', 10);
  ctx.dir.append(lines);
  const first = start(ctx, { startAt: 'beginning' });
  const read = await takeLines(first, 4);
  const cursor = { identity: read[3]!.file, offset: read[3]!.end };
  const resumed = start(ctx, { startAt: cursor });
  assert.equal(texts(await takeLines(resumed, 6)), lines.slice(4));
});

errors("a cursor in yesterday's file: the rest of yesterday, then today once (today's archive IS alerts.json)", async (ctx) => {
  ctx.dir.startDay(1);
  ctx.dir.append(alertLines('d1', 10));
  const first = start(ctx, { startAt: 'beginning' });
  const read = await takeLines(first, 6);
  await first.close();
  ctx.dir.startDay(2);
  ctx.dir.append(alertLines('d2', 5));
  const resumed = start(ctx, { startAt: { identity: read[5]!.file, offset: read[5]!.end } });
  assert.equal(texts(await takeLines(resumed, 9)), [...alertLines('d1', 10).slice(6), ...alertLines('d2', 5)]);
  ctx.dir.append(alertLines('d2', 1, 5));
  assert.equal(texts(await takeLines(resumed, 1)), alertLines('d2', 1, 5));
});

errors('a cursor in a day compressed since: the rest of it from the .gz (decompressed offsets), then the newer days and alerts.json', async (ctx) => {
  ctx.dir.startDay(1);
  ctx.dir.append(alertLines('d1', 50));
  const first = start(ctx, { startAt: 'beginning' });
  const read = await takeLines(first, 20);
  await first.close();
  ctx.dir.startDay(2);
  ctx.dir.append(alertLines('d2', 5));
  ctx.dir.startDay(3);
  ctx.dir.append(alertLines('d3', 5));
  ctx.dir.compressDay(1);
  const resumed = start(ctx, { startAt: { identity: read[19]!.file, offset: read[19]!.end } });
  const lines = await takeLines(resumed, 40);
  assert.equal(texts(lines), [...alertLines('d1', 50).slice(20), ...alertLines('d2', 5), ...alertLines('d3', 5)]);
  assert.equal([lines[0]?.path, lines[0]?.start], [ctx.dir.day(1, 0, true), read[19]!.end]);
});

errors('a rotation while the archives of a cursor are read: the alerts.json planned against is drained, then the new day', async (ctx) => {
  ctx.dir.startDay(1);
  ctx.dir.append(alertLines('d1', 40));
  const identity = await identify(ctx.dir.alerts);
  ctx.dir.startDay(2);
  ctx.dir.append(alertLines('d2', 5));
  const resumed = start(ctx, { startAt: { identity, offset: 0 }, chunkBytes: 512 });
  const first = await takeLines(resumed, 10);
  ctx.dir.append(alertLines('d2', 5, 5));
  ctx.dir.startDay(3);
  ctx.dir.append(alertLines('d3', 5));
  const rest = await takeLines(resumed, 45);
  assert.equal(texts([...first, ...rest]), [...alertLines('d1', 40), ...alertLines('d2', 10), ...alertLines('d3', 5)]);
});

errors("a cursor whose file is gone: an ERROR naming it, then alerts.json from 0 (never from the end)", async (ctx) => {
  ctx.dir.startDay(1);
  ctx.dir.append(['gone']);
  const identity = await identify(ctx.dir.alerts);
  rmSync(ctx.dir.day(1));
  ctx.dir.startDay(2);
  ctx.dir.append(['kept-1', 'kept-2']);
  const resumed = start(ctx, { startAt: { identity, offset: 5, path: ctx.dir.day(1) } });
  assert.equal(texts(await takeLines(resumed, 2)), ['kept-1', 'kept-2']);
  const error = ctx.logs.find((r) => r.level === 'error');
  assert.ok(error, 'an error was logged');
  assert.is(error['path'], ctx.dir.day(1));
  assert.is(error['ino'], identity.ino);
});

errors('a cursor offset past the end of its file (truncated since): warns and reads from 0', async (ctx) => {
  ctx.dir.startDay(1);
  ctx.dir.append(['only']);
  const identity = await identify(ctx.dir.alerts);
  const resumed = start(ctx, { startAt: { identity, offset: 999 } });
  assert.equal(texts(await takeLines(resumed, 1)), ['only']);
  assert.ok(warnings(ctx).some((r) => r.message.includes('past the end')));
});

errors.run();
