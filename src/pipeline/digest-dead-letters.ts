// A digest that could not be delivered as dead letters that carry every alert it held, and the digest rebuilt from one for a redrive.

import type { Alert } from '../alerts/alert.js';
import type { DeadLetterDigest, DeadLetterRecord } from '../delivery/dead-letter.js';
import { digestAlert, digestOf } from '../noise/digest.js';
import type { DigestBatch, HeldAlert } from '../noise/noise-state.js';

/** Alerts one digest dead letter carries at most (1,000, as many ids as a digest lists): a larger digest is split into parts. */
export const MAX_DIGEST_DEAD_LETTER_ALERTS = 1000;
/** Bytes of alert JSON one digest dead letter carries at most (8 MiB: one line `dlq` reads whole); a part holds at least one alert. */
export const MAX_DIGEST_DEAD_LETTER_BYTES = 8 * 1024 * 1024;

/** The held alerts in parts within both bounds, in read order. */
const partsOf = (held: readonly HeldAlert[]): HeldAlert[][] => {
  const parts: HeldAlert[][] = [];
  let part: HeldAlert[] = [];
  let bytes = 0;
  for (const h of held) {
    const size = Buffer.byteLength(JSON.stringify(h.alert));
    if (part.length > 0 && (part.length >= MAX_DIGEST_DEAD_LETTER_ALERTS || bytes + size > MAX_DIGEST_DEAD_LETTER_BYTES)) {
      parts.push(part);
      part = [];
      bytes = 0;
    }
    part.push(h);
    bytes += size;
  }
  if (part.length > 0) parts.push(part);
  return parts;
};

/**
 * The dead letters of a digest that failed: one record that carries every held alert (`digest.alerts`)
 * and, as its `alert`, the alert-shaped digest; split into parts of at most MAX_DIGEST_DEAD_LETTER_ALERTS
 * alerts and MAX_DIGEST_DEAD_LETTER_BYTES, each a digest of its part, when the digest is larger. Every
 * held alert is in exactly one record.
 */
export const digestDeadLetters = (batch: DigestBatch, base: Omit<DeadLetterRecord, 'alert' | 'digest'>): DeadLetterRecord[] => {
  const parts = partsOf(batch.held);
  return parts.map((held, i) => {
    const alerts = held.map((h) => h.alert);
    const digest: DeadLetterDigest = {
      reason: batch.reason,
      key: batch.key,
      group: batch.group,
      count: alerts.length,
      alerts,
      ...(parts.length > 1 ? { part: i + 1, parts: parts.length } : {}),
    };
    return { ...base, alert: digestAlert(digestOf({ ...batch, held })), digest };
  });
};

/** The digest a dead letter carries, as a batch to deliver again (every alert with the record's `seq`). */
export const batchOfDeadLetter = (digest: DeadLetterDigest, seq: number): DigestBatch => ({
  reason: digest.reason,
  key: digest.key,
  group: digest.group,
  held: digest.alerts.map((alert: Alert) => ({ alert, seq })),
});
