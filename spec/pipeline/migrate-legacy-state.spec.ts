// Specs for src/pipeline/migrate-legacy-state.ts (Renames the cursor and dead-letter files of versions before block ids (`<index>-<name>`) to the block's id).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { CursorStore } from '../../src/alerts/cursor-store.js';
import { loadConfigText } from '../../src/config/load.js';
import { DeadLetterStore } from '../../src/delivery/dead-letter.js';
import { migrateLegacyState } from '../../src/pipeline/migrate-legacy-state.js';
import { captureLog, type CapturedLog } from '../helpers/capture-log.js';
import { ossecConf, webhookBlock } from '../helpers/ossec-conf.js';
import { tempDirSync } from '../helpers/temp-dir.js';

interface Context {
  state: string;
  remove: () => void;
  cursors: CursorStore;
  deadLetters: DeadLetterStore;
  log: CapturedLog;
}
const migrate = suite<Context>('migrateLegacyState');
migrate.before.each((ctx) => {
  const { dir, remove } = tempDirSync('migrate');
  ctx.state = dir;
  ctx.remove = remove;
  ctx.cursors = new CursorStore(dir);
  ctx.deadLetters = new DeadLetterStore(dir);
  mkdirSync(`${dir}/cursors`);
  mkdirSync(`${dir}/dead-letter`);
  ctx.log = captureLog(0);
});
migrate.after.each((ctx) => {
  ctx.log.restore();
  ctx.remove();
});

const blocks = (...xml: string[]) => loadConfigText(ossecConf(...xml)).integrations;
const a = webhookBlock('custom-a', 'http://127.0.0.1:9/a');
const b = webhookBlock('custom-b b', 'http://127.0.0.1:9/b');

migrate('renames <index>-<name> cursor and dead-letter files to the block id, one INFO line each', async ({ cursors, deadLetters, log }) => {
  const configs = blocks(a, b);
  writeFileSync(cursors.pathOf('0-custom-a'), '{"cursor":"of a"}\n');
  writeFileSync(cursors.pathOf('1-custom-b_b'), '{"cursor":"of b"}\n');
  writeFileSync(deadLetters.legacyFileFor(1, 'custom-b b'), '{"dead":"of b"}\n');
  assert.is(await migrateLegacyState(configs, { cursors, deadLetters }), 3);
  assert.is(readFileSync(cursors.pathOf(configs[0]!.id), 'utf8'), '{"cursor":"of a"}\n');
  assert.is(readFileSync(cursors.pathOf(configs[1]!.id), 'utf8'), '{"cursor":"of b"}\n');
  assert.is(readFileSync(deadLetters.fileFor(configs[1]!.id), 'utf8'), '{"dead":"of b"}\n');
  assert.not.ok(existsSync(cursors.pathOf('0-custom-a')) || existsSync(cursors.pathOf('1-custom-b_b')) || existsSync(deadLetters.legacyFileFor(1, 'custom-b b')));
  assert.match(log.text(), `INFO: Migrated the cursor of 'custom-a' (block 0) from ${cursors.pathOf('0-custom-a')} to ${cursors.pathOf(configs[0]!.id)}.`);
  assert.match(log.text(), `INFO: Migrated the dead letters of 'custom-b b' (block 1) from ${deadLetters.legacyFileFor(1, 'custom-b b')} to ${deadLetters.fileFor(configs[1]!.id)}.`);
  assert.is(await migrateLegacyState(configs, { cursors, deadLetters }), 0, 'once');
});

migrate('takes only a file of the same index and name: a block that moved before the upgrade is not given another one', async ({ cursors, deadLetters, state }) => {
  const configs = blocks(b, a);
  writeFileSync(cursors.pathOf('0-custom-a'), 'a\n');
  writeFileSync(cursors.pathOf('1-custom-b_b'), 'b\n');
  assert.is(await migrateLegacyState(configs, { cursors, deadLetters }), 0);
  assert.equal(readdirSync(`${state}/cursors`).sort(), ['0-custom-a.json', '1-custom-b_b.json']);
});

migrate('never replaces a file the block already has under its id; the legacy one stays', async ({ cursors, deadLetters }) => {
  const [config] = blocks(a);
  writeFileSync(cursors.pathOf('0-custom-a'), 'old\n');
  writeFileSync(cursors.pathOf(config!.id), 'new\n');
  assert.is(await migrateLegacyState([config!], { cursors, deadLetters }), 0);
  assert.is(readFileSync(cursors.pathOf(config!.id), 'utf8'), 'new\n');
  assert.ok(existsSync(cursors.pathOf('0-custom-a')));
});

migrate('gives exact twins the files of their own positions', async ({ cursors, deadLetters }) => {
  const configs = blocks(a, a);
  writeFileSync(cursors.pathOf('0-custom-a'), 'first\n');
  writeFileSync(cursors.pathOf('1-custom-a'), 'second\n');
  await migrateLegacyState(configs, { cursors, deadLetters });
  assert.equal(
    configs.map((c) => [c.id.endsWith('-2'), readFileSync(cursors.pathOf(c.id), 'utf8')]),
    [
      [false, 'first\n'],
      [true, 'second\n'],
    ],
  );
});

migrate('leaves cursors alone when given none (another alerts file): only dead letters move', async ({ cursors, deadLetters }) => {
  const [config] = blocks(a);
  writeFileSync(cursors.pathOf('0-custom-a'), 'c\n');
  writeFileSync(deadLetters.legacyFileFor(0, 'custom-a'), 'd\n');
  assert.is(await migrateLegacyState([config!], { deadLetters }), 1);
  assert.ok(existsSync(cursors.pathOf('0-custom-a')));
  assert.ok(existsSync(deadLetters.fileFor(config!.id)));
});
migrate.run();
