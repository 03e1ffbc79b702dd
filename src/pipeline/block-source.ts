// Opens the line source of one block: alerts.json from its cursor (the daemon) or the files of a replay.

import { cursorKey, type CursorPosition, type CursorStore } from '../alerts/cursor-store.js';
import { follow } from '../alerts/follow.js';
import { fromOverlong, type RejectedLines } from '../alerts/rejected-lines.js';
import { ReplaySource } from '../alerts/replay-source.js';
import type { LineRejection, LineSource } from '../alerts/source-line.js';
import type { IntegrationConfig } from '../config/integration-config.js';
import { log } from '../telemetry/log.js';
import { blockLabels, type Metrics } from '../telemetry/metrics.js';

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
    }
  /** A replay: the files read once from the start; no cursor is read or written. */
  | {
      readonly kind: 'replay';
      readonly files: readonly string[];
      readonly since?: Date | undefined;
      readonly until?: Date | undefined;
      /** Alerts per second read by each block (a token bucket); unlimited when undefined. */
      readonly rate?: number | undefined;
    };

export interface OpenedSource {
  readonly source: LineSource;
  /** The cursor key, for a followed source. */
  readonly cursorKey?: string;
  /** A followed source without a saved cursor: where it starts, to be saved at once (else a restart before the first line settles would start at the end again and skip what was written meanwhile). */
  readonly start?: CursorPosition;
  /** Replay progress (lines, bytes, totalBytes). */
  readonly replay?: ReplaySource;
}

/** Counts and records an overlong line once per block (the rejected-lines file dedupes across blocks). */
const onOverlong = (config: IntegrationConfig, metrics: Metrics, rejected: RejectedLines | undefined) => (r: LineRejection) => {
  metrics.linesRejected.inc({ ...blockLabels(config.index, config.name), reason: 'overlong' });
  const fresh = rejected?.record(fromOverlong(r));
  if (fresh !== false) {
    log.warning(`Overlong JSON alert read from '${r.path}'`, { block: config.index, integration: config.name, offset: r.offset, bytes: r.length, max_line_bytes: r.maxLineBytes });
  }
};

/**
 * Opens the block's source. A followed source resumes from the block's saved cursor (also across
 * rotations, see planResume), else starts where `withoutCursor` says; the start position is fixed
 * before this resolves, so "the end" means the end at startup, not at the first read.
 */
export const openBlockSource = async (
  config: IntegrationConfig,
  input: LineInput,
  parts: { readonly metrics: Metrics; readonly rejected?: RejectedLines | undefined; readonly maxLineBytes?: number | undefined },
): Promise<OpenedSource> => {
  const onRejected = onOverlong(config, parts.metrics, parts.rejected);
  const maxLineBytes = parts.maxLineBytes === undefined ? {} : { maxLineBytes: parts.maxLineBytes };
  if (input.kind === 'replay') {
    const replay = new ReplaySource(input.files, { since: input.since, until: input.until, rate: input.rate, onRejected, ...maxLineBytes });
    return { source: replay, replay };
  }
  const key = cursorKey(config);
  const saved = await input.cursors.load(key);
  const startAt = saved ? { identity: saved.identity, offset: saved.offset, path: saved.path } : (input.withoutCursor ?? 'end');
  if (saved) log.info(`Resuming '${config.name}' (block ${config.index}) from ${saved.path} at byte ${saved.offset}.`);
  const follower = follow(input.alertsFile, {
    startAt,
    onRejected,
    ...maxLineBytes,
    ...(input.pollMs === undefined ? {} : { pollMs: input.pollMs }),
  });
  await follower.ready();
  const start = saved ? undefined : follower.position();
  return { source: follower, cursorKey: key, ...(start === undefined ? {} : { start }) };
};
