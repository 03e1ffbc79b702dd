// `integratord dlq list|redrive|drop`: inspect, re-send and remove dead letters.

import { EXIT, type Command, type CommandIo } from './command.js';
import { blockIdOption, currentBlocks, type CurrentBlocks } from './dead-letter-blocks.js';
import { HOME_OPTIONS, parseOptions } from './parse-options.js';
import { stringField } from '../alerts/alert.js';
import { DeadLetterStore, type DeadLetterFile } from '../delivery/dead-letter.js';
import type { QueueWriter } from '../delivery/queue-writer.js';
import { IntegratordError } from '../errors.js';
import { createDeliveryParts } from '../pipeline/delivery-parts.js';
import { ownerOf, redriveFile } from '../pipeline/redrive.js';
import { checkStateDir } from '../state/state-dir.js';
import { scrubSecrets } from '../telemetry/log.js';
import { wazuhPaths, type WazuhPaths } from '../wazuh-home.js';

const help = `Usage: integratord dlq list    [--block ID|N] [--home DIR] [-c FILE] [--state DIR]
       integratord dlq redrive [--block ID|N] [--home DIR] [-c FILE] [--state DIR]
       integratord dlq drop    {--block ID|N | --alert ID | --all} [--force] [--home DIR] [-c FILE] [--state DIR]

Dead letters are alerts a block gave up on (retries ran out, or the service refused them),
kept in STATE/dead-letter/<block id>.jsonl. A block id is the block's name and a digest of its
hook_url (slack-1a2b3c4d): it stays when blocks are moved, added or removed, or their filters
change. The blocks are those 'run' reads: DIR/etc/ossec.conf and DIR/etc/integratord.conf (or the
-c file alone). A file whose id matches no block of any of them is listed as orphaned.

  list     print a table: block (position in ossec.conf, or orphaned), block id, integration,
           alert id, rule id, attempts, reason, time
  redrive  send them again through the block with the same id in ossec.conf (its filters,
           integration, timeouts and retries); delivered ones are removed, failures stay with the
           new attempt; orphaned ones are not sent
  drop     remove them for good: those of --block and/or --alert ID, or every one with --all;
           prints how many. The dead letters of a block that is still configured can be
           redriven: --block and --all (without --alert) refuse them unless --force

Options:
  --block ID|N   only the dead letters of one block: its id (as list shows) or its 0-based
                 position (as check lists the blocks)
  --alert ID     drop: only the records of this alert id
  --all          drop: every dead letter of every block (drop needs --all, --block or --alert)
  --force        drop: also the dead letters of blocks that are still configured
  --home DIR     Wazuh home (default /var/ossec)
  -c, --config FILE  read this file alone to match blocks with (default: DIR/etc/ossec.conf and
                 DIR/etc/integratord.conf)
  --state DIR    state directory (default DIR/var/integratord)
  -h, --help     show this help

The state directory is checked as 'run' checks it (a symlink, another owner, group/world-writable:
refused, exit 1). dlq does not take the daemon's lock: redrive and drop keep lines a running
daemon appends meanwhile.

Exit codes: 0 success (redrive: every record delivered), 1 error (unreadable config, unreadable
or unsafe state), 2 wrong arguments, 3 redrive finished but some records are still dead.`;

/** Where redriven enrichment write-backs go (the Wazuh queue socket in the CLI). */
export type QueueWriterFactory = (paths: WazuhPaths) => QueueWriter;

const OPTIONS = {
  ...HOME_OPTIONS,
  state: { type: 'string' },
  block: { type: 'string' },
  alert: { type: 'string' },
  all: { type: 'boolean', default: false },
  force: { type: 'boolean', default: false },
} as const;

const cell = (text: string, width: number) => (text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width));

/** Widest cell per column: block ids are shown whole (they are what --block takes), reasons up to 60. */
const MAX_WIDTHS = [8, 120, 40, 40, 40, 8, 60, 40];

