// Specs for src/alerts/rejected-lines.ts (STATE/rejected-lines.jsonl: every line that is not an alert, written once even when several blocks reject it).

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { FileIdentity } from '../../src/alerts/file-identity.js';
import { cutUtf8, fromOverlong, MAX_RECORDED_LINE_BYTES, RejectedLines, type RejectedLine, type RejectedLineRecord } from '../../src/alerts/rejected-lines.js';
import { captureLogRecords } from '../helpers/capture-log.js';
import { tempDirSync } from '../helpers/temp-dir.js';

const FILE: FileIdentity = { dev: 1, ino: 2, fingerprint: 'f'.repeat(32), fingerprintLength: 1024 };
const rejected = (offset: number, line = '{bad', reason: RejectedLine['reason'] = 'invalid-json'): RejectedLine => ({
  file: FILE,
  path: '/var/ossec/logs/alerts/alerts.json',
  offset,
  length: Buffer.byteLength(line),
  reason,
  detail: 'Unexpected end of JSON input',
  line,
});
const records = (path: string): RejectedLineRecord[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as RejectedLineRecord);

const at = () => new Date('2026-11-28T01:00:00.000Z');

const file = suite('RejectedLines');

file('appends {time, path, offset, length, reason, detail, line} to STATE/rejected-lines.jsonl', async () => {
  const { dir, remove } = tempDirSync('rejected');
  try {
    const sink = new RejectedLines(join(dir, 'state'), { now: at });
    assert.ok(sink.record(rejected(10)));
    assert.ok(sink.record(rejected(20, '[1]', 'not-an-object')));
    await sink.close();
    assert.equal(records(sink.path), [
      { time: '2026-11-28T01:00:00.000Z', path: '/var/ossec/logs/alerts/alerts.json', offset: 10, length: 4, reason: 'invalid-json', detail: 'Unexpected end of JSON input', line: '{bad' },
      { time: '2026-11-28T01:00:00.000Z', path: '/var/ossec/logs/alerts/alerts.json', offset: 20, length: 3, reason: 'not-an-object', detail: 'Unexpected end of JSON input', line: '[1]' },
    ]);
  } finally {
    remove();
  }
});

file('a line rejected by several blocks is written once; record says whether it was new', async () => {
  const { dir, remove } = tempDirSync('rejected');
  try {
    const sink = new RejectedLines(dir, { dedupeEntries: 2 });
    assert.equal([sink.record(rejected(1)), sink.record(rejected(1)), sink.record(rejected(1))], [true, false, false]);
    assert.not.ok(sink.record({ ...rejected(1), file: { ...FILE, fingerprint: 'short', fingerprintLength: 300 } }), 'another follower with a shorter fingerprint of the same file');
    assert.ok(sink.record({ ...rejected(1), file: { ...FILE, ino: 3 } }), 'same offset in another file is another line');
    sink.record(rejected(2));
    sink.record(rejected(3));
    assert.ok(sink.record(rejected(1)), 'forgotten once out of the bounded memory');
    await sink.close();
    assert.is(records(sink.path).length, 5);
  } finally {
    remove();
  }
});

file('a line over 64 KiB is cut at a character boundary, with the sha256 of the whole line', async () => {
  const { dir, remove } = tempDirSync('rejected');
  try {
    const sink = new RejectedLines(dir);
    const line = `${'x'.repeat(MAX_RECORDED_LINE_BYTES - 1)}é and more`;
    sink.record(rejected(0, line));
    await sink.close();
    const [record] = records(sink.path);
    assert.is(record?.line, 'x'.repeat(MAX_RECORDED_LINE_BYTES - 1));
    assert.is(record?.sha256, createHash('sha256').update(line).digest('hex'));
    assert.is(record?.length, Buffer.byteLength(line));
  } finally {
    remove();
  }
});

file('an overlong report keeps its head and the hash the follower computed', () => {
  const r = fromOverlong({ reason: 'overlong', file: FILE, path: '/p', offset: 5, length: 2_000_000, head: 'abc', sha256: 'h'.repeat(64), maxLineBytes: 1_048_576 });
  assert.equal([r.reason, r.line, r.sha256, r.length], ['overlong', 'abc', 'h'.repeat(64), 2_000_000]);
  assert.match(r.detail, /2000000 bytes.*1048576/);
});

file('creates the file 0600 and never appends alert lines through a symlink planted in its place', async () => {
  const { dir, remove } = tempDirSync('rejected');
  const logs = captureLogRecords();
  try {
    const fresh = new RejectedLines(join(dir, 'fresh'), { now: at });
    fresh.record(rejected(1));
    await fresh.close();
    assert.is(statSync(fresh.path).mode & 0o777, 0o600);
    const victim = join(dir, 'victim.conf');
    writeFileSync(victim, 'keep\n');
    symlinkSync(victim, join(dir, 'rejected-lines.jsonl'));
    const sink = new RejectedLines(dir, { now: at });
    sink.record(rejected(10));
    await sink.close();
    assert.is(readFileSync(victim, 'utf8'), 'keep\n');
    assert.ok(logs.records.some((r) => r.level === 'error' && r['error'] === 'ELOOP'), 'the refusal is logged');
  } finally {
    logs.restore();
    remove();
  }
});

