// The peer table's Markdown: filter only, six blocks vs one, 100 blocks vs one, end to end; and how each was measured.

import { markdownTable, megabytes, thousands } from './bench-env.js';
import type { Timed } from './timed-process.js';

/** One timed run of a tool over `alerts` alerts (see timed-process.ts), with what end-to-end runs add. */
export interface PeerRun extends Timed {
  readonly alerts: number;
  /** Shown instead of the figures' meaning when the run did not finish (e.g. stopped at the cap). */
  readonly note?: string;
  /** End to end: seconds from spawn to the last request at the receiver. */
  readonly toLastDeliverySeconds?: number;
  /** End to end: requests/s between the first and the last request at the receiver. */
  readonly firstToLastRate?: number;
  /** End to end: CPU seconds the receiver used meanwhile. */
  readonly receiverCpuSeconds?: number;
}

/** A run, or why there is none (a tool not installed, a failure): the table says which. */
export type Attempt<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

const seconds = (s: number) => `${s.toFixed(2)} s`;
const ratio = (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)}x` : '—');
const cpu = (r: PeerRun) => `${seconds(r.cpuSeconds)} (${seconds(r.userSeconds)} user + ${seconds(r.systemSeconds)} sys)`;
const perAlert = (r: PeerRun) => {
  const micros = (r.cpuSeconds / r.alerts) * 1e6;
  return `${micros < 100 ? micros.toFixed(1) : thousands(micros)} µs`;
};
const wall = (r: PeerRun) => (r.note === undefined ? seconds(r.wallSeconds) : `> ${seconds(r.wallSeconds)} (${r.note})`);

/** The cells of `a`, or its reason in the first cell and dashes in the other `width - 1`. */
const cells = <T>(a: Attempt<T>, width: number, fill: (value: T) => string[]): string[] =>
  a.ok ? fill(a.value) : [a.reason, ...Array.from({ length: width - 1 }, () => '—')];

/** `f(a, b)` when both ran, else '—'. */
const both = <T>(a: Attempt<T>, b: Attempt<T>, f: (a: T, b: T) => string): string => (a.ok && b.ok ? f(a.value, b.value) : '—');

/** One corpus at one level: the dry run and the naive loop, back to back. */
export interface CorpusRun {
  readonly corpus: string;
  readonly bytesPerAlert: number;
  readonly level: number;
  /** Alerts at or above the level (the naive loop's count): what the dry run printed. */
  readonly matched: number;
  readonly ours: Attempt<PeerRun>;
  readonly naive: Attempt<PeerRun>;
}

/** Table 0: filter only on both corpora, both levels, integratord vs the naive loop. */
export const corpusRows = (count: number, runs: readonly CorpusRun[]): string[] => [
  `#### 0. Filter only, ${thousands(count)} alerts, both corpora, a level nothing reaches and one a few alerts reach`,
  '',
  markdownTable(
    ['corpus (bytes/alert)', 'level', 'alerts printed', 'integratord `replay --dry-run`: wall; CPU', 'naive loop: wall; CPU', 'speed vs naive (its wall ÷ ours)', 'CPU (its ÷ ours)'],
    runs.map((r) => [
      `${r.corpus} (${r.bytesPerAlert.toFixed(0)})`,
      `\`<level>${r.level}</level>\``,
      thousands(r.matched),
      ...[r.ours, r.naive].map((a) => (a.ok ? `${seconds(a.value.wallSeconds)}; ${seconds(a.value.cpuSeconds)}` : a.reason)),
      both(r.ours, r.naive, (us, them) => ratio(them.wallSeconds / us.wallSeconds)),
      both(r.ours, r.naive, (us, them) => ratio(them.cpuSeconds / us.cpuSeconds)),
    ]),
  ),
  '',
  'Target: integratord at least 4x the naive loop\'s speed on both corpora at both levels. synthetic is bench/corpus.ts (bench/.data/alerts-N.json);',
  'samples is bench/corpus-samples.ts (alerts-samples-N.json: the 18 shapes of spec/fixtures/wazuh-alert-samples.jsonl, values varied).',
  'At the level a few reach, the dry run parses, formats and prints each of them (one JSON line per would-be request, secrets',
  'redacted, stdout read by the benchmark); the naive loop only counts them. Each pair runs back to back, page cache warm.',
  '',
];

export interface FilterFigures {
  readonly count: number;
  readonly smallCount: number;
  readonly level: number;
  readonly oneBlock: Attempt<PeerRun>;
  readonly naive: Attempt<PeerRun>;
  readonly syslogNg: Attempt<PeerRun>;
  readonly sixBlocks: Attempt<PeerRun>;
  readonly smallOne: Attempt<PeerRun>;
  readonly smallHundred: Attempt<PeerRun>;
  readonly bigHundred: Attempt<PeerRun>;
  readonly hundredCap: number;
}

