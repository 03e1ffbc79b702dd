// Specs for src/delivery/dead-letter.ts (Dead letters: alerts a block gave up on, one durable JSON line each, per block, for `integratord dlq`).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { appendFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { readdir, readFile, stat, symlink, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DeadLetterStore, type DeadLetterRecord } from '../../src/delivery/dead-letter.js';
import { registerSecret } from '../../src/telemetry/log.js';
import { tempDir } from '../helpers/temp-dir.js';

const record = (id: string, extra: Partial<DeadLetterRecord> = {}): DeadLetterRecord => ({
  time: '2026-11-28T01:00:00.000Z',
  block_id: 'slack-1a2b3c4d',
  block: 0,
  integration: 'slack',
  alert: { id, rule: { id: '5712' } },
  attempts: 4,
  status: 503,
  reason: 'HTTP 503',
  ...extra,
});

const append = suite('DeadLetterStore.append');
append("writes one JSON line per record to STATE/dead-letter/<block id>.jsonl, mode 0600", async () => {
  const dir = await tempDir();
  try {
    const store = new DeadLetterStore(dir.path);
    await store.append(record('1'));
    await store.append(record('2', { block_id: 'custom-my_hook-00ff00ff', block: 3, integration: 'custom-my hook' }));
    const path = store.fileFor('slack-1a2b3c4d');
    assert.is(path, `${dir.path}/dead-letter/slack-1a2b3c4d.jsonl`);
    const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
    assert.equal(JSON.parse(lines[0] as string), record('1'));
    assert.is((await stat(path)).mode & 0o777, 0o600);
    assert.equal((await store.files()).map((f) => f.id), ['custom-my_hook-00ff00ff', 'slack-1a2b3c4d']);
    assert.is(store.legacyFileFor(3, 'custom-my hook'), `${dir.path}/dead-letter/3-custom-my_hook.jsonl`, 'where older versions kept them');
  } finally {
    await dir.remove();
  }
});
append('keeps every record of many concurrent appends', async () => {
  const dir = await tempDir();
  try {
    const store = new DeadLetterStore(dir.path);
    await Promise.all(Array.from({ length: 50 }, (_, i) => store.append(record(String(i)))));
    const ids = (await store.records('slack-1a2b3c4d')).map((r) => r.alert['id']);
    assert.is(ids.length, 50);
    assert.is(new Set(ids).size, 50);
  } finally {
    await dir.remove();
  }
});
append('never glues a record onto a line cut by a crash', async () => {
  const dir = await tempDir();
  try {
    const store = new DeadLetterStore(dir.path);
    await mkdir(store.dir, { recursive: true });
    await writeFile(store.fileFor('slack-1a2b3c4d'), `${JSON.stringify(record('1'))}\n{"time":"cut`);
    await store.append(record('2'));
    const entries = await store.entries(store.fileFor('slack-1a2b3c4d'));
    assert.equal(entries.map((e) => e.record?.alert['id'] ?? 'unreadable'), ['1', 'unreadable', '2']);
  } finally {
    await dir.remove();
  }
});
append('rejects when the state directory cannot be written', async () => {
  const dir = await tempDir();
  try {
    await writeFile(`${dir.path}/dead-letter`, 'a file, not a directory');
    const store = new DeadLetterStore(dir.path);
    await store.append(record('1')).then(
      () => assert.unreachable('should reject'),
      (error: NodeJS.ErrnoException) => assert.ok(error.code),
    );
  } finally {
    await dir.remove();
  }
});
append('a write cut short by a full disk leaves no half-written line: the file is cut back, the append rejects', async () => {
  const dir = await tempDir();
  try {
    // A real short write without root: the child's file size limit is 1 KiB (ulimit -f 2: 512-byte blocks). Node
    // ignores SIGXFSZ, so the write that crosses the limit writes part of its bytes and the next one fails EFBIG.
    const child = `
      const { DeadLetterStore } = await import(${JSON.stringify(new URL('../../src/delivery/dead-letter.ts', import.meta.url).href)});
      const store = new DeadLetterStore(process.env.DL_STATE);
      const results = [];
      for (let i = 0; i < 10; i++) {
        const record = { time: '2026-11-28T01:00:00.000Z', block_id: 'slack-1a2b3c4d', block: 0, integration: 'slack', alert: { id: 'full-' + i, data: 'x'.repeat(150) }, attempts: 4, reason: 'HTTP 503' };
        results.push(await store.append(record).then(() => 'ok', (e) => e.code));
      }
      console.log(JSON.stringify(results));`;
    const run = spawnSync('sh', ['-c', 'ulimit -f 2; exec "$0" --import tsx --input-type=module -e "$1"', process.execPath, child], {
      cwd: new URL('../../', import.meta.url),
      env: { ...process.env, DL_STATE: dir.path },
      encoding: 'utf8',
    });
    assert.is(run.status, 0, run.stderr);
    const results = JSON.parse(run.stdout) as string[];
    const written = results.filter((r) => r === 'ok').length;
    assert.ok(written >= 1 && written < 10, `some records fit under 1 KiB, then the disk was full: ${run.stdout}`);
    assert.equal(results.slice(written), Array(10 - written).fill('EFBIG'), 'every later append rejects');
    const text = await readFile(new DeadLetterStore(dir.path).fileFor('slack-1a2b3c4d'), 'utf8');
    assert.ok(text.endsWith('\n'), 'no half-written line at the end');
    const lines = text.trimEnd().split('\n');
    assert.equal(lines.map((l) => (JSON.parse(l) as DeadLetterRecord).alert['id']), Array.from({ length: written }, (_, i) => `full-${i}`));
  } finally {
    await dir.remove();
  }
});
append('never appends through a symlink planted as a dead-letter file (the target stays as it was)', async () => {
  const dir = await tempDir();
  try {
    const store = new DeadLetterStore(dir.path);
    const victim = join(dir.path, 'victim.conf');
    await writeFile(victim, 'keep\n');
    await mkdir(store.dir, { recursive: true });
    await symlink(victim, store.fileFor('slack-1a2b3c4d'));
    await store.append(record('1')).then(
      () => assert.unreachable('should reject'),
      (error: NodeJS.ErrnoException) => assert.is(error.code, 'ELOOP'),
    );
    assert.is(await readFile(victim, 'utf8'), 'keep\n');
    await store.entries(store.fileFor('slack-1a2b3c4d')).then(
      () => assert.unreachable('should not read through it either'),
      (error: NodeJS.ErrnoException) => assert.is(error.code, 'ELOOP'),
    );
  } finally {
    await dir.remove();
  }
});
append('scrubs registered secrets from the reason it writes, on append and on rewrite', async () => {
  const dir = await tempDir();
  try {
    registerSecret('SPEC-DLQ-TOKEN-7c1d');
    const store = new DeadLetterStore(dir.path);
    await store.append(record('1', { reason: 'HTTP 404: Cannot POST /hooks/SPEC-DLQ-TOKEN-7c1d' }));
    const path = store.fileFor('slack-1a2b3c4d');
    assert.is((await store.records())[0]?.reason, 'HTTP 404: Cannot POST /hooks/**REDACTED**');
    await store.rewrite(path, (r) => ({ ...r, reason: 'exit status 1: token SPEC-DLQ-TOKEN-7c1d refused' }));
    assert.not.match(await readFile(path, 'utf8'), 'SPEC-DLQ-TOKEN-7c1d');
  } finally {
    await dir.remove();
  }
});
append.run();

