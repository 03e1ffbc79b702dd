// When the daemon sends a dead letter again by itself: exponential backoff with jitter, for a maximum age, transient causes only.

import { causeOf } from '../delivery/dead-letter-cause.js';
import type { DeadLetterRecord } from '../delivery/dead-letter.js';
import { backoffCeilingMs } from './operators/backoff.js';

export interface RedriveSchedule {
  /** First wait (ms) after the dead letter is written. */
  readonly baseMs: number;
  /** Longest wait (ms) between two redrives. */
  readonly capMs: number;
  /** Past this age (ms since the alert was first dead-lettered) no redrive is scheduled: it stays for a person. 0: never redriven automatically. */
  readonly maxAgeMs: number;
  /** Uniform in [0, 1); injectable so specs get fixed waits. */
  readonly random?: () => number;
}

/**
 * 30 s doubling to 1 h, for 24 h: a service restart is ridden out within a minute, a maintenance
 * window of hours costs one try per hour, and a day-long outage ends in the queue for a person
 * (the 24 h match a day of alerts.json and a day's on-call shift).
 */
export const DEFAULT_REDRIVE_SCHEDULE: RedriveSchedule = { baseMs: 30_000, capMs: 3_600_000, maxAgeMs: 86_400_000 };

/**
 * The wait before redrive number `redrives + 1`: "equal jitter", a uniform wait between half the
 * ceiling and the ceiling, ceiling min(cap, base × 2^redrives). Never 0 (unlike full jitter), so a
 * service that just failed gets at least base/2; spread, so that a thousand dead letters of one outage
 * do not all come back in the same second.
 */
export const redriveDelayMs = (redrives: number, schedule: RedriveSchedule): number => {
  const ceiling = backoffCeilingMs(redrives + 1, { baseMs: schedule.baseMs, capMs: schedule.capMs });
  return Math.round(ceiling / 2 + (schedule.random ?? Math.random)() * (ceiling / 2));
};

/**
 * A record as it is stored: its cause (`cause`, `retryable`), `first_time` (kept from the first dead
 * letter), `redrives` and `next_redrive` — `time` (its last attempt) plus the jittered wait, when the
 * cause is transient and that time is within the maximum age of `first_time`; otherwise no
 * `next_redrive`: the record stays until a person redrives or drops it.
 */
export const scheduleRecord = (record: DeadLetterRecord, schedule: RedriveSchedule): DeadLetterRecord => {
  const derived = causeOf({ reason: record.reason, status: record.status, transient: record.retryable });
  const cause = record.cause ?? derived.cause;
  const retryable = record.retryable ?? derived.retryable;
  const firstTime = record.first_time ?? record.time;
  const redrives = record.redrives ?? 0;
  const { next_redrive: _dropped, ...rest } = record;
  const base = { ...rest, cause, retryable, first_time: firstTime, redrives };
  const last = Date.parse(record.time);
  const first = Date.parse(firstTime);
  if (!retryable || schedule.maxAgeMs <= 0 || !Number.isFinite(last) || !Number.isFinite(first)) return base;
  const next = last + redriveDelayMs(redrives, schedule);
  return next - first > schedule.maxAgeMs ? base : { ...base, next_redrive: new Date(next).toISOString() };
};

/** True when the record's next automatic redrive is due at `nowMs`. */
export const redriveDue = (record: DeadLetterRecord, nowMs: number): boolean => record.next_redrive !== undefined && Date.parse(record.next_redrive) <= nowMs;
