// Benchmark: integratord beside its peers (the naive loop, syslog-ng) in one run, on the same corpus and the same receiver.
// Run: node --import tsx bench/peers.ts [--alerts N] [--small N] [--e2e N] [--workers W] [--threads T] [--cap S] [--only corpora|e2e] [--rounds R]   (prints Markdown; asserts nothing)
// --only corpora: just table 0, filter only on both corpora at both levels (integratord vs the naive loop); --only e2e: just table 4.

import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadLine, machineLine, thousands } from './bench-env.js';
import { BIN, cpuSecondsOf, ensureBuilt } from './cli-process.js';
import { corpusFile, type CorpusKind } from './corpus-file.js';
import { corpusRows, filterRows, endToEndRows, type Attempt, type CorpusRun, type EndToEndRound, type EndToEndRow, type PeerRun } from './peer-rows.js';
import { startReceiver, type Receiver } from './receiver.js';
import { filterOnlyConfig, httpConfig, runSyslogNg, SYSLOG_NG_MISSING, syslogNgVersion } from './syslog-ng.js';
import { tempHome, type TempHome } from './temp-home.js';
import { GNU_TIME_MISSING, hasGnuTime, timedProcess } from './timed-process.js';

const { values } = parseArgs({
  options: {
    alerts: { type: 'string', default: '1000000' },
    small: { type: 'string', default: '1000' },
    e2e: { type: 'string', default: '100000' },
    workers: { type: 'string', default: '16' },
    /** integratord's delivery threads in the extra end-to-end row (`replay --workers T`). */
    threads: { type: 'string', default: '2' },
    cap: { type: 'string', default: '600' },
    /** `corpora`: only table 0 (filter only, both corpora); `e2e`: only table 4 (end to end), e.g. to compare delivery side by side in a few minutes. */
    only: { type: 'string', default: 'all' },
    /** End-to-end rounds, each every integratord row then syslog-ng (interleaved: the load moves between runs). */
    rounds: { type: 'string', default: '1' },
  },
});
const filterTables = values.only !== 'e2e';
const count = Number(values.alerts);
const smallCount = Number(values.small);
const e2eCount = Number(values.e2e);
const workers = Number(values.workers);
const threads = Number(values.threads);
/** No single run may take longer than this (seconds): a run stopped there is reported as such. */
const capSeconds = Number(values.cap);
/** A level nothing in either corpus reaches (their highest are 13 and 15, checked below): every alert is skipped. */
const LEVEL = 16;
/** A level a few alerts of each corpus reach (1.4% and 0.6%): the dry run formats and prints those. */
const FEW_LEVEL = 13;
const NAIVE = fileURLToPath(new URL('./naive-loop.mjs', import.meta.url));

/** Runs `work`; a failure becomes its message in the table (and a non-zero exit), never a silent gap. */
const attempt = async <T>(what: string, work: () => Promise<T>): Promise<Attempt<T>> => {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    process.exitCode = 1;
    process.stderr.write(`${what} failed: ${(error as Error).stack ?? String(error)}\n`);
    return { ok: false, reason: `**failed**: ${(error as Error).message.split('\n')[0]?.slice(0, 200)}` };
  }
};

const sum = (text: string, pattern: RegExp): number => [...text.matchAll(pattern)].reduce((total, m) => total + Number(m[1]), 0);

/**
 * `integratord replay FILE --dry-run` through the built CLI; every block must skip all alerts but
 * `matched` (each printed as one would-be request on stdout).
 */
