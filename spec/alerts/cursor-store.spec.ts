// Specs for src/alerts/cursor-store.ts (One durable cursor per <integration> block in STATE/cursors/<block id>.json, written atomically and throttled).

import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CursorStore, cursorKey, cursorScope, legacyCursorKey, type CursorPosition } from '../../src/alerts/cursor-store.js';
import { captureLogRecords, type LogRecord } from '../helpers/capture-log.js';
import { eventually } from '../helpers/eventually.js';
import { settleFor } from '../helpers/line-sources.js';
import { tempDirSync } from '../helpers/temp-dir.js';

const position = (offset: number): CursorPosition => ({
  identity: { dev: 2049, ino: 1234, fingerprint: 'a'.repeat(32), fingerprintLength: 1024 },
  path: '/var/ossec/logs/alerts/alerts.json',
  offset,
});

interface Context {
  state: string;
  remove: () => void;
  logs: LogRecord[];
  restoreLog: () => void;
}

const store = suite<Context>('CursorStore');
store.before.each((ctx) => {
  const { dir, remove } = tempDirSync('cursors');
  ctx.state = dir;
  ctx.remove = remove;
  const captured = captureLogRecords();
  ctx.logs = captured.records;
  ctx.restoreLog = captured.restore;
});
store.after.each((ctx) => {
  ctx.restoreLog();
  ctx.remove();
});

store("cursorKey is the block's id; legacyCursorKey the <index>-<name> of older versions", () => {
  assert.is(cursorKey({ id: 'slack-1a2b3c4d' }), 'slack-1a2b3c4d');
  assert.is(legacyCursorKey(0, 'slack'), '0-slack');
  assert.is(legacyCursorKey(3, 'custom-a/b c'), '3-custom-a_b_c');
  assert.is(legacyCursorKey(1, '../..'), '1-.._..');
  assert.is(legacyCursorKey(2, 'x'.repeat(500)).length, 102);
});

store('cursorScope: none for the default alerts.json, 12 hex of sha256(absolute path) for another file', () => {
  const main = '/var/ossec/logs/alerts/alerts.json';
  assert.is(cursorScope(main, main), undefined);
  assert.is(cursorScope('/var/ossec/logs/alerts/../alerts/alerts.json', main), undefined, 'the same file spelled otherwise');
  assert.is(cursorScope('/tmp/other.json', main), createHash('sha256').update('/tmp/other.json').digest('hex').slice(0, 12));
  assert.is(cursorScope('other.json', main), cursorScope(join(process.cwd(), 'other.json'), main), 'relative paths are made absolute');
});

store('removeLeftovers removes the temp files a kill -9 left in cursors/ and its scopes, keeps the cursors, and says so', async (ctx) => {
  const scoped = join(ctx.state, 'cursors', 'abcdef012345');
  mkdirSync(scoped, { recursive: true });
  const temps = [join(ctx.state, 'cursors', '.slack-1a2b3c4d.json.0123456789abcdef.tmp'), join(scoped, '.slack-1a2b3c4d.json.fedcba9876543210.tmp')];
  for (const temp of temps) writeFileSync(temp, '{"version":1,"off');
  writeFileSync(join(scoped, 'slack-1a2b3c4d.json'), '{}');
  await CursorStore.removeLeftovers(ctx.state);
  assert.equal(readdirSync(join(ctx.state, 'cursors')), ['abcdef012345']);
  assert.equal(readdirSync(scoped), ['slack-1a2b3c4d.json']);
  assert.is(ctx.logs.filter((r) => r.message.startsWith('Removed 1 cursor temp file(s)')).length, 2);
  await CursorStore.removeLeftovers(join(ctx.state, 'nowhere'));
});

store('a scoped store keeps its cursors in STATE/cursors/<scope>/, apart from the default ones', async ({ state }) => {
  const plain = new CursorStore(state);
  const scoped = new CursorStore(state, { scope: 'abcdef012345' });
  plain.save('slack-1a2b3c4d', position(10));
  scoped.save('slack-1a2b3c4d', position(99));
  await Promise.all([plain.flush(), scoped.flush()]);
  assert.is(scoped.pathOf('slack-1a2b3c4d'), join(state, 'cursors', 'abcdef012345', 'slack-1a2b3c4d.json'));
  assert.is((await plain.load('slack-1a2b3c4d'))?.offset, 10);
  assert.is((await scoped.load('slack-1a2b3c4d'))?.offset, 99);
});

store('save then flush writes {version, identity, path, offset, updatedAt} that load reads back', async ({ state }) => {
  const cursors = new CursorStore(state);
  cursors.save('0-slack', position(100));
  cursors.save('0-slack', position(250));
  await cursors.flush();
  const loaded = await cursors.load('0-slack');
  assert.equal({ ...loaded, updatedAt: undefined }, { version: 1, ...position(250), updatedAt: undefined });
  assert.match(String(loaded?.updatedAt), /^\d{4}-\d\d-\d\dT/);
  assert.equal(readdirSync(join(state, 'cursors')), ['0-slack.json'], 'no temp file left behind');
});

