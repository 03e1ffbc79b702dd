// Specs for src/cli/dlq-list.ts: the whole reason, the cause and schedule, digests as "digest of N", and --json.

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { main } from '../../src/cli/cli.js';
import { createDlqCommand } from '../../src/cli/dlq.js';
import { DeadLetterStore, type DeadLetterRecord } from '../../src/delivery/dead-letter.js';
import { lazyQueueWriter } from '../../src/delivery/open-queue-writer.js';
import { digestDeadLetters } from '../../src/pipeline/digest-dead-letters.js';
import { DEFAULT_REDRIVE_SCHEDULE, scheduleRecord } from '../../src/pipeline/redrive-schedule.js';
import { blockIdOf } from '../helpers/block-config.js';
import { captureIo } from '../helpers/capture-io.js';
import { ossecConf } from '../helpers/ossec-conf.js';
import { tempDir } from '../helpers/temp-dir.js';

const HOOK = 'http://127.0.0.1:9/hook';
const ID = blockIdOf('custom-list', HOOK);
const LONG = 'cannot build the request: body_template did not render valid JSON (Unexpected token } in JSON at position 212) on this alert';

const base = { time: '2026-12-01T10:00:00.000Z', block_id: ID, block: 0, integration: 'custom-list', attempts: 4 };
const transient: DeadLetterRecord = { ...base, alert: { id: 'T1', rule: { id: '5710' } }, reason: 'connection refused (ECONNREFUSED)', cause: 'connection', retryable: true };
const permanent: DeadLetterRecord = { ...base, alert: { id: 'P1', rule: { id: '5712' } }, attempts: 0, reason: LONG, cause: 'invalid_request', retryable: false };
const digest = digestDeadLetters(
  { reason: 'group', key: '["5712"]', group: { 'rule.id': '5712' }, held: ['D1', 'D2', 'D3'].map((id, seq) => ({ seq, alert: { id, rule: { id: '5712' } } })) },
  { ...base, status: 500, reason: 'HTTP 500', cause: 'http_5xx', retryable: true },
);

const home = async () => {
  const dir = await tempDir();
  await mkdir(join(dir.path, 'etc'), { recursive: true });
  await writeFile(join(dir.path, 'etc', 'ossec.conf'), ossecConf(`<name>custom-list</name>\n<hook_url>${HOOK}</hook_url>\n<alert_format>json</alert_format>`));
  const store = new DeadLetterStore(join(dir.path, 'var', 'integratord'), { stamp: (r) => scheduleRecord(r, { ...DEFAULT_REDRIVE_SCHEDULE, random: () => 0 }) });
  for (const r of [transient, permanent, ...digest]) await store.append(r);
  return dir;
};

const list = async (...argv: string[]) => {
  const io = captureIo();
  const code = await createDlqCommand((p) => lazyQueueWriter({ socketPath: p.queueSocket })).run(['list', ...argv], io);
  return { code, out: io.out(), err: io.err() };
};

const test = suite('dlq list');

test('shows the whole reason, the cause, when the daemon sends it again, and a digest as one row "digest of N"', async () => {
  const dir = await home();
  try {
    const { code, out } = await list('--home', dir.path);
    assert.is(code, 0);
    const [, t, p, d] = out.split('\n');
    assert.match(t!, /\bT1\s+5710\s+4\s+connection\s+2026-12-01T10:00:15\.000Z\s+2026-12-01T10:00:00\.000Z\s+connection refused \(ECONNREFUSED\)$/);
    assert.match(p!, /\bP1\s+5712\s+0\s+invalid_request\s+manual\s+2026-12-01T10:00:00\.000Z\s+/);
    assert.ok(p!.endsWith(`  ${LONG}`), 'the reason whole, never cut');
    assert.match(d!, /\bdigest of 3\s+5712\s+4\s+http_5xx\s+2026-12-01T10:00:15\.000Z/);
    assert.match(out, /\n3 dead letters\n$/);
  } finally {
    await dir.remove();
  }
});

test('--json prints one object per dead letter and nothing else', async () => {
  const dir = await home();
  try {
    const { code, out } = await list('--home', dir.path, '--json');
    assert.is(code, 0);
    const rows = out.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.is(rows.length, 3);
    assert.equal(rows[0], {
      block: 0,
      block_id: ID,
      integration: 'custom-list',
      alert_id: 'T1',
      rule_id: '5710',
      attempts: 4,
      status: null,
      cause: 'connection',
      retryable: true,
      first_time: '2026-12-01T10:00:00.000Z',
      time: '2026-12-01T10:00:00.000Z',
      redrives: 0,
      next_redrive: '2026-12-01T10:00:15.000Z',
      reason: 'connection refused (ECONNREFUSED)',
    });
    assert.is(rows[1]!['reason'], LONG);
    assert.is(rows[1]!['next_redrive'], null);
    assert.equal(rows[2]!['digest'], { count: 3, reason: 'group', alert_ids: ['D1', 'D2', 'D3'] });
  } finally {
    await dir.remove();
  }
});

test('--json is refused by redrive and drop (exit 2)', async () => {
  const dir = await home();
  try {
    for (const action of ['redrive', 'drop']) {
      const io = captureIo();
      assert.is(await main(['dlq', action, '--json', '--all', '--home', dir.path].filter((a) => action === 'drop' || a !== '--all'), io), 2, action);
      assert.match(io.err(), '--json only applies to list');
    }
  } finally {
    await dir.remove();
  }
});

test.run();