const dryRun = async (home: TempHome, file: string, alerts: number, blocks: number, cap = capSeconds, matched = 0): Promise<PeerRun> => {
  const run = await timedProcess(process.execPath, [BIN, 'replay', file, '--dry-run', '--no-progress', '-c', home.config, '--home', home.home], { capSeconds: cap });
  if (run.stopped === 'cap') return { ...run, alerts, note: `stopped at the cap, ${cap.toFixed(0)} s` };
  const skipped = sum(run.stderr, /(\d+) skipped/g);
  const wouldDeliver = sum(run.stderr, /would deliver (\d+)/g);
  if (run.exit !== 0 || (run.stdoutBytes === 0) !== (matched === 0) || skipped !== (alerts - matched) * blocks || wouldDeliver !== matched * blocks) {
    throw new Error(`replay --dry-run exited ${run.exit}, ${run.stdoutBytes} bytes of would-be requests, ${skipped} of ${(alerts - matched) * blocks} skips, ${wouldDeliver} of ${matched * blocks} matches: ${run.stderr.slice(-600)}`);
  }
  return { ...run, alerts };
};

const naiveLoop = async (file: string, alerts: number, level = LEVEL): Promise<PeerRun & { maxLevel: number; matched: number }> => {
  const run = await timedProcess(process.execPath, [NAIVE, file, String(level)], { capSeconds });
  const result = JSON.parse(run.exit === 0 ? run.stdout : 'null') as { lines: number; matched: number; maxLevel: number } | null;
  if (result === null || result.lines !== alerts || (level === LEVEL && result.matched !== 0)) throw new Error(`naive loop exited ${run.exit}: ${run.stdout}${run.stderr.slice(-600)}`);
  return { ...run, alerts, maxLevel: result.maxLevel, matched: result.matched };
};

/**
 * Table 0: on each corpus, at each level, the naive loop then the dry run, back to back (the naive
 * loop's count of matches is what the dry run must print). A corpus that reaches LEVEL is refused.
 */
const corpusRuns = async (receiverUrl: string): Promise<CorpusRun[]> => {
  const runs: CorpusRun[] = [];
  for (const kind of ['synthetic', 'samples'] as const satisfies readonly CorpusKind[]) {
    const file = await corpusFile(count, kind);
    process.stderr.write(`peers: corpora: ${kind}, warming the page cache …\n`);
    const warm = await naiveLoop(file, count);
    if (warm.maxLevel >= LEVEL) throw new Error(`the ${kind} corpus reaches level ${warm.maxLevel}: <level>${LEVEL}</level> would take alerts`);
    for (const level of [LEVEL, FEW_LEVEL]) {
      process.stderr.write(`peers: corpora: ${kind}, <level>${level}</level> …\n`);
      const home = tempHome(`peers-corpora-${level}`, receiverUrl, { level });
      // The naive loop first: its count of matches is what the dry run must print.
      const naive = await attempt(`naive loop, ${kind}, level ${level}`, () => naiveLoop(file, count, level));
      const expected = naive.ok ? naive.value.matched : (await naiveLoop(file, count, level)).matched;
      const ours = await attempt(`integratord, ${kind}, level ${level}`, () => dryRun(home, file, count, 1, capSeconds, expected));
      runs.push({ corpus: kind, bytesPerAlert: statSync(file).size / count, level, matched: expected, ours, naive });
    }
  }
  return runs;
};

const syslogFilter = async (file: string, alerts: number): Promise<PeerRun> => {
  const seen = (stats: Map<string, number>) => (stats.get('filter;f_level;;a;matched') ?? 0) + (stats.get('filter;f_level;;a;not_matched') ?? 0);
  const run = await runSyslogNg('filter', filterOnlyConfig(file, LEVEL), (stats) => seen(stats) >= alerts, capSeconds);
  const matched = run.stats.get('filter;f_level;;a;matched');
  const discarded = run.stats.get('parser;p_json;;a;discarded');
  if (run.stopped !== 'done' || matched !== 0 || seen(run.stats) !== alerts || discarded !== 0) {
    throw new Error(`syslog-ng ${run.stopped ?? `exited ${run.exit}`}: ${seen(run.stats)} of ${alerts} filtered, ${matched} matched, ${discarded} not JSON: ${run.stderr.slice(-600)}`);
  }
  return { ...run, alerts };
};

