// The redrive schedule stamped on dead letters: 30 s doubling to 1 h with jitter, for a maximum age, transient causes only.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { DeadLetterRecord } from '../../src/delivery/dead-letter.js';
import { DEFAULT_REDRIVE_SCHEDULE, redriveDelayMs, redriveDue, scheduleRecord } from '../../src/pipeline/redrive-schedule.js';

const test = suite('redrive schedule');

const record = (extra: Partial<DeadLetterRecord> = {}): DeadLetterRecord => ({
  time: '2026-12-01T10:00:00.000Z',
  block_id: 'custom-x-12345678',
  block: 0,
  integration: 'custom-x',
  alert: { id: 'A1' },
  attempts: 4,
  reason: 'connection refused (ECONNREFUSED)',
  cause: 'connection',
  retryable: true,
  ...extra,
});

const at = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso));

test('the wait doubles from the base to the cap, jittered between half the ceiling and the ceiling', () => {
  const low = { ...DEFAULT_REDRIVE_SCHEDULE, random: () => 0 };
  const high = { ...DEFAULT_REDRIVE_SCHEDULE, random: () => 0.999999 };
  assert.equal([0, 1, 2, 3].map((n) => redriveDelayMs(n, low)), [15_000, 30_000, 60_000, 120_000]);
  assert.equal([0, 1, 2, 3].map((n) => Math.round(redriveDelayMs(n, high) / 1000)), [30, 60, 120, 240]);
  assert.is(redriveDelayMs(20, high), 3_600_000 - 2, 'capped at 1 h');
  assert.is(redriveDelayMs(20, low), 1_800_000);
});

test('a transient dead letter gets its first_time, redrives and next redrive after its last attempt', () => {
  const stamped = scheduleRecord(record(), { ...DEFAULT_REDRIVE_SCHEDULE, random: () => 0.5 });
  assert.is(stamped.first_time, '2026-12-01T10:00:00.000Z');
  assert.is(stamped.redrives, 0);
  assert.is(at(stamped.next_redrive)! - at(stamped.time)!, 22_500);
  const third = scheduleRecord(record({ time: '2026-12-01T10:05:00.000Z', first_time: '2026-12-01T10:00:00.000Z', redrives: 2 }), { ...DEFAULT_REDRIVE_SCHEDULE, random: () => 0 });
  assert.is(third.first_time, '2026-12-01T10:00:00.000Z', 'the first failure is kept');
  assert.is(at(third.next_redrive)! - at(third.time)!, 60_000);
});

test('past the maximum age, or for a permanent cause, no redrive is scheduled: it stays for a person', () => {
  const old = record({ time: '2026-12-02T09:50:00.000Z', first_time: '2026-12-01T10:00:00.000Z', redrives: 30, next_redrive: '2026-12-02T09:00:00.000Z' });
  assert.is(scheduleRecord(old, DEFAULT_REDRIVE_SCHEDULE).next_redrive, undefined);
  const refused = record({ status: 400, reason: 'HTTP 400: invalid_payload', cause: 'http_4xx', retryable: false });
  assert.is(scheduleRecord(refused, DEFAULT_REDRIVE_SCHEDULE).next_redrive, undefined);
  assert.is(scheduleRecord(record(), { ...DEFAULT_REDRIVE_SCHEDULE, maxAgeMs: 0 }).next_redrive, undefined, 'max age 0: off');
});

test('a record of an older version is classified and scheduled from its status and reason', () => {
  const { cause: _c, retryable: _r, ...older } = record({ status: 503, reason: 'HTTP 503' });
  const stamped = scheduleRecord(older as DeadLetterRecord, { ...DEFAULT_REDRIVE_SCHEDULE, random: () => 0 });
  assert.is(stamped.cause, 'http_5xx');
  assert.is(stamped.retryable, true);
  assert.ok(stamped.next_redrive !== undefined);
});

test('redriveDue: only a record whose next redrive has come', () => {
  assert.is(redriveDue(record({ next_redrive: '2026-12-01T10:00:30.000Z' }), Date.parse('2026-12-01T10:00:29.999Z')), false);
  assert.is(redriveDue(record({ next_redrive: '2026-12-01T10:00:30.000Z' }), Date.parse('2026-12-01T10:00:30.000Z')), true);
  assert.is(redriveDue(record(), Date.parse('2030-01-01T00:00:00.000Z')), false);
});

test.run();
