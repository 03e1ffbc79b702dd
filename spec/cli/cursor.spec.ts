// Specs for src/cli/cursor.ts (`integratord cursor list|set|reset`: see and move where each block reads alerts.json).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/cli.js';
import { alertLine } from '../helpers/alert-line.js';
import { AlertsDir } from '../helpers/alerts-dir.js';
import { blockIdOf } from '../helpers/block-config.js';
import { captureIo } from '../helpers/capture-io.js';
import { quietDuring } from '../helpers/capture-log.js';
import { DaemonProcess } from '../helpers/daemon-process.js';
import { webhookBlock, writeOssecConf } from '../helpers/ossec-conf.js';

const cli = async (...argv: string[]) => {
  const io = captureIo();
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
};
const HOOK_A = 'http://127.0.0.1:9/a';
const HOOK_B = 'http://127.0.0.1:9/b';
const ID_A = blockIdOf('custom-a', HOOK_A);
const ID_B = blockIdOf('custom-b', HOOK_B);
const LINES = [
  alertLine('T1', { timestamp: '2026-11-27T10:00:00.000+0000' }),
  alertLine('T2', { timestamp: '2026-11-27T11:00:00.000+0000' }),
  alertLine('T3', { timestamp: '2026-11-27T12:00:00.000+0000' }),
];
const cursorFile = (dir: AlertsDir, id: string) => join(dir.home, 'var', 'integratord', 'cursors', `${id}.json`);
const cursorOf = (dir: AlertsDir, id: string) => JSON.parse(readFileSync(cursorFile(dir, id), 'utf8')) as { offset: number; path: string; identity: { ino: number } };

/** A home with two webhook blocks and three alerts in alerts.json. */
const home = (label: string): AlertsDir => {
  const dir = new AlertsDir(label);
  writeOssecConf(dir.home, webhookBlock('custom-a', HOOK_A), webhookBlock('custom-b', HOOK_B));
  writeFileSync(dir.alerts, `${LINES.join('\n')}\n`);
  return dir;
};
const offsetOfLine = (n: number) => LINES.slice(0, n).reduce((sum, l) => sum + Buffer.byteLength(l) + 1, 0);

const test = suite('cursor');
quietDuring(test);

test('set --to beginning|end|TIME writes the block cursor in alerts.json (by id or position); list shows it with what is left to read', async () => {
  const dir = home('cursor-set');
  try {
    const ino = statSync(dir.alerts).ino;
    let r = await cli('cursor', 'set', '--home', dir.home, '--block', '0', '--to', 'beginning');
    assert.is(r.code, 0, r.err);
    assert.equal([cursorOf(dir, ID_A).offset, cursorOf(dir, ID_A).identity.ino, cursorOf(dir, ID_A).path], [0, ino, dir.alerts]);
    r = await cli('cursor', 'set', '--home', dir.home, '--block', ID_B, '--to', 'end');
    assert.is(r.code, 0, r.err);
    assert.is(cursorOf(dir, ID_B).offset, offsetOfLine(3));
    r = await cli('cursor', 'set', '--home', dir.home, '--block', ID_A, '--to', '2026-11-27T10:30:00Z');
    assert.is(r.code, 0, r.err);
    assert.is(cursorOf(dir, ID_A).offset, offsetOfLine(1), 'the first alert at or after the time: T2');
    assert.match(r.out, `cursor of ${ID_A} set to byte ${offsetOfLine(1)} of ${dir.alerts}`);
    r = await cli('cursor', 'set', '--home', dir.home, '--block', ID_A, '--to', '2027-01-01T00:00:00Z');
    assert.is(cursorOf(dir, ID_A).offset, offsetOfLine(3), 'no alert after the time: the end');
    await cli('cursor', 'set', '--home', dir.home, '--block', ID_A, '--to', '2026-11-27T10:30:00Z');
    r = await cli('cursor', 'list', '--home', dir.home);
    assert.is(r.code, 0, r.err);
    const rows = r.out.trimEnd().split('\n');
    assert.match(rows[0]!, /^BLOCK\s+ID\s+OFFSET\s+UPDATED\s+WHERE$/);
    assert.match(rows[1]!, new RegExp(`^#0 custom-a\\s+${ID_A}\\s+${offsetOfLine(1)}\\s+\\S+\\s+in alerts.json, ${offsetOfLine(3) - offsetOfLine(1)} byte\\(s\\) still to read$`));
    assert.match(rows[2]!, new RegExp(`^#1 custom-b\\s+${ID_B}\\s+${offsetOfLine(3)}\\s+\\S+\\s+in alerts.json, 0 byte\\(s\\) still to read$`));
  } finally {
    dir.remove();
  }
});