/** Tables 1–3: the filter path, where no alert passes. */
export const filterRows = (f: FilterFigures): string[] => {
  const vsUs = (other: Attempt<PeerRun>) => [
    both(f.oneBlock, other, (us, them) => ratio(them.wallSeconds / us.wallSeconds)),
    both(f.oneBlock, other, (us, them) => ratio(them.cpuSeconds / us.cpuSeconds)),
  ];
  const tool = (name: string, a: Attempt<PeerRun>, versus: string[]) => [
    name,
    ...cells(a, 5, (r) => [wall(r), thousands(r.alerts / r.wallSeconds), cpu(r), perAlert(r), megabytes(r.peakRssBytes)]),
    ...versus,
  ];
  const blocksRow = (file: string, blocks: string, a: Attempt<PeerRun>) => [file, blocks, ...cells(a, 4, (r) => [wall(r), cpu(r), perAlert(r), megabytes(r.peakRssBytes)])];
  const hundredVsOne = (name: string, one: Attempt<PeerRun>, hundred: Attempt<PeerRun>) => [
    name,
    '100 ÷ 1',
    both(one, hundred, (a, b) => `${ratio(b.wallSeconds / a.wallSeconds)}${b.note === undefined ? '' : ' or more'}`),
    both(one, hundred, (a, b) => ratio(b.cpuSeconds / a.cpuSeconds)),
    '—',
    both(one, hundred, (a, b) => `${b.peakRssBytes >= a.peakRssBytes ? '+' : '−'}${megabytes(Math.abs(b.peakRssBytes - a.peakRssBytes))}`),
  ];
  const big = `${thousands(f.count)} alerts`;
  const small = `${thousands(f.smallCount)} alerts`;
  return [
    `#### 1. Filter only: ${big}, \`<level>${f.level}</level>\` (no alert passes)`,
    '',
    markdownTable(
      ['tool', 'wall (start → exit)', 'alerts/s', 'CPU (user + sys)', 'CPU per alert', 'peak RSS', 'integratord speed vs it (its wall ÷ ours)', 'CPU (its ÷ ours)'],
      [
        tool('integratord `replay --dry-run`, one block', f.oneBlock, ['—', '—']),
        tool('naive loop (node: split lines, JSON.parse each, test rule.level)', f.naive, vsUs(f.naive)),
        tool('syslog-ng (file → json-parser → level filter → /dev/null)', f.syslogNg, vsUs(f.syslogNg)),
      ],
    ),
    '',
    'Target: integratord at least 4x the naive loop\'s speed.',
    '',
    `#### 2. Six blocks vs one (integratord), ${big}, the same \`<level>${f.level}</level>\` in every block`,
    '',
    markdownTable(
      ['file', 'blocks', 'wall (start → exit)', 'CPU (user + sys)', 'CPU per alert', 'peak RSS'],
      [
        blocksRow(big, '1', f.oneBlock),
        blocksRow(big, '6', f.sixBlocks),
        [big, '6 ÷ 1', both(f.oneBlock, f.sixBlocks, (a, b) => ratio(b.wallSeconds / a.wallSeconds)), both(f.oneBlock, f.sixBlocks, (a, b) => ratio(b.cpuSeconds / a.cpuSeconds)), '—', '—'],
      ],
    ),
    '',
    'Target: six blocks cost at most 1.3x one block.',
    '',
    `#### 3. 100 blocks that take nothing vs one block (integratord), ${small} and ${big}`,
    '',
    markdownTable(
      ['file', 'blocks', 'wall (start → exit)', 'CPU (user + sys)', 'CPU per alert', 'peak RSS'],
      [
        blocksRow(small, '1', f.smallOne),
        blocksRow(small, '100', f.smallHundred),
        hundredVsOne(small, f.smallOne, f.smallHundred),
        blocksRow(big, '1', f.oneBlock),
        blocksRow(big, '100', f.bigHundred),
        hundredVsOne(big, f.oneBlock, f.bigHundred),
      ],
    ),
    '',
    `Target: at most 2x the time and +50 MB of peak RSS. A run longer than ${f.hundredCap.toFixed(0)} s (10x one block, at least 10 s) is stopped there: its figures are those up to the stop.`,
    '',
  ];
};

/** One row of table 4: what ran (its command, in words) and its figures. */
export interface EndToEndRow {
  readonly name: string;
  readonly run: Attempt<PeerRun>;
}

