// `integratord replay FILE...`: push existing alerts through every block once, then exit with the tally.

import { DEFAULT_CONNECTIONS } from '../delivery/http.js';
import { access, constants, stat } from 'node:fs/promises';
import { EXIT, type Command, type CommandIo } from './command.js';
import { LOG_HELP, LOG_OPTIONS, setUpLogging } from './log-options.js';
import { clusterParts, openSharedState, SHARED_STATE_HELP, SHARED_STATE_OPTIONS } from './shared-state-options.js';
import { eitherSilences, SharedSilences } from '../shared-state/shared-silences.js';
import { blockNumber, HOME_OPTIONS, parseOptions, positiveNumber } from './parse-options.js';
import { startProgressBar } from './progress-bar.js';
import { saveStdin, type StdinFile } from './stdin-file.js';
import { refuseWorkersWithSharedState, WORKERS_OPTION, workersHelp, workerCount } from './workers-option.js';
import { logDiagnostics } from '../config/log-diagnostics.js';
import { loadHomeConfig } from '../config/load-home-config.js';
import { IntegratordError, errorMessage } from '../errors.js';
import { Integrator } from '../pipeline/integrator.js';
import type { BlockOutcome } from '../pipeline/outcome.js';
import type { DryRunTally } from '../pipeline/dry-run-deliver.js';
import { lineOutput } from '../pipeline/dry-run-output.js';
import { LiveSilences } from '../silences/live-silences.js';
import { checkStateDir, prepareStateDir } from '../state/state-dir.js';
import { readSharedState } from '../config/read-shared-state.js';
import { wazuhPaths } from '../wazuh-home.js';

const help = `Usage: integratord replay FILE... [--home DIR] [-c FILE] [options]

Reads alert files once from the start (alerts.json copies, Wazuh's archives
logs/alerts/YYYY/Mon/ossec-alerts-DD.json or .json.gz — archives are taken in date order;
'-' is standard input, plain or gzip) and
sends every alert through every block (ossec.conf, integratord.conf), exactly as the daemon would, really
delivering (unless --dry-run). Exits when every delivery is settled. Never touches the daemon's
cursors; failures are dead-lettered in the state directory as usual.

Options:
  --home DIR          Wazuh home (default /var/ossec)
  -c, --config FILE   read this file alone (default: DIR/etc/ossec.conf and DIR/etc/integratord.conf, as run)
  --state DIR         dead letters and rejected lines (default DIR/var/integratord)
  --block N           only block N (0-based position: ossec.conf's blocks, then integratord.conf's); repeatable
  --since TIME        only alerts with timestamp >= TIME (ISO 8601, e.g. 2026-11-27T00:00:00Z)
  --until TIME        only alerts with timestamp <  TIME
  --rate N            at most N alerts per second (per block)
  --concurrency N     alerts one block delivers at once (default 4)
${workersHelp(22)}
  --dry-run           send nothing: print one JSON line per would-be request or script run on stdout
  --summary           with --dry-run: per block, alerts matched and messages sent with and without
                      noise control (<group_by>, <dedup_by>, <max_per_hour>), and the reduction
  --clock alerts|wall what drives noise control windows: the alerts' own timestamps (default: the
                      digests that day would have produced) or the wall clock
  --show-secrets      with --dry-run: print api_key and hook_url instead of **REDACTED**
  --enrichment-out FILE  VirusTotal/Maltiverse events to FILE (JSON Lines) instead of Wazuh's queue socket
  --no-progress       no progress line on a terminal
${SHARED_STATE_HELP}
${LOG_HELP}
  -h, --help          show this help

Exit codes: 0 every alert delivered (or skipped by the filters), 3 some alerts were
dead-lettered (see 'integratord dlq list'), 1 error (configuration, a file missing, a directory or
unreadable: nothing is sent then; a file that fails mid-way; an unusable or unsafe state directory),
2 wrong arguments.`;

const OPTIONS = {
  ...HOME_OPTIONS,
  ...LOG_OPTIONS,
  state: { type: 'string' },
  block: { type: 'string', multiple: true },
  since: { type: 'string' },
  until: { type: 'string' },
  rate: { type: 'string' },
  concurrency: { type: 'string', default: '4' },
  ...WORKERS_OPTION,
  'dry-run': { type: 'boolean', default: false },
  summary: { type: 'boolean', default: false },
  clock: { type: 'string', default: 'alerts' },
  'show-secrets': { type: 'boolean', default: false },
  'enrichment-out': { type: 'string' },
  'no-progress': { type: 'boolean', default: false },
  ...SHARED_STATE_OPTIONS,
} as const;

