// Specs for src/noise/noise-store.ts (each block's noise journal: appended, compacted, read back; in memory for replays).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NoiseEntry } from '../../src/noise/noise-journal.js';
import { COMPACT_MIN_BYTES, COMPACT_MIN_LINES, FileNoiseStore, MemoryNoiseStore } from '../../src/noise/noise-store.js';
import { tempDirSync } from '../helpers/temp-dir.js';

const LINE: NoiseEntry = { d: 'k1', until: 5000, firstId: 'a' };
const HOUR: NoiseEntry = { hour: { start: 0, sent: 2 } };
const none = () => {
  throw new Error('whole state asked for before a compaction is due');
};

const file = suite('FileNoiseStore');
let tmp: ReturnType<typeof tempDirSync>;
file.before.each(() => {
  tmp = tempDirSync('noise-store');
});
file.after.each(() => tmp.remove());
file('appends STATE/noise/<block id>.journal (0600 in a 0700 directory) and loads its lines back in a new store', async () => {
  const store = new FileNoiseStore(tmp.dir);
  store.append('custom-a-1234', [LINE], none);
  store.append('custom-a-1234', [HOUR], none);
  await store.flush();
  const path = join(tmp.dir, 'noise', 'custom-a-1234.journal');
  assert.is(readFileSync(path, 'utf8'), `${JSON.stringify(LINE)}\n${JSON.stringify(HOUR)}\n`);
  assert.is(statSync(path).mode & 0o777, 0o600);
  assert.is(statSync(join(tmp.dir, 'noise')).mode & 0o777, 0o700);
  assert.equal(readdirSync(join(tmp.dir, 'noise')), ['custom-a-1234.journal'], 'no temp file left');
  assert.equal(await new FileNoiseStore(tmp.dir).load('custom-a-1234'), [LINE, HOUR]);
  assert.is(await new FileNoiseStore(tmp.dir).load('other'), undefined);
});
file('past twice its compacted size the journal is rewritten whole: the file stays bounded by the state, not by the alerts seen', async () => {
  const store = new FileNoiseStore(tmp.dir);
  const line = (i: number): NoiseEntry => ({ d: `k${i % 10}`, until: 1e12 + i });
  const live = () => Array.from({ length: 10 }, (_, i) => line(i));
  let wholes = 0;
  for (let i = 0; i < 60_000; i++) {
    store.append('b', [line(i)], () => (wholes++, live()));
    if (i % 5000 === 0) await store.flush();
  }
  await store.flush();
  const size = statSync(join(tmp.dir, 'noise', 'b.journal')).size;
  assert.ok(wholes >= 1, 'compacted');
  assert.ok(size <= COMPACT_MIN_BYTES + 100_000, `journal ${size} bytes`);
  assert.ok(((await store.load('b')) ?? []).length < 60_000);
});
file('a torn last line (a crash mid-write) is skipped; a symlink in the journal place is never followed', async () => {
  mkdirSync(join(tmp.dir, 'noise'));
  writeFileSync(join(tmp.dir, 'noise', 'torn.journal'), `${JSON.stringify(LINE)}\n{"d":"k2","unt`);
  writeFileSync(join(tmp.dir, 'secret'), JSON.stringify(LINE));
  symlinkSync(join(tmp.dir, 'secret'), join(tmp.dir, 'noise', 'link.journal'));
  const store = new FileNoiseStore(tmp.dir);
  assert.equal(await store.load('torn'), [LINE]);
  assert.is(await store.load('link'), undefined);
  const errors: string[] = [];
  const writer = new FileNoiseStore(tmp.dir, (blockId, error) => errors.push(`${blockId}: ${(error as NodeJS.ErrnoException).code}`));
  writer.append('link', [LINE], none);
  await writer.flush();
  assert.equal(errors, ['link: ELOOP']);
  assert.is(readFileSync(join(tmp.dir, 'secret'), 'utf8'), JSON.stringify(LINE), 'the link target is untouched');
});
file('noise/ under the state-directory rules: world-writable or a symlink, nothing is read (planted lines ignored) nor written', async () => {
  mkdirSync(join(tmp.dir, 'noise'), { mode: 0o700 });
  writeFileSync(join(tmp.dir, 'noise', 'b.journal'), `${JSON.stringify(LINE)}\n`);
  chmodSync(join(tmp.dir, 'noise'), 0o777);
  const errors: string[] = [];
  const store = new FileNoiseStore(tmp.dir, (_b, error) => errors.push(String(error)));
  assert.is(await store.load('b'), undefined);
  store.append('b', [HOUR], none);
  await store.flush();
  assert.match(errors[0] ?? '', /noise is group- or world-writable/);
  chmodSync(join(tmp.dir, 'noise'), 0o700);
  renameSync(join(tmp.dir, 'noise'), join(tmp.dir, 'real'));
  symlinkSync(join(tmp.dir, 'real'), join(tmp.dir, 'noise'));
  assert.is(await store.load('b'), undefined);
  store.append('b', [HOUR], none);
  await store.flush();
  assert.match(errors[1] ?? '', /noise is a symbolic link/);
  assert.is(readFileSync(join(tmp.dir, 'real', 'b.journal'), 'utf8'), `${JSON.stringify(LINE)}\n`, 'nothing written through the link');
});
file('reads the snapshot file of earlier versions (<block id>.json) as journal lines, keys digested', async () => {
  mkdirSync(join(tmp.dir, 'noise'));
  writeFileSync(join(tmp.dir, 'noise', 'old.json'), JSON.stringify({ dedup: { '["10.0.0.1"]': { until: 5000 } }, groups: {}, hour: { start: 0, sent: 2 } }));
  const lines = (await new FileNoiseStore(tmp.dir).load('old')) ?? [];
  assert.is(lines.length, 2);
  assert.equal((lines[0] as { d: string }).d.length, 22);
});
file('a write that fails is reported with the block id, never throws, and is written whole by a later append', async () => {
  writeFileSync(join(tmp.dir, 'noise'), 'a file where the directory should be');
  const errors: string[] = [];
  const store = new FileNoiseStore(tmp.dir, (blockId, error) => errors.push(`${blockId}: ${(error as NodeJS.ErrnoException).code}`));
  store.append('b', [LINE], () => [LINE, HOUR]);
  await store.flush();
  assert.equal(errors, ['b: EEXIST']);
  assert.ok(existsSync(join(tmp.dir, 'noise')));
});
file.run();

const memory = suite('MemoryNoiseStore');
memory('keeps journals for the life of the process, compacted past twice their size', async () => {
  const store = new MemoryNoiseStore();
  assert.is(await store.load('a'), undefined);
  store.append('a', [LINE], none);
  await store.flush();
  assert.equal(await store.load('a'), [LINE]);
  for (let i = 0; i < COMPACT_MIN_LINES; i++) store.append('a', [HOUR], () => [HOUR]);
  assert.equal(await store.load('a'), [HOUR]);
});
memory.run();
