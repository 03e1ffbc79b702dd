// Renames the cursor and dead-letter files of versions before block ids (`<index>-<name>`) to the block's id.

import { link, open, rename, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { cursorKey, legacyCursorKey, type CursorStore } from '../alerts/cursor-store.js';
import type { IntegrationConfig } from '../config/integration-config.js';
import type { DeadLetterStore } from '../delivery/dead-letter.js';
import { log } from '../telemetry/log.js';

export interface LegacyStores {
  /** The cursors of the default alerts.json (legacy cursors only ever were of that file); none: leave cursors alone. */
  readonly cursors?: CursorStore | undefined;
  readonly deadLetters?: DeadLetterStore | undefined;
}

const codeOf = (error: unknown) => (error as NodeJS.ErrnoException).code;

/**
 * Moves `from` to `to` unless `to` exists: a hard link (fails with EEXIST instead of replacing)
 * then an unlink; where the file system has no hard links, a check and a rename. False when
 * there is nothing to move or `to` is already there (then `from` is left as it is).
 */
const moveIfAbsent = async (from: string, to: string): Promise<boolean> => {
  try {
    await link(from, to);
  } catch (error) {
    if (codeOf(error) === 'ENOENT' || codeOf(error) === 'EEXIST') return false;
    const taken = await stat(to).then(
      () => true,
      () => false,
    );
    if (taken) return false;
    await rename(from, to);
    return true;
  }
  await unlink(from);
  return true;
};

const fsyncDir = async (dir: string): Promise<void> => {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
};

/**
 * For every block: when it has no `<id>` file but a legacy `<index>-<name>` one (same index and
 * name as the old keying), the legacy file becomes its file; one INFO line per migrated file.
 * A block that already has its `<id>` file keeps it and the legacy file stays (dlq lists it as
 * orphaned). Never rejects: a file that cannot be moved is logged as an error and left in place.
 * Resolves with the number of files moved.
 */
export const migrateLegacyState = async (configs: readonly IntegrationConfig[], stores: LegacyStores): Promise<number> => {
  const moves: { what: string; config: IntegrationConfig; from: string; to: string }[] = [];
  for (const config of configs) {
    const { cursors, deadLetters } = stores;
    if (cursors) moves.push({ what: 'cursor', config, from: cursors.pathOf(legacyCursorKey(config.index, config.name)), to: cursors.pathOf(cursorKey(config)) });
    if (deadLetters) moves.push({ what: 'dead letters', config, from: deadLetters.legacyFileFor(config.index, config.name), to: deadLetters.fileFor(config.id) });
  }
  const touched = new Set<string>();
  let moved = 0;
  for (const { what, config, from, to } of moves) {
    if (from === to) continue;
    try {
      if (!(await moveIfAbsent(from, to))) continue;
    } catch (error) {
      log.error(`Cannot migrate the ${what} of '${config.name}' (block ${config.index}) from ${from} to ${to}; left in place.`, { error: codeOf(error) ?? String(error) });
      continue;
    }
    touched.add(dirname(to));
    moved += 1;
    log.info(`Migrated the ${what} of '${config.name}' (block ${config.index}) from ${from} to ${to}.`);
  }
  for (const dir of touched) await fsyncDir(dir).catch(() => undefined);
  return moved;
};