const reading = suite('DeadLetterStore.files and records');
reading('are empty when nothing was ever dead-lettered', async () => {
  const dir = await tempDir();
  try {
    const store = new DeadLetterStore(dir.path);
    assert.equal(await store.files(), []);
    assert.equal(await store.records(), []);
  } finally {
    await dir.remove();
  }
});
reading('filter by block id and skip unreadable lines', async () => {
  const dir = await tempDir();
  try {
    const store = new DeadLetterStore(dir.path);
    await store.append(record('a'));
    await store.append(record('b', { block_id: 'pagerduty-e3b0c442', block: 1, integration: 'pagerduty' }));
    appendFileSync(store.fileFor('pagerduty-e3b0c442'), 'not json\n');
    assert.equal((await store.records('pagerduty-e3b0c442')).map((r) => r.alert['id']), ['b']);
    assert.is((await store.records()).length, 2);
  } finally {
    await dir.remove();
  }
});
reading.run();

const rewrite = suite('DeadLetterStore.rewrite');
rewrite('writes its temp file under a random name: a symlink at the old predictable name is left alone', async () => {
  const dir = await tempDir();
  try {
    const store = new DeadLetterStore(dir.path);
    await store.append(record('1'));
    await store.append(record('2'));
    const path = store.fileFor('slack-1a2b3c4d');
    const victim = join(dir.path, 'victim.conf');
    await writeFile(victim, 'keep\n');
    // The name the rewrite used to open with 'w' (truncating whatever a planted link pointed at).
    await symlink(victim, `${path}.rewrite-${process.pid}`);
    assert.equal(await store.rewrite(path, (r) => (r.alert['id'] === '1' ? undefined : r)), { kept: 1, removed: 1 });
    assert.is(await readFile(victim, 'utf8'), 'keep\n');
    assert.equal((await store.records()).map((r) => r.alert['id']), ['2']);
    assert.is((await stat(path)).mode & 0o777, 0o600);
    assert.equal((await readdir(store.dir)).sort(), ['slack-1a2b3c4d.jsonl', 'slack-1a2b3c4d.jsonl.rewrite-' + process.pid], 'no temp file left behind');
  } finally {
    await dir.remove();
  }
});
rewrite('replaces, removes and keeps records; unreadable lines stay', async () => {
  const dir = await tempDir();
  try {
    const store = new DeadLetterStore(dir.path);
    for (const id of ['1', '2', '3']) await store.append(record(id));
    const path = store.fileFor('slack-1a2b3c4d');
    appendFileSync(path, 'garbage\n');
    const counts = await store.rewrite(path, (r) => (r.alert['id'] === '1' ? undefined : r.alert['id'] === '2' ? { ...r, attempts: 8 } : r));
    assert.equal(counts, { kept: 3, removed: 1 });
    const entries = await store.entries(path);
    assert.equal(entries.map((e) => e.record?.attempts ?? e.line), [8, 4, 'garbage']);
  } finally {
    await dir.remove();
  }
});
rewrite('deletes the file when nothing is left', async () => {
  const dir = await tempDir();
  try {
    const store = new DeadLetterStore(dir.path);
    await store.append(record('1'));
    const path = store.fileFor('slack-1a2b3c4d');
    assert.equal(await store.rewrite(path, () => undefined), { kept: 0, removed: 1 });
    assert.equal(await store.files(), []);
    assert.equal(await store.rewrite(path, () => undefined), { kept: 0, removed: 0 }, 'a missing file is fine');
  } finally {
    await dir.remove();
  }
});
rewrite('carries over lines another process appended meanwhile', async () => {
  const dir = await tempDir();
  try {
    const store = new DeadLetterStore(dir.path);
    await store.append(record('1'));
    const path = store.fileFor('slack-1a2b3c4d');
    await store.rewrite(path, () => {
      appendFileSync(path, `${JSON.stringify(record('late'))}\n`);
      return undefined;
    });
    assert.equal((await store.records()).map((r) => r.alert['id']), ['late']);
  } finally {
    await dir.remove();
  }
});
rewrite.run();