/** One end-to-end run; `start` spawns the tool, resolving once it has exited or been stopped. */
const delivered = async (receiver: Receiver, alerts: number, start: () => Promise<PeerRun & { dropped?: number }>): Promise<PeerRun> => {
  await receiver.reset();
  const receiverCpu = cpuSecondsOf(receiver.pid) ?? 0;
  const run = await start();
  const stats = await receiver.stats();
  if (run.exit !== 0 && run.stopped !== 'done') throw new Error(`exited ${run.exit} with ${stats.count} of ${alerts} delivered: ${run.stderr.slice(-600)}`);
  if (stats.count !== alerts || stats.rejected !== 0 || (run.dropped ?? 0) !== 0) {
    throw new Error(`${stats.count} of ${alerts} delivered, ${stats.rejected} answered non-2xx, ${run.dropped ?? 0} dropped: ${run.stderr.slice(-600)}`);
  }
  return {
    ...run,
    toLastDeliverySeconds: (stats.lastAtUs - run.startedAtUs) / 1e6,
    firstToLastRate: (stats.count - 1) / ((stats.lastAtUs - stats.firstAtUs) / 1e6),
    receiverCpuSeconds: (cpuSecondsOf(receiver.pid) ?? 0) - receiverCpu,
  };
};

if (!hasGnuTime()) {
  process.stdout.write(`### Peers\n\n${machineLine()} · ${loadLine()} at start\n\n${GNU_TIME_MISSING}: every figure here comes from it; nothing was measured.\n`);
  process.exit(1);
}
ensureBuilt();
if (values.only !== 'all' && values.only !== 'corpora' && values.only !== 'e2e') throw new Error(`--only takes 'corpora' or 'e2e', not ${values.only}`);
if (values.only === 'corpora') {
  const load = loadLine();
  const runs = await corpusRuns('http://127.0.0.1:9/');
  process.stdout.write([`### Filter only, two corpora, two levels: integratord beside the naive loop`, '', `${machineLine()} · ${load} at start, ${loadLine()} at the end`, '', ...corpusRows(count, runs)].join('\n'));
  process.exit(process.exitCode ?? 0);
}
const file = filterTables ? await corpusFile(count) : '';
const small = filterTables ? await corpusFile(smallCount) : '';
const e2eFile = await corpusFile(e2eCount);
const syslogNg = syslogNgVersion();
const receiver = await startReceiver();
const load = loadLine();
const progress = (text: string) => process.stderr.write(`peers: ${text} …\n`);

/** Tables 1–3 (filter only), with the naive pass that warms the page cache first. */
const filterTablesRun = async (): Promise<{ rows: string[]; maxLevel: number }> => {
  const one = tempHome('peers-1-block', receiver.url, { level: LEVEL });
  const six = tempHome('peers-6-blocks', receiver.url, { blocks: 6, level: LEVEL });
  const hundred = tempHome('peers-100-blocks', receiver.url, { blocks: 100, level: LEVEL });

  // Warms the page cache (and checks the level) before anything is timed.
  progress(`warming the page cache with the naive loop (${thousands(count)} alerts)`);
  const warm = await naiveLoop(file, count);
  if (warm.maxLevel >= LEVEL) throw new Error(`the corpus reaches level ${warm.maxLevel}: <level>${LEVEL}</level> would take alerts`);

  progress('filter only: integratord, one block');
  const oneBlock = await attempt('integratord, one block', () => dryRun(one, file, count, 1));
  progress('filter only: the naive loop');
  const naive = await attempt('naive loop', () => naiveLoop(file, count));
  progress(`filter only: syslog-ng${syslogNg === undefined ? ' (not installed: not measured)' : ''}`);
  const slngFilter = syslogNg === undefined ? { ok: false as const, reason: SYSLOG_NG_MISSING } : await attempt('syslog-ng filter', () => syslogFilter(file, count));
  progress('filter only: integratord, six blocks');
  const sixBlocks = await attempt('integratord, six blocks', () => dryRun(six, file, count, 6));
  const corpora = await corpusRuns(receiver.url);
  progress(`100 blocks: ${thousands(smallCount)} alerts, one block then 100`);
  const smallOne = await attempt('one block, small file', () => dryRun(one, small, smallCount, 1));
  const smallHundred = await attempt('100 blocks, small file', () => dryRun(hundred, small, smallCount, 100));
  // Bounded: 100 blocks reading the big file on their own could take many minutes; past 10x one block the figure says enough.
  const hundredCap = Math.min(capSeconds, Math.max(10, 10 * (oneBlock.ok ? oneBlock.value.wallSeconds : 60)));
  progress(`100 blocks: ${thousands(count)} alerts (stopped at ${hundredCap.toFixed(0)} s if not done by then)`);
  const bigHundred = await attempt('100 blocks, big file', () => dryRun(hundred, file, count, 100, hundredCap));
  return { rows: [...corpusRows(count, corpora), ...filterRows({ count, smallCount, level: LEVEL, oneBlock, naive, syslogNg: slngFilter, sixBlocks, smallOne, smallHundred, bigHundred, hundredCap })], maxLevel: warm.maxLevel };
};