const time = (name: string, text: string | undefined): Date | undefined => {
  if (text === undefined) return undefined;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new IntegratordError('INTEGRATORD_USAGE', `--${name} expects a date/time such as 2026-11-27T00:00:00Z, got '${text}'`);
  return new Date(ms);
};

/** Final outcomes per kind (`held` is never final: a held alert ends delivered or dead-lettered with its digest). */
type Tally = Record<Exclude<BlockOutcome['kind'], 'held'>, number>;

const tallyLine = (name: string, t: Tally, dryRun: boolean) =>
  `${name}: ${dryRun ? `would deliver ${t.delivered}` : `${t.delivered} delivered`}, ${t.skipped} skipped${t.suppressed > 0 ? `, ${t.suppressed} suppressed` : ''}, ${t['dead-lettered']} dead-lettered, ${t.rejected} rejected lines`;

/** `replay --dry-run --summary`: one block's preview of noise control (without it, every matched alert is one message). */
const noiseSummaryLine = (name: string, t: { matched: number; messages: number }) => {
  const reduction = t.matched === 0 ? 0 : Math.round((1 - t.messages / t.matched) * 1000) / 10;
  return `${name}: ${t.matched} matched; messages without noise control ${t.matched}, with ${t.messages} (${reduction}% fewer)`;
};

/** The file name that stands for standard input. */
const STDIN = '-';

/** Refuses, before anything is sent, files that are missing, directories or unreadable: one error naming each. */
const checkReadable = async (files: readonly string[]): Promise<void> => {
  const problems: string[] = [];
  for (const file of files) {
    if (file === STDIN) continue;
    const problem = await stat(file).then(
      (s) => (s.isDirectory() ? 'is a directory (give the alert files in it)' : access(file, constants.R_OK).then(() => undefined, (e: NodeJS.ErrnoException) => `cannot be read (${e.code ?? e.message})`)),
      (e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? 'does not exist' : `cannot be read (${e.code ?? e.message})`),
    );
    if (problem !== undefined) problems.push(`${file} ${problem}`);
  }
  if (problems.length > 0) throw new IntegratordError('INTEGRATORD_IO', `nothing replayed: ${problems.join('; ')}`);
};

