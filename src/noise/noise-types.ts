// The values noise control passes around: held alerts, digest batches, admissions, and the caps of a block's state.

import type { Alert } from '../alerts/alert.js';

/** An alert held for a digest: its place in the block's source (it stays unsettled until the digest's outcome). */
export interface HeldAlert {
  readonly seq: number;
  readonly alert: Alert;
  /** Its size in bytes (its line); measured as JSON when absent. */
  readonly bytes?: number;
}

/** Alerts to send as one digest: a group's (reason `group`) or those beyond the hourly cap (`max_per_hour`). */
export interface DigestBatch {
  readonly reason: 'group' | 'max_per_hour';
  /** The group key (a digest of its group_by values), or `max_per_hour`. */
  readonly key: string;
  /** The group's field values (dotted path → value, long values truncated); empty for the hourly cap. */
  readonly group: Readonly<Record<string, unknown>>;
  readonly held: readonly HeldAlert[];
}

/** What to do with one matched alert now. */
export type Admission =
  | { readonly kind: 'send' }
  | { readonly kind: 'suppressed'; readonly reason: 'dedup'; readonly key: string }
  | { readonly kind: 'held'; readonly reason: 'group' | 'max_per_hour'; readonly key: string };

/** Bounds of one block's state (item 2 of issue 18); see DEFAULT_NOISE_LIMITS. */
export interface NoiseLimits {
  /** Open dedup keys, and open groups, at most each: beyond, the one whose window ends first is forgotten (its next alert is sent). */
  readonly maxKeys: number;
  /** Held alerts at most: beyond, the groups held longest are sent early as digests (then the hourly cap's). */
  readonly maxHeld: number;
  /** Bytes of held alerts at most, with the same policy. */
  readonly maxHeldBytes: number;
}

export const DEFAULT_NOISE_LIMITS: NoiseLimits = { maxKeys: 100_000, maxHeld: 10_000, maxHeldBytes: 64 * 1024 * 1024 };

/** A group as NoiseState keeps it: its next digest, display values, held alerts and their bytes. */
export interface OpenGroup {
  nextAt: number;
  firstId?: string;
  readonly values: Readonly<Record<string, unknown>>;
  held: HeldAlert[];
  bytes: number;
  /** When its oldest held alert came (orders early flushes). */
  heldSince: number;
}

/** A held alert's bytes: its line's, or its JSON's. */
export const sizeOf = (held: HeldAlert): number => held.bytes ?? JSON.stringify(held.alert).length;
