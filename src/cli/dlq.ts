// `integratord dlq list|redrive|drop`: inspect, re-send and remove dead letters.

import { EXIT, type Command, type CommandIo } from './command.js';
import { blockIdOption, currentBlocks, type CurrentBlocks } from './dead-letter-blocks.js';
import { HOME_OPTIONS, parseOptions } from './parse-options.js';
import { stringField } from '../alerts/alert.js';
import { DeadLetterStore, type DeadLetterFile } from '../delivery/dead-letter.js';
import type { QueueWriter } from '../delivery/queue-writer.js';
import { IntegratordError } from '../errors.js';
import { createDeliveryParts } from '../pipeline/delivery-parts.js';
import { ownerOf, redriveFile, type RedriveResult } from '../pipeline/redrive.js';
import { awaitRedriveResult, requestRedrive } from '../pipeline/redrive-requests.js';
import { acquireStateLock, lockHolder, processRunning } from '../state/state-lock.js';
import { listDeadLetters } from './dlq-list.js';
import { checkStateDir } from '../state/state-dir.js';
import { wazuhPaths, type WazuhPaths } from '../wazuh-home.js';

const help = `Usage: integratord dlq list    [--block ID|N] [--json] [--home DIR] [-c FILE] [--state DIR]
       integratord dlq redrive [--block ID|N] [--home DIR] [-c FILE] [--state DIR]
       integratord dlq drop    {--block ID|N | --alert ID | --all} [--force] [--home DIR] [-c FILE] [--state DIR]

Dead letters are alerts a block gave up on (retries ran out, or the service refused them),
kept in STATE/dead-letter/<block id>.jsonl. A block id is the block's name and a digest of its
hook_url (slack-1a2b3c4d): it stays when blocks are moved, added or removed, or their filters
change. The blocks are those 'run' reads: DIR/etc/ossec.conf and DIR/etc/integratord.conf (or the
-c file alone). A file whose id matches no block of any of them is listed as orphaned.

  list     print a table: block (position in ossec.conf, or orphaned), block id, integration,
           alert id (or "digest of N"), rule id, attempts, cause, next redrive (when the daemon
           sends it again by itself, or "manual"), time, and the whole reason;
           --json: one JSON object per dead letter per line instead
  redrive  send them again through the block with the same id in ossec.conf (its filters,
           integration, timeouts and retries; a digest as that digest); delivered ones are
           removed, failures stay with the new attempt; orphaned ones are not sent. While a
           daemon runs on the state directory, it is asked to do it (it owns the dead letters)
  drop     remove them for good: those of --block and/or --alert ID, or every one with --all;
           prints how many. The dead letters of a block that is still configured can be
           redriven: --block and --all (without --alert) refuse them unless --force

Options:
  --block ID|N   only the dead letters of one block: its id (as list shows) or its 0-based
                 position (as check lists the blocks)
  --alert ID     drop: only the records of this alert id
  --all          drop: every dead letter of every block (drop needs --all, --block or --alert)
  --json         list: JSON Lines (block, block_id, integration, alert_id, rule_id, digest, attempts,
                 status, cause, retryable, first_time, time, redrives, next_redrive, reason)
  --force        drop: also the dead letters of blocks that are still configured
  --home DIR     Wazuh home (default /var/ossec)
  -c, --config FILE  read this file alone to match blocks with (default: DIR/etc/ossec.conf and
                 DIR/etc/integratord.conf)
  --state DIR    state directory (default DIR/var/integratord)
  -h, --help     show this help

The state directory is checked as 'run' checks it (a symlink, another owner, group/world-writable:
refused, exit 1). redrive with no daemon running takes the daemon's lock while it works (a daemon
started meanwhile exits 1 naming its pid); drop keeps lines a running daemon appends meanwhile.

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
  json: { type: 'boolean', default: false },
  force: { type: 'boolean', default: false },
} as const;


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

/** How long `dlq redrive` waits for a running daemon's answer (10 min: a large queue through a slow service). */
const DAEMON_ANSWER_MS = 10 * 60 * 1000;

const printResults = (results: readonly RedriveResult[], io: CommandIo): number => {
  let stillDead = 0;
  for (const r of results) {
    stillDead += r.stillDead;
    const skipped = r.skipped > 0 ? `, ${r.skipped} no longer taken by the block's filters (kept)` : '';
    const error = r.error === undefined ? '' : ` (${r.error})`;
    const which = r.block === undefined ? `orphaned ${r.id}` : `block ${r.block} (${r.integration}, ${r.id})`;
    io.stdout.write(`${which}: ${r.total} redriven, ${r.delivered} delivered, ${r.stillDead} still dead${skipped}${error}\n`);
  }
  return stillDead;
};

/**
 * Redrives `files`. One owner sends dead letters, the holder of the state lock: while a daemon runs it
 * is asked (STATE/redrive-requests/) and its answer printed, so a manual redrive never races the daemon's
 * automatic one; otherwise this command takes the lock for the time of the redrive.
 */
const redrive = async (store: DeadLetterStore, files: readonly DeadLetterFile[], blocks: CurrentBlocks, paths: WazuhPaths, queueWriter: QueueWriterFactory, io: CommandIo, only: string | undefined): Promise<number> => {
  if (blocks.configs === undefined) {
    io.stderr.write(`integratord dlq: ${paths.config} is not valid: nothing redriven\n`);
    return EXIT.failure;
  }
  if (files.length === 0) {
    io.stdout.write(`no dead letters in ${store.dir}\n`);
    return EXIT.ok;
  }
  const daemon = await lockHolder(paths.state);
  if (daemon !== undefined) {
    io.stderr.write(`integratord dlq: the daemon (pid ${daemon}) owns ${paths.state}: asked it to redrive, waiting for its answer\n`);
    const id = await requestRedrive(paths.state, only === undefined ? undefined : [only]);
    const results = await awaitRedriveResult(paths.state, id, () => processRunning(daemon), DAEMON_ANSWER_MS);
    if (results === undefined) throw new IntegratordError('INTEGRATORD_IO', `the daemon (pid ${daemon}) did not answer (stopped, or busy for ${DAEMON_ANSWER_MS / 60_000} min): nothing redriven by this command; run it again`);
    return printResults(results, io) > 0 ? EXIT.deadLettered : EXIT.ok;
  }
  const lock = await acquireStateLock(paths.state);
  const queue = queueWriter(paths);
  const delivery = createDeliveryParts({ paths, queue });
  const results: RedriveResult[] = [];
  try {
    for (const file of files) results.push(await redriveFile(file, { configs: blocks.configs, paths, delivery }));
  } finally {
    await Promise.all([delivery.close(), queue.close()]);
    await lock.release();
  }
  return printResults(results, io) > 0 ? EXIT.deadLettered : EXIT.ok;
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
    if (values.json && action !== 'list') throw new IntegratordError('INTEGRATORD_USAGE', '--json only applies to list');
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
    if (action === 'list') return listDeadLetters(store, files, blocks, io, values.json).then(() => EXIT.ok);
    if (action === 'drop') {
      // A whole block (or every one) is guarded; --alert names the records to drop one by one.
      if (!values.force && values.alert === undefined) guardDrop(files, blocks, paths);
      return drop(store, files, values.alert, io);
    }
    return redrive(store, files, blocks, paths, queueWriter, io, block);
  },
});

