// Specs for src/silences/live-silences.ts (the silences a running daemon applies, re-read on fs.watch events and every second).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Silence } from '../../src/silences/silence.js';
import { LiveSilences } from '../../src/silences/live-silences.js';
import { silencesPath, writeSilences } from '../../src/silences/silence-file.js';
import { captureLog, quietDuring } from '../helpers/capture-log.js';
import { tempDir } from '../helpers/temp-dir.js';

const ALERT = { rule: { id: '5710', level: 5 }, id: '1.1' };
const silenceOf = (id: string, forMs = 3_600_000): Silence => ({
  id,
  matchers: [{ field: 'rule.id', value: '5710' }],
  created_at: new Date().toISOString(),
  expires_at: new Date(Date.now() + forMs).toISOString(),
  comment: 'spec',
});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Waits for `condition` at most `ms`; true when it held in time. */
const within = async (ms: number, condition: () => boolean): Promise<boolean> => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (condition()) return true;
    await sleep(10);
  }
  return condition();
};

const live = suite('LiveSilences');
quietDuring(live);
live('the silences of the file are in force as soon as open() resolves', async () => {
  const dir = await tempDir();
  await writeSilences(dir.path, [silenceOf('first')], Date.now());
  const silences = await LiveSilences.open(dir.path);
  try {
    assert.is(silences.match(ALERT, 'any-block')?.id, 'first');
    assert.is(silences.match({ rule: { id: '1' } }, 'any-block'), undefined);
  } finally {
    silences.close();
    await dir.remove();
  }
});
live('a silence added, then expired, is applied within a second each time, without a reopen', async () => {
  const dir = await tempDir();
  const silences = await LiveSilences.open(dir.path);
  try {
    assert.is(silences.match(ALERT, 'b'), undefined);
    await writeSilences(dir.path, [silenceOf('added')], Date.now());
    assert.ok(await within(1000, () => silences.match(ALERT, 'b')?.id === 'added'), 'added within a second');
    const expired = { ...silenceOf('added'), expires_at: new Date().toISOString() };
    await writeSilences(dir.path, [expired], Date.now());
    assert.ok(await within(1000, () => silences.match(ALERT, 'b') === undefined), 'expired within a second');
  } finally {
    silences.close();
    await dir.remove();
  }
});
live('where fs.watch cannot watch (the state directory did not exist yet), the 1 s poll still applies a change within a second', async () => {
  const dir = await tempDir();
  const state = join(dir.path, 'later');
  const silences = await LiveSilences.open(state);
  try {
    await mkdir(state);
    await writeSilences(state, [silenceOf('polled')], Date.now());
    assert.ok(await within(1100, () => silences.match(ALERT, 'b')?.id === 'polled'));
  } finally {
    silences.close();
    await dir.remove();
  }
});
live('a silence stops applying at its expiry time with no change of the file', async () => {
  const dir = await tempDir();
  await writeSilences(dir.path, [silenceOf('short', 300)], Date.now());
  const silences = await LiveSilences.open(dir.path);
  try {
    assert.is(silences.match(ALERT, 'b')?.id, 'short');
    await sleep(350);
    assert.is(silences.match(ALERT, 'b'), undefined);
  } finally {
    silences.close();
    await dir.remove();
  }
});
live('a broken file is logged once and the silences read before stay in force', async () => {
  const dir = await tempDir();
  await writeSilences(dir.path, [silenceOf('kept')], Date.now());
  const silences = await LiveSilences.open(dir.path, { pollMs: 50 });
  const log = captureLog();
  try {
    await writeFile(silencesPath(dir.path), '{"silences": [');
    await silences.refresh();
    await sleep(200);
    assert.is(silences.match(ALERT, 'b')?.id, 'kept');
    const warnings = log.text().split('\n').filter((l) => l.includes('SilencesNotRead'));
    assert.is(warnings.length, 1, log.text());
    assert.match(warnings[0] ?? '', 'not JSON');
  } finally {
    log.restore();
    silences.close();
    await dir.remove();
  }
});
live.run();
