// Specs for src/noise/noise-store.ts (where blocks keep their noise state across restarts).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileNoiseStore, MemoryNoiseStore } from '../../src/noise/noise-store.js';
import { tempDirSync } from '../helpers/temp-dir.js';

const SNAPSHOT = { dedup: { '["1"]': { until: 5000, firstId: 'a' } }, groups: {}, hour: { start: 0, sent: 2 } };

const file = suite('FileNoiseStore');
let tmp: ReturnType<typeof tempDirSync>;
file.before.each(() => {
  tmp = tempDirSync('noise-store');
});
file.after.each(() => tmp.remove());
file('writes STATE/noise/<block id>.json (mode 0600) and loads it back in a new store; saves coalesce, the latest wins', async () => {
  const store = new FileNoiseStore(tmp.dir);
  store.save('custom-a-1234', { ...SNAPSHOT, hour: { start: 0, sent: 1 } });
  store.save('custom-a-1234', SNAPSHOT);
  await store.flush();
  const path = join(tmp.dir, 'noise', 'custom-a-1234.json');
  assert.equal(JSON.parse(readFileSync(path, 'utf8')), SNAPSHOT);
  assert.is(statSync(path).mode & 0o777, 0o600);
  assert.equal(readdirSync(join(tmp.dir, 'noise')), ['custom-a-1234.json'], 'no temp file left');
  assert.equal(await new FileNoiseStore(tmp.dir).load('custom-a-1234'), SNAPSHOT);
  assert.is(await new FileNoiseStore(tmp.dir).load('other'), undefined);
});
file('a file that is not a snapshot loads as none; a symlink in its place is never followed to read', async () => {
  mkdirSync(join(tmp.dir, 'noise'));
  writeFileSync(join(tmp.dir, 'noise', 'bad.json'), '{"not":"a snapshot"}');
  writeFileSync(join(tmp.dir, 'secret'), JSON.stringify(SNAPSHOT));
  symlinkSync(join(tmp.dir, 'secret'), join(tmp.dir, 'noise', 'link.json'));
  const store = new FileNoiseStore(tmp.dir);
  assert.is(await store.load('bad'), undefined);
  assert.is(await store.load('link'), undefined);
});
file('a write that fails is reported with the block id, and never throws', async () => {
  writeFileSync(join(tmp.dir, 'noise'), 'a file where the directory should be');
  const errors: string[] = [];
  const store = new FileNoiseStore(tmp.dir, (blockId, error) => errors.push(`${blockId}: ${(error as NodeJS.ErrnoException).code}`));
  store.save('b', SNAPSHOT);
  await store.flush();
  assert.equal(errors, ['b: EEXIST']);
  assert.ok(existsSync(join(tmp.dir, 'noise')));
});
file.run();

const memory = suite('MemoryNoiseStore');
memory('keeps snapshots for the life of the process', async () => {
  const store = new MemoryNoiseStore();
  assert.is(await store.load('a'), undefined);
  store.save('a', SNAPSHOT);
  await store.flush();
  assert.equal(await store.load('a'), SNAPSHOT);
});
memory.run();