export const replay: Command = {
  name: 'replay',
  help,
  async run(argv: readonly string[], io: CommandIo) {
    const { values, positionals } = parseOptions(argv, OPTIONS, true);
    const files: readonly string[] = positionals;
    if (files.length === 0) throw new IntegratordError('INTEGRATORD_USAGE', 'give at least one alert file to replay');
    if (files.filter((f) => f === STDIN).length > 1) throw new IntegratordError('INTEGRATORD_USAGE', "'-' (standard input) can be given only once");
    if (values['show-secrets'] && !values['dry-run']) throw new IntegratordError('INTEGRATORD_USAGE', '--show-secrets only applies to --dry-run');
    if (values.summary && !values['dry-run']) throw new IntegratordError('INTEGRATORD_USAGE', '--summary only applies to --dry-run');
    const clock = values.clock;
    if (clock !== 'alerts' && clock !== 'wall') throw new IntegratordError('INTEGRATORD_USAGE', `--clock expects alerts or wall, got '${String(clock)}'`);
    const dryTally: DryRunTally = new Map();
    const since = time('since', values.since);
    const until = time('until', values.until);
    const rate = positiveNumber('rate', values.rate, false);
    const concurrency = positiveNumber('concurrency', values.concurrency);
    const workers = workerCount(values.workers);
    const blocks = values.block?.map(blockNumber);
    const logging = setUpLogging(values, io.stderr);
    const paths = wazuhPaths(values.home, { config: values.config, state: values.state });
    let stdinFile: StdinFile | undefined;
    let silences: LiveSilences | undefined;
    // A Wazuh cluster's shared state: its silences, dedup claims, enrichment caches and quotas apply to the replay too.
    const shared = openSharedState(values, undefined, await readSharedState(paths.configFiles));
    await refuseWorkersWithSharedState(workers, shared);
    let clusterSilences: SharedSilences | undefined;

    try {
      const loaded = await loadHomeConfig(paths);
      if (!logDiagnostics(loaded.diagnostics)) throw new IntegratordError('INTEGRATORD_CONFIG', `${loaded.file} has errors (above)`);
      await checkReadable(files);
      const configs = loaded.integrations.filter((c) => blocks === undefined || blocks.includes(c.index));
      if (configs.length === 0) {
        io.stderr.write(`integratord replay: no <integration> block${blocks ? ` ${blocks.join(', ')}` : ''} in ${loaded.file}: nothing to do\n`);
        return EXIT.ok;
      }
      // Dead letters and rejected lines are written there: an unusable or unsafe directory is refused before any block starts.
      if (!values['dry-run']) await prepareStateDir(paths.state);
      if (files.includes(STDIN)) {
        if (io.stdin === undefined) throw new IntegratordError('INTEGRATORD_USAGE', "'-' needs a standard input, and there is none here");
        stdinFile = await saveStdin(io.stdin).catch((error: NodeJS.ErrnoException) => {
          throw new IntegratordError('INTEGRATORD_IO', `cannot keep standard input in a temporary file (${error.code ?? error.message})`, { cause: error });
        });
      }
      const saved = stdinFile?.path;
      // The silences there apply (a dry run's preview too); a dry run on an unsafe directory runs without them.
      const trusted = values['dry-run'] ? await checkStateDir(paths.state).then(() => true, (error: unknown) => (io.stderr.write(`integratord replay: silences not applied: ${errorMessage(error)}\n`), false)) : true;
      silences = trusted ? await LiveSilences.open(paths.state) : undefined;
      const dryOutput = lineOutput((chunk) => io.stdout.write(chunk));
      if (shared !== undefined && !(await shared.ready())) io.stderr.write(`integratord replay: shared state ${shared.target.shown} not reachable: local stores only until it is\n`);
      clusterSilences = shared === undefined ? undefined : await SharedSilences.open(shared);
      const either = silences === undefined ? clusterSilences : eitherSilences(silences, clusterSilences);
      const integrator = new Integrator({
        paths,
        input: { kind: 'replay', files: saved === undefined ? files : files.map((f) => (f === STDIN ? saved : f)), since, until, rate },
        concurrency,
        workers,
        connections: Math.max(DEFAULT_CONNECTIONS, concurrency ?? 0),
        enrichmentOut: values['enrichment-out'],
        silences: either && { match: either.match.bind(either) },
        ...clusterParts(shared),
        dryRun: values['dry-run']
          ? { write: (line) => dryOutput.write(line), rejected: (record) => io.stderr.write(`integratord replay: rejected line: ${record}`), showSecrets: values['show-secrets'], tally: dryTally }
          : undefined,
        noiseClock: clock,
      });
      const started = await integrator.start(configs);
      const bar = values['no-progress'] ? { stop: () => undefined } : startProgressBar(io.stderr, () => integrator.progress());
      await integrator.done();
      dryOutput.flush();
      bar.stop();
      // Exact counts of every enabled block (an empty file too), lines settled in bulk (never parsed, never emitted one by one) included.
      const tallies = new Map<number, { name: string; tally: Tally }>(
        integrator.counts().map(({ config, counts }) => [
          config.index,
          { name: `#${config.index} ${config.name}`, tally: { delivered: counts.delivered, skipped: counts.skipped + counts.prefiltered, suppressed: counts.suppressed, 'dead-lettered': counts.deadLettered, rejected: counts.rejected } },
        ]),
      );
      const failedFiles = integrator.progress()?.filesFailed ?? 0;
      await integrator.stop();
      dryOutput.flush();
      const summary = io.stderr;
      const dryRun = values['dry-run'];
      for (const { name, tally } of [...tallies.entries()].sort(([a], [b]) => a - b).map(([, v]) => v)) summary.write(`${tallyLine(name, tally, dryRun)}\n`);
      for (const d of started.disabled) summary.write(`#${d.config.index} ${d.config.name}: disabled (${d.reason})\n`);
      if (dryRun && values.summary) {
        for (const config of started.enabled) summary.write(`${noiseSummaryLine(`#${config.index} ${config.name}`, dryTally.get(config.index) ?? { matched: 0, messages: 0 })}\n`);
      }
      if (dryRun) summary.write('dry run: nothing was sent\n');
      const dead = [...tallies.values()].reduce((n, { tally }) => n + tally['dead-lettered'], 0);
      if (dead > 0) summary.write(`${dead} alert(s) dead-lettered in ${paths.state}/dead-letter: see 'integratord dlq list'\n`);
      if (failedFiles > 0) summary.write(`${failedFiles} file(s) could not be read to their end (see the errors above)\n`);
      return failedFiles > 0 ? EXIT.failure : dead > 0 ? EXIT.deadLettered : EXIT.ok;
    } finally {
      silences?.close();
      clusterSilences?.close();
      await shared?.close();
      await stdinFile?.remove();
      await logging.close();
    }
  },
};
