// Opens the follower of one block: alerts.json from the block's cursor, or where a block without one starts.

import { stat } from 'node:fs/promises';
import { cursorKey, type CursorPosition, type CursorStore, type StoredCursor } from '../alerts/cursor-store.js';
import { matchesFingerprint } from '../alerts/file-identity.js';
import { follow, type Follower } from '../alerts/follow.js';
import type { RejectionHandler } from '../alerts/source-line.js';
import type { IntegrationConfig } from '../config/integration-config.js';
import { log } from '../telemetry/log.js';

/** Where a block's alerts come from. */
export type LineInput =
  /** The daemon: alerts.json followed through rotation, resumed from the block's cursor. */
  | {
      readonly kind: 'follow';
      readonly alertsFile: string;
      /** Where a block without a cursor starts: Wazuh's tail (`end`, default) or `beginning`. */
      readonly withoutCursor?: 'end' | 'beginning';
      readonly cursors: CursorStore;
      readonly pollMs?: number;
      /** How long a rotated-away alerts.json must be idle before its follower moves on (default 5 s, see DEFAULT_ROTATE_WAIT_MS). */
      readonly rotateWaitMs?: number | undefined;
      /** A block a reload adds back (not running before it): its saved cursor is used only if its file is still alerts.json (see comesBack). */
      readonly returning?: boolean | undefined;
    }
  /** A replay: the files read once from the start, for every block at once; no cursor is read or written. */
  | {
      readonly kind: 'replay';
      readonly files: readonly string[];
      readonly since?: Date | undefined;
      readonly until?: Date | undefined;
      /** Alerts per second read (a token bucket); unlimited when undefined. */
      readonly rate?: number | undefined;
    };

export interface OpenedSource {
  readonly source: Follower;
  readonly cursorKey: string;
  /** A follower without a saved cursor: where it starts, to be saved at once (else a restart before the first line settles would start at the end again and skip what was written meanwhile). */
  readonly start?: CursorPosition;
}

/**
 * Opens the block's follower (a replay's files are read once for all blocks, by the integrator). It
 * resumes from the block's saved cursor (also across rotations, see planResume), else starts where
 * `withoutCursor` says; the start position is fixed before this resolves, so "the end" means the end
 * at startup, not at the first read.
 */
export const openBlockSource = async (
  config: IntegrationConfig,
  input: Extract<LineInput, { kind: 'follow' }>,
  parts: { readonly onRejected: RejectionHandler; readonly maxLineBytes?: number | undefined },
): Promise<OpenedSource> => {
  const key = cursorKey(config);
  const stored = await input.cursors.load(key);
  const saved = stored && input.returning ? await comesBack(config, stored, input.alertsFile) : stored;
  const startAt = saved ? { identity: saved.identity, offset: saved.offset, path: saved.path } : (input.withoutCursor ?? 'end');
  if (saved) log.info(`Resuming '${config.name}' (block ${config.index}) from ${saved.path} at byte ${saved.offset}.`);
  const follower = follow(input.alertsFile, {
    startAt,
    onRejected: parts.onRejected,
    ...(parts.maxLineBytes === undefined ? {} : { maxLineBytes: parts.maxLineBytes }),
    ...(input.pollMs === undefined ? {} : { pollMs: input.pollMs }),
    ...(input.rotateWaitMs === undefined ? {} : { rotateWaitMs: input.rotateWaitMs }),
  });
  await follower.ready();
  const start = saved ? undefined : follower.position();
  return { source: follower, cursorKey: key, ...(start === undefined ? {} : { start }) };
};

/**
 * The rule for a block that comes back (removed by a reload, then added again): its old cursor is
 * used only when the file it points into is still alerts.json — same device, inode and first bytes,
 * and not shorter than the cursor — so the alerts written meanwhile are delivered; after a rotation
 * (or any other file) it starts at the end, as a new block would. Logs which. Never rejects.
 */
const comesBack = async (config: IntegrationConfig, saved: StoredCursor, alertsFile: string): Promise<StoredCursor | undefined> => {
  const named = await stat(alertsFile).catch(() => undefined);
  const same =
    named !== undefined && named.dev === saved.identity.dev && named.ino === saved.identity.ino && named.size >= saved.offset && (await matchesFingerprint(alertsFile, saved.identity));
  const block = `'${config.name}' (block ${config.index}) is back`;
  if (same) log.info(`${block}: its cursor's file is still ${alertsFile}; resuming from byte ${saved.offset} (the alerts written meanwhile are delivered).`);
  else log.info(`${block}: its cursor's file (${saved.path}) is no longer ${alertsFile} (rotated or replaced since); starting at the end, as a new block.`);
  return same ? saved : undefined;
};

/** Opens followers of `alertsFile` at a position: how a block that falls behind the others reads on by itself (SharedReader's `reopen`). */
export const followFrom =
  (alertsFile: string, options: { readonly maxLineBytes?: number | undefined; readonly pollMs?: number | undefined; readonly rotateWaitMs?: number | undefined }) =>
  async (at: CursorPosition, onRejected: RejectionHandler): Promise<Follower> => {
    const follower = follow(alertsFile, {
      startAt: { identity: at.identity, offset: at.offset, path: at.path },
      onRejected,
      ...(options.maxLineBytes === undefined ? {} : { maxLineBytes: options.maxLineBytes }),
      ...(options.pollMs === undefined ? {} : { pollMs: options.pollMs }),
      ...(options.rotateWaitMs === undefined ? {} : { rotateWaitMs: options.rotateWaitMs }),
    });
    await follower.ready();
    return follower;
  };
