// `integratord cursor list|set|reset`: see and move where each block reads alerts.json (its durable cursor).

import { readdir, stat, unlink } from 'node:fs/promises';
import { EXIT, type Command, type CommandIo } from './command.js';
import { HOME_OPTIONS, parseOptions } from './parse-options.js';
import { CursorStore, cursorKey, type CursorPosition, type StoredCursor } from '../alerts/cursor-store.js';
import { LiveFile } from '../alerts/live-file.js';
import { ReplaySource } from '../alerts/replay-source.js';
import { isEndOfLines } from '../alerts/source-line.js';
import type { IntegrationConfig } from '../config/integration-config.js';
import { loadHomeConfig } from '../config/load-home-config.js';
import { IntegratordError, errorCode, errorMessage } from '../errors.js';
import { checkStateDir } from '../state/state-dir.js';
import { acquireStateLock } from '../state/state-lock.js';
import { wazuhPaths, type WazuhPaths } from '../wazuh-home.js';

const help = `Usage: integratord cursor list
       integratord cursor set   --block ID|N --to end|beginning|TIME
       integratord cursor reset --block ID|N
  (each also takes [--home DIR] [-c FILE] [--state DIR])

Each block keeps a durable cursor (STATE/cursors/<block id>.json): where it reads alerts.json
next after a restart, also in a rotated file. This command shows and moves them.

  list    every block of the configuration and every cursor file: the file and byte offset, and
          whether that file is alerts.json now (with the bytes still to read) or a rotated one
  set     moves the block's cursor in alerts.json: 'end' (only alerts written from now on),
          'beginning' (everything alerts.json holds), or TIME (ISO 8601, e.g. 2026-11-27T10:00:00Z:
          the first alert of alerts.json at or after it; the end when there is none)
  reset   removes the block's cursor: it starts where a new block starts (the end, or the beginning
          with 'run --from-beginning')

set and reset refuse (exit 1) while a daemon holds the state directory (STATE/integratord.lock): a
running daemon keeps writing its cursors. Stop it, move the cursor, start it again.

Options:
  --block ID|N       the block id (as 'cursor list' shows) or its 0-based position in the configuration
  --to WHERE         set: end, beginning or an ISO 8601 time
  --home DIR         Wazuh home (default /var/ossec)
  -c, --config FILE  read this file alone for the blocks (default: DIR/etc/ossec.conf and
                     DIR/etc/integratord.conf, as run reads them)
  --state DIR        state directory (default DIR/var/integratord)
  -h, --help         show this help

Exit codes: 0 success, 1 error (a daemon holds the state, unsafe state, alerts.json unreadable),
2 wrong arguments.`;

const OPTIONS = {
  ...HOME_OPTIONS,
  state: { type: 'string' },
  block: { type: 'string' },
  to: { type: 'string' },
} as const;

const ACTIONS = ['list', 'set', 'reset'];

/** The configured blocks; none (with a note on stderr) when the configuration cannot be read. */
const configuredBlocks = async (paths: WazuhPaths, io: CommandIo): Promise<readonly IntegrationConfig[]> => {
  try {
    const loaded = await loadHomeConfig(paths);
    if (loaded.ok) return loaded.integrations;
    io.stderr.write(`integratord cursor: ${paths.configFiles.join(' or ')} has errors (integratord check); blocks are shown by id only\n`);
  } catch (error) {
    io.stderr.write(`integratord cursor: ${errorMessage(error)}; blocks are shown by id only\n`);
  }
  return [];
};

/** The ids of STATE/cursors/*.json (the cursors of alerts.json). */
const cursorIds = async (state: string): Promise<string[]> => {
  const names = await readdir(`${state}/cursors`).catch(() => [] as string[]);
  return names.filter((n) => n.endsWith('.json') && !n.startsWith('.')).map((n) => n.slice(0, -'.json'.length)).sort();
};

/** The block id --block names: a configured id or a cursor file's, or a 0-based position. */
const blockId = (value: string | undefined, configs: readonly IntegrationConfig[], ids: readonly string[]): string => {
  if (value === undefined) throw new IntegratordError('INTEGRATORD_USAGE', 'this action needs --block ID|N');
  if (configs.some((c) => cursorKey(c) === value) || ids.includes(value)) return value;
  if (!/^\d+$/.test(value)) throw new IntegratordError('INTEGRATORD_USAGE', `--block expects a block id (as 'cursor list' shows) or a block number (0, 1, …), got '${value}'`);
  const config = configs.find((c) => c.index === Number(value));
  if (config === undefined) throw new IntegratordError('INTEGRATORD_USAGE', `--block ${value}: the configuration has ${configs.length} block(s)`);
  return cursorKey(config);
};

/** Where a saved cursor is, told against alerts.json as it is now. */
const whereIs = (saved: StoredCursor, live: { dev: number; ino: number; size: number } | undefined): string =>
  live !== undefined && live.dev === saved.identity.dev && live.ino === saved.identity.ino
    ? `in alerts.json, ${Math.max(0, live.size - saved.offset)} byte(s) still to read`
    : 'in a rotated file (read to its end first after a restart)';

