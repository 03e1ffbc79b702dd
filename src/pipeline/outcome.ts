// What happened to one alert in one block: the value that settles it for the block's cursor.

import type { Alert } from '../alerts/alert.js';
import type { DigestBatch } from '../noise/noise-state.js';

/** An alert travelling through a block, with where it came from (for the cursor). */
export interface Envelope {
  readonly alert: Alert;
  /** Sequence number within the block's source: the watermark settles by it. */
  readonly seq: number;
  /** The alert's line as read (the reader's text): what a delivery worker parses, instead of a structured clone of `alert`. */
  readonly line?: string;
  /** A dead-lettered digest sent again (redrive): delivered as that digest, with no filter or noise control. */
  readonly digest?: DigestBatch;
}

export type Outcome =
  /** The line is not an alert (invalid JSON, not an object, overlong): kept in the rejected-lines file. */
  | { readonly kind: 'rejected'; readonly seq: number; readonly reason: string }
  /** Not for this block: a filter (SkipReason, or `prefiltered` when decided without parsing) or the integration's own pre-filter. */
  | { readonly kind: 'skipped'; readonly seq: number; readonly reason: string }
  /** Noise control sent nothing for it (reason `dedup`: its key was seen within the dedup window). Final. */
  | { readonly kind: 'suppressed'; readonly seq: number; readonly reason: string }
  /**
   * Not final: held for a digest (noise control). The line stays unsettled for the cursor but gives its
   * room in the block's window back; the digest's outcome (delivered or dead-lettered) settles it later.
   */
  | { readonly kind: 'held'; readonly seq: number; readonly reason: string }
  | { readonly kind: 'delivered'; readonly seq: number; readonly attempts: number; readonly alert: Alert }
  /**
   * Retries ran out or the service refused for good: written to the dead-letter file. `status`: the last HTTP
   * status, when the service answered; `code`: why no answer came, when none did (RetryEvent's `code`).
   */
  | { readonly kind: 'dead-lettered'; readonly seq: number; readonly attempts: number; readonly reason: string; readonly alert: Alert; readonly status?: number; readonly code?: string };

/**
 * An outcome with the block it belongs to (`blockId`: its stable identity, config/block-identity.ts;
 * `block`: its position in ossec.conf) and the alert's `id` when it has one. `seq` is the alert's
 * position in the integrator's input (the same in every block).
 */
export type BlockOutcome = Outcome & { readonly block: number; readonly integration: string; readonly blockId: string; readonly id?: string };