/** One round: integratord's rows (e.g. 1 worker, N workers) then syslog-ng's, each of ours compared with `theirs`. */
export interface EndToEndRound {
  readonly ours: readonly EndToEndRow[];
  readonly theirs: EndToEndRow;
}

export interface EndToEndFigures {
  readonly count: number;
  readonly workers: number;
  /** Rounds run one after the other (ours, theirs, ours, theirs…): on a busy machine the load moves between runs. */
  readonly rounds: readonly EndToEndRound[];
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length === 0 ? NaN : sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Table 4, end to end, and how everything was measured. */
export const endToEndRows = (e: EndToEndFigures): string[] => {
  const rate = (r: PeerRun) => r.alerts / (r.toLastDeliverySeconds ?? r.wallSeconds);
  const tool = (name: string, a: Attempt<PeerRun>) => [
    name,
    ...cells(a, 7, (r) => [
      seconds(r.toLastDeliverySeconds ?? NaN),
      thousands(rate(r)),
      thousands(r.firstToLastRate ?? NaN),
      cpu(r),
      perAlert(r),
      megabytes(r.peakRssBytes),
      seconds(r.receiverCpuSeconds ?? NaN),
    ]),
  ];
  const speed = (us: PeerRun, them: PeerRun) => rate(us) / rate(them);
  const cost = (us: PeerRun, them: PeerRun) => us.cpuSeconds / us.alerts / (them.cpuSeconds / them.alerts);
  const several = e.rounds.length > 1;
  const label = (name: string, round: number) => (several ? `round ${round + 1}: ${name}` : name);
  const versus = (row: EndToEndRow, theirs: EndToEndRow, round: number) =>
    `${label(row.name, round)} ÷ syslog-ng: deliveries/s ${both(row.run, theirs.run, (us, them) => ratio(speed(us, them)))} (target: at least 1x); CPU per alert ${both(row.run, theirs.run, (us, them) => ratio(cost(us, them)))} (target: at most 1x).`;
  /** Per integratord row (by position), the median of its ratios over the rounds where both ran. */
  const medians = (e.rounds[0]?.ours ?? []).map((row, i) => {
    const pairs = e.rounds.flatMap((r) => {
      const ours = r.ours[i]?.run;
      return ours?.ok && r.theirs.run.ok ? [[ours.value, r.theirs.run.value] as const] : [];
    });
    return `Median of ${pairs.length} rounds, ${row.name} ÷ syslog-ng: deliveries/s ${ratio(median(pairs.map(([a, b]) => speed(a, b))))}; CPU per alert ${ratio(median(pairs.map(([a, b]) => cost(a, b))))}.`;
  });
  return [
    `#### 4. End to end: ${thousands(e.count)} alerts, every one POSTed (one request each) to the loopback receiver, ${e.workers} at once`,
    '',
    markdownTable(
      ['tool', 'start → last request received', 'deliveries/s', 'deliveries/s, first → last request', 'CPU (user + sys)', 'CPU per alert', 'peak RSS', 'receiver CPU'],
      e.rounds.flatMap((r, i) => [...r.ours.map((row) => tool(label(row.name, i), row.run)), tool(label(r.theirs.name, i), r.theirs.run)]),
    ),
    '',
    ...e.rounds.flatMap((r, i) => r.ours.flatMap((row) => [versus(row, r.theirs, i), ''])),
    ...(several ? medians.flatMap((line) => [line, '']) : []),
    'How it was measured: every tool is a child process started under GNU time (`/usr/bin/time -f "%U %S %M"`), which',
    'reports the user and system CPU and the peak RSS (maxrss) of that process alone; wall time is taken by the',
    'benchmark from spawn. integratord is the built CLI under plain node (`node dist/cli/bin.js replay FILE --dry-run',
    '--no-progress -c CONF --home HOME`), the naive loop is bench/naive-loop.mjs under plain node; both exit by themselves,',
    'start-up included. syslog-ng runs in the foreground (`-F`) with its own config, persist file and control socket under',
    'bench/.data/syslog-ng-*/, reading the corpus from its first byte; it is stopped with SIGTERM as soon as its counters',
    '(filter only: the filter\'s matched + not_matched, read over the control socket every 25 ms) or the receiver\'s count',
    '(end to end) show every alert handled; its wall time ends there, its CPU includes its shutdown. Each run is checked:',
    'no alert passed the filter (integratord printed no would-be request and skipped every alert in every block; syslog-ng',
    'matched none and parsed all), and end to end the receiver (bench/receiver-process.ts, in its own process, the same',
    'one for both tools) got one request per alert, each answered 2xx. End-to-end deliveries/s count from spawn to the last',
    'request at the receiver, for both tools. The page cache is warm (one naive pass first); runs are one after the other.',
    '',
  ];
};