const list = async (paths: WazuhPaths, io: CommandIo): Promise<number> => {
  const configs = await configuredBlocks(paths, io);
  const store = new CursorStore(paths.state);
  const ids = await cursorIds(paths.state);
  const live = await stat(paths.alerts).then((s) => ({ dev: s.dev, ino: s.ino, size: s.size }), () => undefined);
  const rows: string[][] = [['BLOCK', 'ID', 'OFFSET', 'UPDATED', 'WHERE']];
  const shown = new Set<string>();
  for (const config of configs) {
    const id = cursorKey(config);
    shown.add(id);
    const saved = ids.includes(id) ? await store.load(id) : undefined;
    rows.push(saved ? [`#${config.index} ${config.name}`, id, String(saved.offset), saved.updatedAt, whereIs(saved, live)] : [`#${config.index} ${config.name}`, id, '-', '-', 'no cursor: starts at the end']);
  }
  for (const id of ids.filter((i) => !shown.has(i))) {
    const saved = await store.load(id);
    rows.push(['-', id, saved ? String(saved.offset) : '?', saved?.updatedAt ?? '?', 'no block with this id (removed from the configuration)']);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  for (const row of rows) io.stdout.write(`${row.map((cell, c) => (c === row.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ')}\n`);
  return EXIT.ok;
};

/** The position `--to` names in alerts.json. */
const positionOf = async (to: string, alerts: string): Promise<CursorPosition> => {
  if (to === 'end' || to === 'beginning') {
    const file = await LiveFile.open(alerts);
    try {
      return { identity: file.identity, path: alerts, offset: to === 'end' ? await file.endOffset() : 0 };
    } finally {
      await file.close();
    }
  }
  const since = new Date(to);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(to) || Number.isNaN(since.getTime())) throw new IntegratordError('INTEGRATORD_USAGE', `--to expects end, beginning or an ISO 8601 time (2026-11-27T10:00:00Z), got '${to}'`);
  const source = new ReplaySource([alerts], { since });
  try {
    const first = await source.next();
    if (!isEndOfLines(first)) return { identity: first.file, path: alerts, offset: first.start };
  } finally {
    await source.close();
  }
  return positionOf('end', alerts);
};

/** Runs `change` holding the state lock: refused while a daemon holds it. */
const withLock = async <T>(state: string, change: () => Promise<T>): Promise<T> => {
  let lock;
  try {
    lock = await acquireStateLock(state);
  } catch (error) {
    throw new IntegratordError('INTEGRATORD_IO', `${errorMessage(error)}; stop the daemon before moving a cursor (it keeps writing its own)`, { cause: error });
  }
  try {
    return await change();
  } finally {
    await lock.release();
  }
};

const set = async (id: string, to: string | undefined, paths: WazuhPaths, io: CommandIo): Promise<number> => {
  if (to === undefined) throw new IntegratordError('INTEGRATORD_USAGE', 'set needs --to end|beginning|TIME');
  const position = await positionOf(to, paths.alerts).catch((error: unknown) => {
    if (error instanceof IntegratordError) throw error;
    throw new IntegratordError('INTEGRATORD_IO', `cannot read ${paths.alerts} (${errorCode(error)})`, { cause: error });
  });
  await withLock(paths.state, async () => {
    const store = new CursorStore(paths.state);
    store.save(id, position);
    const { unsaved } = await store.flush();
    if (unsaved.length > 0) throw new IntegratordError('INTEGRATORD_IO', `cannot write ${store.pathOf(id)} (${unsaved[0]!.error})`);
  });
  io.stdout.write(`cursor of ${id} set to byte ${position.offset} of ${paths.alerts} (${to})\n`);
  return EXIT.ok;
};

const reset = async (id: string, paths: WazuhPaths, io: CommandIo): Promise<number> => {
  const path = new CursorStore(paths.state).pathOf(id);
  const removed = await withLock(paths.state, () =>
    unlink(path).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return false;
        throw new IntegratordError('INTEGRATORD_IO', `cannot remove ${path} (${errorCode(error)})`, { cause: error });
      },
    ),
  );
  io.stdout.write(removed ? `cursor of ${id} removed: the block starts where a new block starts\n` : `${id} has no cursor: nothing to reset\n`);
  return EXIT.ok;
};

export const cursor: Command = {
  name: 'cursor',
  help,
  async run(argv: readonly string[], io: CommandIo) {
    const { values, positionals } = parseOptions(argv, OPTIONS, true);
    const action = positionals[0];
    if (action === undefined || !ACTIONS.includes(action) || positionals.length > 1) {
      throw new IntegratordError('INTEGRATORD_USAGE', `expected one of ${ACTIONS.join(', ')}${action === undefined ? '' : `, got '${positionals.join(' ')}'`}`);
    }
    if (action !== 'set' && values.to !== undefined) throw new IntegratordError('INTEGRATORD_USAGE', '--to only applies to set');
    const paths = wazuhPaths(values.home, { config: values.config, state: values.state });
    await checkStateDir(paths.state);
    if (action === 'list') return list(paths, io);
    const id = blockId(values.block, await configuredBlocks(paths, io), await cursorIds(paths.state));
    return action === 'set' ? set(id, values.to, paths, io) : reset(id, paths, io);
  },
};