store('writes at most once per flushMs per block: saves in between only move the pending position', async ({ state }) => {
  const cursors = new CursorStore(state, { flushMs: 60_000 });
  cursors.save('1-pagerduty', position(1));
  // Written at once: waited for (not a fixed sleep), so a loaded machine cannot fail it.
  await eventually(async () => (await cursors.load('1-pagerduty'))?.offset === 1, 'the first save is written at once');
  for (let offset = 2; offset <= 50; offset++) cursors.save('1-pagerduty', position(offset));
  await settleFor(30);
  assert.is((await cursors.load('1-pagerduty'))?.offset, 1, 'later saves wait for the interval');
  await cursors.flush();
  assert.is((await cursors.load('1-pagerduty'))?.offset, 50, 'flush writes the latest');
});

store('blocks have separate files and separate throttles', async ({ state }) => {
  const cursors = new CursorStore(state, { flushMs: 60_000 });
  cursors.save('0-a', position(10));
  cursors.save('1-b', position(20));
  await eventually(async () => (await cursors.load('0-a'))?.offset === 10 && (await cursors.load('1-b'))?.offset === 20, 'both first saves written at once');
  await cursors.flush();
});

store('load: undefined without a file (silently), and for a corrupt or unreadable one (with a warning)', async (ctx) => {
  const cursors = new CursorStore(ctx.state);
  assert.is(await cursors.load('0-none'), undefined);
  assert.is(ctx.logs.length, 0);
  mkdirSync(join(ctx.state, 'cursors'));
  writeFileSync(cursors.pathOf('0-torn'), '{"version":1,"ident');
  writeFileSync(cursors.pathOf('0-wrong'), JSON.stringify({ version: 2, offset: 1 }));
  writeFileSync(cursors.pathOf('0-negative'), JSON.stringify({ version: 1, ...position(-5) }));
  mkdirSync(cursors.pathOf('0-dir'));
  for (const key of ['0-torn', '0-wrong', '0-negative', '0-dir']) assert.is(await cursors.load(key), undefined, key);
  assert.is(ctx.logs.filter((r) => r.level === 'warning').length, 4);
});

store('a failed write is logged, never thrown, and retried by the next flush', async (ctx) => {
  writeFileSync(join(ctx.state, 'cursors'), 'a file where the directory should be');
  const cursors = new CursorStore(ctx.state);
  cursors.save('0-a', position(7));
  cursors.save('1-b', position(3));
  const failed = await cursors.flush();
  assert.ok(ctx.logs.some((r) => r.level === 'warning' && r.message.includes('cannot save')));
  assert.equal(
    failed.unsaved.map((u) => [u.key, u.offset, u.path, u.error]),
    [
      ['0-a', 7, cursors.pathOf('0-a'), 'EEXIST'],
      ['1-b', 3, cursors.pathOf('1-b'), 'EEXIST'],
    ],
    'flush says which cursors were not written',
  );
  const { rmSync } = await import('node:fs');
  rmSync(join(ctx.state, 'cursors'));
  assert.equal(await cursors.flush(), { unsaved: [] }, 'and that every one is, once they are');
  assert.is((await cursors.load('0-a'))?.offset, 7);
});

store('a symlink planted at the predictable temp name or at the cursor is never written through', async ({ state }) => {
  const victim = join(state, 'victim.conf');
  writeFileSync(victim, 'root-owned: keep\n');
  const cursors = new CursorStore(state, { flushMs: 0 });
  mkdirSync(join(state, 'cursors'));
  // The temp names the store used to open with 'w': <file>.<pid>.<n>.tmp.
  for (let n = 1; n <= 3; n++) symlinkSync(victim, `${cursors.pathOf('0-a')}.${process.pid}.${n}.tmp`);
  symlinkSync(victim, cursors.pathOf('1-b'));
  cursors.save('0-a', position(11));
  cursors.save('1-b', position(12));
  assert.equal(await cursors.flush(), { unsaved: [] });
  assert.is(readFileSync(victim, 'utf8'), 'root-owned: keep\n');
  assert.is((await cursors.load('0-a'))?.offset, 11);
  assert.ok(lstatSync(cursors.pathOf('1-b')).isFile(), 'the planted link was replaced by the cursor');
  assert.is(statSync(cursors.pathOf('0-a')).mode & 0o777, 0o600);
});

store('the file is replaced atomically: a reader never sees a partial cursor', async ({ state }) => {
  const cursors = new CursorStore(state, { flushMs: 0 });
  let torn = 0;
  for (let i = 0; i < 200; i++) {
    cursors.save('0-a', position(i));
    await settleFor(0);
    const path = cursors.pathOf('0-a');
    if (existsSync(path)) {
      try {
        JSON.parse(readFileSync(path, 'utf8'));
      } catch {
        torn++;
      }
    }
  }
  await cursors.flush();
  assert.is(torn, 0);
  assert.is((await cursors.load('0-a'))?.offset, 199);
  chmodSync(cursors.pathOf('0-a'), 0o640);
});

store.run();