/** Row: integratord `replay --concurrency W` (plus `extra` options), one custom-* webhook block. */
const integratordRow = (extra: readonly string[] = []) => async (): Promise<EndToEndRow> => {
  const webhook = tempHome('peers-e2e', receiver.url);
  const name = `integratord \`replay --concurrency ${workers}${extra.length === 0 ? '' : ` ${extra.join(' ')}`}\`, one custom-* webhook block`;
  progress(`end to end: ${name}, ${thousands(e2eCount)} alerts`);
  const args = [BIN, 'replay', e2eFile, '--no-progress', '--concurrency', String(workers), ...extra, '-c', webhook.config, '--home', webhook.home];
  const run = await attempt(name, () => delivered(receiver, e2eCount, async () => ({ ...(await timedProcess(process.execPath, args, { capSeconds })), alerts: e2eCount })));
  return { name, run };
};

/** Row: syslog-ng's http() destination with workers(W), the peer every integratord row is compared with. */
const syslogNgRow = async (): Promise<EndToEndRow> => {
  const name = `syslog-ng (file → json-parser → http(), workers(${workers}), batch-lines(1))`;
  progress(`end to end: syslog-ng, ${workers} workers${syslogNg === undefined ? ' (not installed: not measured)' : ''}`);
  if (syslogNg === undefined) return { name, run: { ok: false, reason: SYSLOG_NG_MISSING } };
  const run = await attempt('syslog-ng end to end', () =>
    delivered(receiver, e2eCount, async () => {
      const ran = await runSyslogNg('http', httpConfig(e2eFile, receiver.url, workers), async () => (await receiver.count()) >= e2eCount, capSeconds);
      const dropped = [...ran.stats].filter(([key]) => key.startsWith('dst.http;') && key.endsWith(';dropped')).reduce((n, [, v]) => n + v, 0);
      return { ...ran, alerts: e2eCount, dropped };
    }),
  );
  return { name, run };
};

try {
  const filter = filterTables ? await filterTablesRun() : undefined;
  // End to end, one function per row, run one after the other; every integratord row is compared with syslog-ng's.
  const rounds: EndToEndRound[] = [];
  for (let round = 0; round < Math.max(1, Number(values.rounds)); round++) {
    const ours = [await integratordRow()(), ...(threads > 1 ? [await integratordRow(['--workers', String(threads)])()] : [])];
    rounds.push({ ours, theirs: await syslogNgRow() });
  }
  process.stdout.write(
    [
      `### Peers: integratord beside the naive loop and syslog-ng${syslogNg === undefined ? '' : ` ${syslogNg}`}, one run`,
      '',
      `${machineLine()} · ${load} at start, ${loadLine()} at the end · corpus bench/.data/alerts-N.json (seeded${filter === undefined ? '' : `; its highest rule.level is ${filter.maxLevel}`})`,
      '',
      ...(filter?.rows ?? []),
      ...endToEndRows({ count: e2eCount, workers, rounds }),
    ].join('\n'),
  );
} finally {
  await receiver.close();
}
