// One dead letter as stored: a JSON line per alert (or per digest) a block gave up on, with its cause and redrive schedule.

import type { Alert } from '../alerts/alert.js';
import { scrubSecrets } from '../telemetry/log.js';
import type { DeadLetterCause } from './dead-letter-cause.js';

export interface DeadLetterRecord {
  /** ISO time of the last attempt. */
  readonly time: string;
  /** The block's id (config/block-identity.ts): which file the record is in. */
  readonly block_id: string;
  /** 0-based position of the block in ossec.conf when the record was written. */
  readonly block: number;
  /** The block's <name>. */
  readonly integration: string;
  readonly alert: Alert;
  /** Attempts made for the alert, over every step. */
  readonly attempts: number;
  /** HTTP status of the last refusal, when there was an answer. */
  readonly status?: number;
  readonly reason: string;
  /** Why, as a label (dead-letter-cause.ts); absent in records of older versions (then derived from status and reason). */
  readonly cause?: DeadLetterCause;
  /** The cause is transient: the daemon redrives the record on its schedule. */
  readonly retryable?: boolean;
  /** ISO time the alert was first dead-lettered: the schedule's maximum age counts from it. */
  readonly first_time?: string;
  /** Automatic or manual redrives that failed again. */
  readonly redrives?: number;
  /** ISO time of the next automatic redrive; absent: it stays until a person redrives or drops it. */
  readonly next_redrive?: string;
  /** Present when the dead letter is a digest (noise control): every alert it held, re-sent as one digest. */
  readonly digest?: DeadLetterDigest;
}

/** A dead-lettered digest: what rebuilds it (its `alert` field is the alert-shaped form, for scripts and for reading). */
export interface DeadLetterDigest {
  readonly reason: 'group' | 'max_per_hour';
  readonly key: string;
  readonly group: Readonly<Record<string, unknown>>;
  /** Alerts this dead letter carries (`alerts.length`). */
  readonly count: number;
  readonly alerts: readonly Alert[];
  /** When a digest was larger than one dead letter carries, it is split: this is part `part` of `parts` (1-based). */
  readonly part?: number;
  readonly parts?: number;
}

/** A line of a dead-letter file: its record, or the raw text when it cannot be read (kept, never lost). */
export type DeadLetterEntry = { readonly record: DeadLetterRecord; readonly line: string } | { readonly record: undefined; readonly line: string };

const isRecord = (v: unknown): v is DeadLetterRecord =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as DeadLetterRecord).block === 'number' &&
  typeof (v as DeadLetterRecord).reason === 'string' &&
  typeof (v as DeadLetterRecord).alert === 'object';

export const parseLine = (line: string): DeadLetterEntry => {
  try {
    const value: unknown = JSON.parse(line);
    return isRecord(value) ? { record: value, line } : { record: undefined, line };
  } catch {
    return { record: undefined, line };
  }
};

/**
 * A record as it is written: the reason with every registered secret replaced. Reasons quote what
 * services and scripts answered, and those often echo the token (`Cannot POST /services/T/B/<token>`,
 * a script printing its hook URL), so that the file and `dlq list` never show one.
 */
export const serialise = (record: DeadLetterRecord): string => JSON.stringify({ ...record, reason: scrubSecrets(record.reason) });
