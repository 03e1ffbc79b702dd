// Specs for src/delivery/dead-letter-record.ts: a dead letter's line read back (or kept raw), and written with secrets scrubbed.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseLine, serialise, type DeadLetterRecord } from '../../src/delivery/dead-letter-record.js';
import { registerSecret } from '../../src/telemetry/log.js';

const RECORD: DeadLetterRecord = {
  time: '2026-12-01T10:00:00.000Z',
  block_id: 'custom-x-12345678',
  block: 0,
  integration: 'custom-x',
  alert: { id: 'A1' },
  attempts: 1,
  reason: 'HTTP 500',
  cause: 'http_5xx',
  retryable: true,
  digest: { reason: 'group', key: '["5712"]', group: { 'rule.id': '5712' }, count: 1, alerts: [{ id: 'A1' }] },
};

const test = suite('dead-letter record');

test('a written line reads back as the same record, digest included', () => {
  const line = serialise(RECORD);
  assert.equal(parseLine(line), { record: RECORD, line });
});

test('a line that is not a record is kept raw, never lost', () => {
  assert.equal(parseLine('{"half'), { record: undefined, line: '{"half' });
  assert.equal(parseLine('{"block":"x"}'), { record: undefined, line: '{"block":"x"}' });
});

test('the reason is written with registered secrets scrubbed', () => {
  registerSecret('s3cr3t-token-in-a-reason');
  const line = serialise({ ...RECORD, reason: 'Cannot POST /hooks/s3cr3t-token-in-a-reason' });
  assert.not.ok(line.includes('s3cr3t-token-in-a-reason'));
  assert.match(line, /\*\*REDACTED\*\*/);
});

test.run();
