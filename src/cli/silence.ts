// `integratord silence add|list|expire`: silences in STATE/silences.json, applied by run and replay.

import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import { EXIT, type Command, type CommandIo } from './command.js';
import { blockIdOption, currentBlocks } from './dead-letter-blocks.js';
import { HOME_OPTIONS, parseOptions } from './parse-options.js';
import { IntegratordError, errorMessage } from '../errors.js';
import { durationSeconds } from '../config/duration.js';
import { describeMatchers, isActive, parseMatcher, type Matcher, type Silence } from '../silences/silence.js';
import { readSilences, silencesPath, writeSilences } from '../silences/silence-file.js';
import { checkStateDir, ensurePrivateDir } from '../state/state-dir.js';
import { SharedSilenceStore } from '../shared-state/shared-silences.js';
import type { SharedState } from '../shared-state/shared-state.js';
import { openSharedState, SHARED_STATE_HELP, SHARED_STATE_OPTIONS } from './shared-state-options.js';
import { readSharedState } from '../config/read-shared-state.js';
import { wazuhPaths, type WazuhPaths } from '../wazuh-home.js';

const help = `Usage: integratord silence add --match FIELD=VALUE [--match …] [--block ID|N] --for DURATION --comment TEXT
       integratord silence list   [--all]
       integratord silence expire ID
  (each also takes [--home DIR] [-c FILE] [--state DIR])

A silence stops the delivery of the alerts it matches until it expires: 'run' (within a second,
no restart) and 'replay' skip them with the reason 'silenced', counted in
integratord_alerts_skipped_total{reason="silenced"}; 'explain' names the silence. Silences are
kept in STATE/silences.json.

  add     a new silence; prints its id. Every --match must hold: FIELD is a dotted alert path
          (rule.id, agent.name, data.srcip), VALUE its exact value (numbers as JSON writes them:
          rule.level=10). Without --block it applies to every block.
  list    the active silences: id, block, matchers, expiry, comment (--all: expired ones too,
          kept 7 days)
  expire  ends a silence now

Options:
  --match FIELD=VALUE  add: a field and the exact value it must have (repeatable)
  --block ID|N         add: only this block: its id (as 'dlq list' shows) or its 0-based position (as check lists the blocks)
  --for DURATION       add: how long: seconds, or 30s, 5m, 2h, 1d
  --comment TEXT       add: why (shown by list, explain and the daemon's log)
  --all                list: expired silences too
  --home DIR           Wazuh home (default /var/ossec)
  -c, --config FILE    for --block: read this file alone (default: DIR/etc/ossec.conf and DIR/etc/integratord.conf, as run)
  --state DIR          state directory (default DIR/var/integratord)
${SHARED_STATE_HELP}
                     (silences then live in the cluster's shared state: every node's daemon applies them within a second)
  -h, --help           show this help

The state directory is checked as 'run' checks it (a symlink, another owner, group/world-writable:
refused, exit 1).

Exit codes: 0 success, 1 error (unsafe or unreadable state, unknown silence id), 2 wrong arguments.`;

const OPTIONS = {
  ...HOME_OPTIONS,
  state: { type: 'string' },
  match: { type: 'string', multiple: true },
  block: { type: 'string' },
  for: { type: 'string' },
  comment: { type: 'string' },
  all: { type: 'boolean', default: false },
  ...SHARED_STATE_OPTIONS,
} as const;

const ACTIONS = ['add', 'list', 'expire'];

/** Where silences are kept: STATE/silences.json, or the cluster's shared state (--shared-state). */
interface SilenceBook {
  readonly where: string;
  read(): Promise<{ silences: Silence[]; problems: string[] }>;
  /** Saves `changed` (a new or expired silence); `all` is every silence with it. */
  save(changed: Silence, all: readonly Silence[], now: number): Promise<void>;
}

const fileBook = (state: string): SilenceBook => ({
  where: silencesPath(state),
  read: () => readSilences(state),
  save: async (_changed, all, now) => {
    await ensurePrivateDir(state);
    await writeSilences(state, all, now);
  },
});

const sharedBook = (shared: SharedState): SilenceBook => {
  const store = new SharedSilenceStore(shared);
  const reachable = async () => {
    if (!(await shared.ready(3000))) throw new Error('Redis not reachable');
  };
  return {
    where: store.where,
    read: async () => (await reachable(), store.read()),
    save: async (changed, all, now) => (await reachable(), store.put(changed, all, now)),
  };
};

const readOrFail = async (book: SilenceBook): Promise<Silence[]> => {
  try {
    const { silences, problems } = await book.read();
    if (problems.length > 0) throw new Error(`${problems.length} record(s) are not silences: ${problems.join('; ')}`);
    return silences;
  } catch (error) {
    throw new IntegratordError('INTEGRATORD_IO', `cannot read ${book.where} (${errorMessage(error)})`, { cause: error });
  }
};

const write = async (book: SilenceBook, changed: Silence, silences: readonly Silence[], now: number): Promise<void> => {
  try {
    await book.save(changed, silences, now);
  } catch (error) {
    throw new IntegratordError('INTEGRATORD_IO', `cannot write ${book.where} (${errorMessage(error)})`, { cause: error });
  }
};

/** The block id of --block: an id of a configured block, or a position; an id is taken as is when the configuration cannot be read. */
const blockOf = async (value: string, paths: WazuhPaths, io: CommandIo): Promise<string> => {
  const blocks = await currentBlocks(paths, undefined, io, false);
  if (blocks.configs === undefined && !/^\d+$/.test(value)) return value;
  return blockIdOption(value, blocks, []);
};

const whoAmI = (): string | undefined => {
  try {
    return userInfo().username;
  } catch {
    return undefined;
  }
};