const table = (rows: readonly (readonly string[])[]): string => {
  const widths = rows[0]!.map((_, i) => Math.min(MAX_WIDTHS[i] ?? 40, Math.max(...rows.map((r) => (r[i] ?? '').length))));
  return rows.map((r) => r.map((c, i) => cell(c, widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
};


const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

const list = async (store: DeadLetterStore, files: readonly DeadLetterFile[], blocks: CurrentBlocks, io: CommandIo): Promise<number> => {
  const rows: string[][] = [['BLOCK', 'BLOCK ID', 'INTEGRATION', 'ALERT ID', 'RULE ID', 'ATTEMPTS', 'REASON', 'TIME']];
  const orphans: string[] = [];
  for (const file of files) {
    const owner = blocks.configs === undefined ? undefined : ownerOf(file, blocks.configs);
    const position = owner !== undefined ? String(owner.index) : blocks.configs === undefined ? '?' : 'orphaned';
    let count = 0;
    for (const entry of await store.entries(file.path)) {
      const r = entry.record;
      if (!r) continue;
      count += 1;
      const reason = r.status === undefined || r.reason.includes(String(r.status)) ? r.reason : `${r.status} ${r.reason}`;
      rows.push([position, file.id, owner?.name ?? r.integration, stringField(r.alert, 'id') ?? '-', stringField(r.alert, 'rule', 'id') ?? '-', String(r.attempts), scrubSecrets(reason), r.time]);
    }
    if (owner === undefined && blocks.configs !== undefined && count > 0) orphans.push(`orphaned: ${plural(count, 'dead letter')} of '${file.id}', which no block of ossec.conf has (removed, or its name or hook_url changed); 'integratord dlq drop --block ${file.id}' removes them`);
  }
  if (rows.length === 1) {
    io.stdout.write(`no dead letters in ${store.dir}\n`);
    return EXIT.ok;
  }
  io.stdout.write(`${table(rows)}\n${plural(rows.length - 1, 'dead letter')}\n${orphans.map((o) => `${o}\n`).join('')}`);
  if (blocks.configs === undefined) io.stderr.write(`integratord dlq: cannot tell which block each file belongs to: ${blocks.why}\n`);
  return EXIT.ok;
};

/**
 * Refuses a --block or --all drop that would remove dead letters of a block still in the
 * configuration (they can be redriven), or when the configuration cannot tell; --force drops anyway.
 */
const guardDrop = (files: readonly DeadLetterFile[], blocks: CurrentBlocks, paths: WazuhPaths): void => {
  const force = 'add --force to drop them anyway';
  if (blocks.configs === undefined) throw new IntegratordError('INTEGRATORD_CONFIG', `cannot tell which dead letters belong to a configured block (${blocks.why}): nothing dropped; ${force}`);
  const configured = files.map((f) => ownerOf(f, blocks.configs)).filter((c) => c !== undefined);
  if (configured.length === 0) return;
  const which = configured.map((c) => `${c.id} (block ${c.index}, ${c.name})`).join(', ');
  throw new IntegratordError(
    'INTEGRATORD_CONFIG',
    `${which} ${configured.length === 1 ? 'is' : 'are'} in ${paths.configFiles.length === 1 ? paths.config : 'the configuration'}: ${configured.length === 1 ? 'its' : 'their'} dead letters can be redriven ('integratord dlq redrive --block ${configured[0]!.id}'); nothing dropped; ${force}`,
  );
};

const drop = async (store: DeadLetterStore, files: readonly DeadLetterFile[], alert: string | undefined, io: CommandIo): Promise<number> => {
  let removed = 0;
  for (const file of files) {
    const counts = await store.rewrite(file.path, (r) => (alert === undefined || stringField(r.alert, 'id') === alert ? undefined : r));
    removed += counts.removed;
  }
  io.stdout.write(`dropped ${removed} dead letter${removed === 1 ? '' : 's'}\n`);
  return EXIT.ok;
};

const redrive = async (store: DeadLetterStore, files: readonly DeadLetterFile[], blocks: CurrentBlocks, paths: WazuhPaths, queueWriter: QueueWriterFactory, io: CommandIo): Promise<number> => {
  if (blocks.configs === undefined) {
    io.stderr.write(`integratord dlq: ${paths.config} is not valid: nothing redriven\n`);
    return EXIT.failure;
  }
  const queue = queueWriter(paths);
  const delivery = createDeliveryParts({ paths, queue });
  let stillDead = 0;
  try {
    for (const file of files) {
      const r = await redriveFile(file, { configs: blocks.configs, paths, delivery });
      stillDead += r.stillDead;
      const skipped = r.skipped > 0 ? `, ${r.skipped} no longer taken by the block's filters (kept)` : '';
      const error = r.error === undefined ? '' : ` (${r.error})`;
      const which = r.block === undefined ? `orphaned ${r.id}` : `block ${r.block} (${r.integration}, ${r.id})`;
      io.stdout.write(`${which}: ${r.total} redriven, ${r.delivered} delivered, ${r.stillDead} still dead${skipped}${error}\n`);
    }
  } finally {
    await Promise.all([delivery.close(), queue.close()]);
  }
  if (files.length === 0) io.stdout.write(`no dead letters in ${store.dir}\n`);
  return stillDead > 0 ? EXIT.deadLettered : EXIT.ok;
};

/** Builds the command; `queueWriter` makes the writer that redriven enrichment events go through. */
export const createDlqCommand = (queueWriter: QueueWriterFactory): Command => ({
  name: 'dlq',
  help,
  async run(argv, io) {
    const { values, positionals } = parseOptions(argv, OPTIONS, true);
    const [action, ...extra] = positionals;
    if (action === undefined || extra.length > 0 || !['list', 'redrive', 'drop'].includes(action)) {
      throw new IntegratordError('INTEGRATORD_USAGE', action === undefined ? 'missing action: list, redrive or drop' : `unknown action '${[action, ...extra].join(' ')}'`);
    }
    if (values.alert !== undefined && action !== 'drop') throw new IntegratordError('INTEGRATORD_USAGE', '--alert only applies to drop');
    if (values.all && action !== 'drop') throw new IntegratordError('INTEGRATORD_USAGE', '--all only applies to drop');
    if (values.force && action !== 'drop') throw new IntegratordError('INTEGRATORD_USAGE', '--force only applies to drop');
    const narrowed = values.block !== undefined || values.alert !== undefined;
    if (values.all && narrowed) throw new IntegratordError('INTEGRATORD_USAGE', '--all drops every dead letter: give it without --block and --alert');
    if (action === 'drop' && !values.all && !narrowed) throw new IntegratordError('INTEGRATORD_USAGE', 'drop removes dead letters for good: give --block ID|N and/or --alert ID, or --all for every one');
    const paths = wazuhPaths(values.home, { config: values.config, state: values.state });
    // A record planted in a directory others can write is never listed, dropped or sent: refuse the directory.
    await checkStateDir(paths.state);
    const store = new DeadLetterStore(paths.state);
    const blocks = await currentBlocks(paths, store, io, action === 'redrive');
    let files: DeadLetterFile[];
    try {
      files = await store.files();
    } catch (error) {
      throw new IntegratordError('INTEGRATORD_IO', `cannot read ${store.dir} (${(error as Error).message})`, { cause: error });
    }
    const block = values.block === undefined ? undefined : blockIdOption(values.block, blocks, files);
    files = files.filter((f) => block === undefined || f.id === block);
    if (action === 'list') return list(store, files, blocks, io);
    if (action === 'drop') {
      // A whole block (or every one) is guarded; --alert names the records to drop one by one.
      if (!values.force && values.alert === undefined) guardDrop(files, blocks, paths);
      return drop(store, files, values.alert, io);
    }
    return redrive(store, files, blocks, paths, queueWriter, io);
  },
});