file('a write failure is logged with the line position, never thrown', async () => {
  const { dir, remove } = tempDirSync('rejected');
  const log = captureLogRecords();
  try {
    writeFileSync(join(dir, 'state'), 'not a directory');
    const sink = new RejectedLines(join(dir, 'state'));
    assert.ok(sink.record(rejected(77)));
    await sink.close();
    const error = log.records.find((r) => r.level === 'error');
    assert.equal([error?.['offset'], error?.['reason']], [77, 'invalid-json']);
  } finally {
    log.restore();
    remove();
  }
});

file('past maxBytes the file is renamed to .1 (replacing the previous .1) and a new one begun: two files at most', async () => {
  const { dir, remove } = tempDirSync('rejected');
  const log = captureLogRecords();
  try {
    const state = join(dir, 'state');
    const sink = new RejectedLines(state, { now: at, maxBytes: 600 });
    for (let i = 0; i < 12; i++) sink.record(rejected(i * 100, `{bad ${'x'.repeat(50)}`));
    await sink.close();
    const offsets = (path: string) => records(path).map((r) => r.offset);
    const current = offsets(sink.path);
    const previous = offsets(`${sink.path}.1`);
    assert.ok(statSync(sink.path).size <= 600 && statSync(`${sink.path}.1`).size <= 600, 'each file within the cap');
    assert.equal([...previous, ...current], Array.from({ length: previous.length + current.length }, (_, i) => (12 - previous.length - current.length + i) * 100), 'the newest records, in order, none twice');
    assert.equal(readdirSync(state).sort(), ['rejected-lines.jsonl', 'rejected-lines.jsonl.1']);
    assert.ok(log.records.some((r) => r.level === 'info' && r.message.includes(`renamed to ${sink.path}.1`)));
    // A file already over the cap when opened (a restart) is rotated before the first write.
    const again = new RejectedLines(state, { now: at, maxBytes: 100 });
    again.record(rejected(5000));
    await again.close();
    assert.equal(offsets(sink.path), [5000]);
    assert.equal(offsets(`${sink.path}.1`), current);
  } finally {
    log.restore();
    remove();
  }
});

file('reopen() (SIGHUP) writes to a new file once the old one was moved away; nothing is lost', async () => {
  const { dir, remove } = tempDirSync('rejected');
  try {
    const sink = new RejectedLines(join(dir, 'state'), { now: at });
    sink.record(rejected(1));
    await sink.flush();
    const moved = join(dir, 'state', 'moved.jsonl');
    renameSync(sink.path, moved);
    sink.record(rejected(2));
    await sink.reopen();
    sink.record(rejected(3));
    await sink.close();
    assert.equal(records(moved).map((r) => r.offset), [1, 2], 'written to the moved file until the reopen');
    assert.equal(records(sink.path).map((r) => r.offset), [3]);
  } finally {
    remove();
  }
});

file('with a sink (a dry run) records go there and no file or directory is created', async () => {
  const { dir, remove } = tempDirSync('rejected');
  try {
    const printed: string[] = [];
    const sink = new RejectedLines(join(dir, 'state'), { now: at, sink: (r) => printed.push(r) });
    assert.ok(sink.record(rejected(10)));
    assert.not.ok(sink.record(rejected(10)), 'still once per line');
    await sink.close();
    assert.equal(printed.map((p) => (JSON.parse(p) as RejectedLineRecord).offset), [10]);
    assert.ok(printed.every((p) => p.endsWith('\n')));
    assert.equal(readdirSync(dir), []);
  } finally {
    remove();
  }
});

file('warns about new rejected lines at most once per interval, with a count of the others by reason', async () => {
  const { dir, remove } = tempDirSync('rejected');
  const log = captureLogRecords();
  try {
    const sink = new RejectedLines(join(dir, 'state'), { now: at, warnEveryMs: 60_000 });
    for (let i = 0; i < 50; i++) sink.record(rejected(i, '{bad', i % 5 === 0 ? 'not-an-object' : 'invalid-json'));
    sink.record(rejected(20)); // a line another block already recorded: no warning, no count
    await sink.close();
    const warnings = log.records.filter((r) => r.level === 'warning');
    assert.is(warnings.length, 2, JSON.stringify(warnings));
    assert.is(warnings[0]?.message, "Invalid JSON alert read from '/var/ossec/logs/alerts/alerts.json'");
    assert.is(warnings[1]?.message.startsWith('49 more lines that are not alerts'), true, warnings[1]?.message);
    assert.equal([warnings[1]?.['invalid-json'], warnings[1]?.['not-an-object']], [40, 9]);
  } finally {
    log.restore();
    remove();
  }
});

file.run();

const cut = suite('cutUtf8');

cut('keeps short text whole and never splits a multi-byte character', () => {
  assert.equal(cutUtf8('héllo', 100), { text: 'héllo', cut: false });
  assert.equal(cutUtf8('aé', 2), { text: 'a', cut: true });
  assert.equal(cutUtf8('a😀b', 4), { text: 'a', cut: true });
  assert.equal(cutUtf8('a😀b', 5), { text: 'a😀', cut: true });
});

cut.run();