test('list: a block without a cursor, a cursor in a rotated file and a cursor of a removed block', async () => {
  const dir = home('cursor-list');
  try {
    await cli('cursor', 'set', '--home', dir.home, '--block', '0', '--to', 'beginning');
    dir.logrotate();
    writeFileSync(cursorFile(dir, 'custom-gone-12345678'), readFileSync(cursorFile(dir, ID_A)));
    const r = await cli('cursor', 'list', '--home', dir.home);
    assert.is(r.code, 0, r.err);
    const rows = r.out.trimEnd().split('\n');
    assert.match(rows[1]!, /in a rotated file \(read to its end first after a restart\)$/);
    assert.match(rows[2]!, new RegExp(`^#1 custom-b\\s+${ID_B}\\s+-\\s+-\\s+no cursor: starts at the end$`));
    assert.match(rows[3]!, /^-\s+custom-gone-12345678\s+0\s+\S+\s+no block with this id \(removed from the configuration\)$/);
  } finally {
    dir.remove();
  }
});

test('reset removes the cursor (a block without one starts at the end); a second reset says there is none', async () => {
  const dir = home('cursor-reset');
  try {
    await cli('cursor', 'set', '--home', dir.home, '--block', '1', '--to', 'beginning');
    let r = await cli('cursor', 'reset', '--home', dir.home, '--block', '1');
    assert.is(r.code, 0, r.err);
    assert.not.ok(existsSync(cursorFile(dir, ID_B)));
    assert.match(r.out, `cursor of ${ID_B} removed`);
    r = await cli('cursor', 'reset', '--home', dir.home, '--block', ID_B);
    assert.is(r.code, 0, r.err);
    assert.match(r.out, `${ID_B} has no cursor: nothing to reset`);
  } finally {
    dir.remove();
  }
});

test('set and reset refuse (exit 1, nothing moved) while a daemon holds the state directory; list still works', async () => {
  const dir = home('cursor-locked');
  const daemon = new DaemonProcess(['run', '--home', dir.home, '--grace', '1']);
  try {
    await daemon.ready();
    const before = readFileSync(cursorFile(dir, ID_A), 'utf8');
    for (const argv of [['set', '--block', '0', '--to', 'beginning'], ['reset', '--block', '0']]) {
      const r = await cli('cursor', ...argv, '--home', dir.home);
      assert.is(r.code, 1, argv.join(' '));
      assert.match(r.err, `is in use by pid ${daemon.pid}`);
      assert.match(r.err, 'stop the daemon before moving a cursor');
    }
    assert.is(readFileSync(cursorFile(dir, ID_A), 'utf8'), before);
    assert.is((await cli('cursor', 'list', '--home', dir.home)).code, 0);
  } finally {
    await daemon.stop('SIGTERM');
    dir.remove();
  }
});

test('wrong arguments exit 2: no action, an unknown one, set without --to, a bad time, --block out of range', async () => {
  const dir = home('cursor-usage');
  try {
    for (const argv of [[], ['move'], ['set', '--block', '0'], ['set', '--block', '0', '--to', 'yesterday'], ['reset', '--block', '7'], ['reset'], ['list', '--to', 'end']]) {
      const r = await cli('cursor', ...argv, '--home', dir.home);
      assert.is(r.code, 2, `${argv.join(' ')}: ${r.err}`);
    }
  } finally {
    dir.remove();
  }
});

test.run();
