// Specs for src/alerts/presence-log.ts: a rotation is an INFO, a name that stays away a WARNING, once.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { PresenceLog } from '../../src/alerts/presence-log.js';
import { captureLog } from '../helpers/capture-log.js';
import { settleFor } from '../helpers/line-sources.js';

const presence = suite('PresenceLog');
presence('logs a removed name as INFO at once, as WARNING once when it stays away, and again after it came back', async () => {
  const log = captureLog(0);
  try {
    const p = new PresenceLog('/x/alerts.json', 30);
    p.gone(10);
    p.gone(20);
    assert.equal(log.lines.map((l) => /: (INFO|WARNING): /.exec(l)?.[1]), ['INFO']);
    await settleFor(40);
    p.gone(30);
    p.gone(40);
    assert.equal(log.lines.map((l) => /: (INFO|WARNING): /.exec(l)?.[1]), ['INFO', 'WARNING']);
    p.opened();
    p.gone(50);
    assert.is(log.lines.length, 3, 'a new disappearance is an INFO again');
  } finally {
    log.restore();
  }
});
presence('warns once about a missing file, and says when it is found', () => {
  const log = captureLog(0);
  try {
    const p = new PresenceLog('/x/alerts.json');
    p.missing();
    p.missing();
    p.opened();
    assert.is(log.lines.length, 2);
    assert.match(log.lines[0] ?? '', 'WARNING: alerts file not found');
    assert.match(log.lines[1] ?? '', 'INFO: alerts file found');
  } finally {
    log.restore();
  }
});
presence.run();