const scheduled = suite('DeadLetterStore stamp and tail');
scheduled('stamps every appended record with the schedule it is given (the daemon: its redrive schedule)', async () => {
  const dir = await tempDir();
  try {
    const store = new DeadLetterStore(dir.path, { stamp: (r) => ({ ...r, next_redrive: '2026-11-28T01:00:30.000Z' }) });
    await store.append(record('1'));
    assert.is((await store.records())[0]!.next_redrive, '2026-11-28T01:00:30.000Z');
    assert.is(store.stamp(record('2')).next_redrive, '2026-11-28T01:00:30.000Z', 'the same stamp for records rewritten by a redrive');
  } finally {
    await dir.remove();
  }
});
scheduled('tail reads only the complete lines appended since a byte offset, and says where to go on from', async () => {
  const dir = await tempDir();
  try {
    const store = new DeadLetterStore(dir.path);
    await store.append(record('1'));
    const path = store.fileFor('slack-1a2b3c4d');
    const first = await store.tail(path, 0);
    assert.equal(first.entries.map((e) => e.record?.alert['id']), ['1']);
    assert.is(first.end, (await stat(path)).size);
    await store.append(record('2'));
    appendFileSync(path, '{"half a line');
    const next = await store.tail(path, first.end);
    assert.equal(next.entries.map((e) => e.record?.alert['id']), ['2'], 'the half line waits for its newline');
    assert.is(next.end, (await stat(path)).size - '{"half a line'.length);
    assert.is(next.ino, (await stat(path)).ino);
    assert.equal((await store.tail(path, next.end)).entries, []);
  } finally {
    await dir.remove();
  }
});
scheduled.run();
