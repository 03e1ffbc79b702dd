// The follower's options and their defaults.

import type { FollowCursor } from './resume-plan.js';
import type { RejectionHandler } from './source-line.js';

/** 1 MiB: Wazuh drops lines over 64 KiB and users ask for more (wazuh#4143); big enough for any real alert. */
export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;
/** 250 ms: the fallback when fs.watch misses an event (NFS, some containers); Wazuh polls every 1 s. */
export const DEFAULT_POLL_MS = 250;
/** 1 s: a rotation re-links alerts.json at once; Wazuh warns (1118) when the name is still missing 1 s later. */
export const GONE_WARNING_MS = 1000;
/**
 * 5 s: how long a rotated-away file must be idle before the follower moves to the new one (Fluent Bit's
 * Rotate_Wait default): a writer that reopens the name after logrotate's postrotate signal still appends
 * to the old file meanwhile. 0 switches at once (the old file's end when the new one is seen).
 */
export const DEFAULT_ROTATE_WAIT_MS = 5000;

export interface FollowOptions {
  /**
   * `'end'` (default, Wazuh's tail: only lines written from now on; a line being written is read whole),
   * `'beginning'`, or a cursor (see `planResume`: continues in alerts.json or in the rotated archives).
   * A file that does not exist yet is read from 0 once it appears, whatever this says.
   */
  readonly startAt?: 'end' | 'beginning' | FollowCursor;
  readonly maxLineBytes?: number;
  readonly pollMs?: number;
  /** Overlong lines, once each; they are skipped without being buffered. */
  readonly onRejected?: RejectionHandler;
  /** Where the rotated files are (Wazuh: logs/alerts, the directory of alerts.json — the default). */
  readonly archiveRoot?: string;
  /** See DEFAULT_ROTATE_WAIT_MS. */
  readonly rotateWaitMs?: number;
  /** Read size in bytes; tests use small values to cross chunk boundaries. */
  readonly chunkBytes?: number;
}