const add = async (values: { match?: string[] | undefined; block?: string | undefined; for?: string | undefined; comment?: string | undefined }, paths: WazuhPaths, book: SilenceBook, io: CommandIo): Promise<number> => {
  if (values.match === undefined || values.match.length === 0) throw new IntegratordError('INTEGRATORD_USAGE', 'add needs at least one --match FIELD=VALUE');
  const matchers: Matcher[] = values.match.map((text) => {
    const m = parseMatcher(text);
    if (m === undefined) throw new IntegratordError('INTEGRATORD_USAGE', `--match expects FIELD=VALUE with a dotted alert path (rule.id=5710, data.srcip=10.0.0.1), got '${text}'`);
    return m;
  });
  if (values.for === undefined) throw new IntegratordError('INTEGRATORD_USAGE', 'add needs --for DURATION (seconds, or 30s, 5m, 2h, 1d)');
  const seconds = durationSeconds(values.for);
  const ms = seconds === undefined || seconds === 0 ? undefined : seconds * 1000;
  if (ms === undefined) throw new IntegratordError('INTEGRATORD_USAGE', `--for expects a positive duration: seconds, or 30s, 5m, 2h, 1d; got '${values.for}'`);
  if (values.comment === undefined || values.comment.trim() === '') throw new IntegratordError('INTEGRATORD_USAGE', 'add needs --comment TEXT: why the alerts are silenced');
  const block = values.block === undefined ? undefined : await blockOf(values.block, paths, io);
  const silences = await readOrFail(book);
  const now = Date.now();
  let id: string;
  do id = randomBytes(4).toString('hex');
  while (silences.some((s) => s.id === id));
  const by = whoAmI();
  const silence: Silence = {
    id,
    matchers,
    ...(block === undefined ? {} : { block }),
    created_at: new Date(now).toISOString(),
    expires_at: new Date(now + ms).toISOString(),
    comment: values.comment,
    ...(by === undefined ? {} : { created_by: by }),
  };
  await write(book, silence, [...silences, silence], now);
  io.stdout.write(`silence ${id} added: ${describeMatchers(matchers)} on ${block === undefined ? 'every block' : `block ${block}`} until ${silence.expires_at}\n`);
  return EXIT.ok;
};

const cell = (text: string, width: number) => text.padEnd(width);

const list = async (all: boolean, book: SilenceBook, io: CommandIo): Promise<number> => {
  const now = Date.now();
  const shown = (await readOrFail(book)).filter((s) => all || isActive(s, now));
  if (shown.length === 0) {
    io.stdout.write(`no ${all ? '' : 'active '}silences in ${book.where}\n`);
    return EXIT.ok;
  }
  const rows = [['ID', 'STATE', 'BLOCK', 'MATCH', 'EXPIRES', 'COMMENT'], ...shown.map((s) => [s.id, isActive(s, now) ? 'active' : 'expired', s.block ?? 'every block', describeMatchers(s.matchers), s.expires_at, JSON.stringify(s.comment)])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  io.stdout.write(`${rows.map((r) => r.map((c, i) => cell(c, widths[i] ?? 0)).join('  ').trimEnd()).join('\n')}\n`);
  return EXIT.ok;
};

const expire = async (id: string, book: SilenceBook, io: CommandIo): Promise<number> => {
  const silences = await readOrFail(book);
  const found = silences.find((s) => s.id === id);
  if (found === undefined) throw new IntegratordError('INTEGRATORD_IO', `no silence '${id}' in ${book.where} ('integratord silence list --all' shows them)`);
  const now = Date.now();
  if (!isActive(found, now)) {
    io.stdout.write(`silence ${id} had already expired at ${found.expires_at}\n`);
    return EXIT.ok;
  }
  const at = new Date(now).toISOString();
  const expired = { ...found, expires_at: at };
  await write(book, expired, silences.map((s) => (s.id === id ? expired : s)), now);
  io.stdout.write(`silence ${id} expired at ${at}\n`);
  return EXIT.ok;
};

export const silence: Command = {
  name: 'silence',
  help,
  async run(argv, io) {
    const { values, positionals } = parseOptions(argv, OPTIONS, true);
    const [action, ...rest] = positionals;
    if (action === undefined || !ACTIONS.includes(action)) throw new IntegratordError('INTEGRATORD_USAGE', action === undefined ? 'missing action: add, list or expire' : `unknown action '${action}'`);
    const expected = action === 'expire' ? 1 : 0;
    if (rest.length !== expected) throw new IntegratordError('INTEGRATORD_USAGE', action === 'expire' ? 'expire takes exactly one silence ID' : `unexpected argument '${rest.join(' ')}'`);
    const addOnly = (['match', 'block', 'for', 'comment'] as const).filter((k) => values[k] !== undefined);
    if (action !== 'add' && addOnly.length > 0) throw new IntegratordError('INTEGRATORD_USAGE', `--${addOnly[0]} only applies to add`);
    if (action !== 'list' && values.all) throw new IntegratordError('INTEGRATORD_USAGE', '--all only applies to list');
    const paths = wazuhPaths(values.home, { config: values.config, state: values.state });
    const shared = openSharedState(values, undefined, await readSharedState(paths.configFiles));
    try {
      // A silences file planted in a directory others can write would hide alerts: refuse the directory.
      if (shared === undefined) await checkStateDir(paths.state);
      const book = shared === undefined ? fileBook(paths.state) : sharedBook(shared);
      if (action === 'add') return await add(values, paths, book, io);
      if (action === 'list') return await list(values.all, book, io);
      return await expire(rest[0]!, book, io);
    } finally {
      await shared?.close();
    }
  },
};
