// `npm run bench`: every benchmark in its own child process (a clean heap each), all tables into bench/results.md.
// Run: node --import tsx bench/run-all.ts [--quick]   (--quick: smaller sizes, for a check that everything runs); the peers specs (spec/peers) run first.

import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadLine, machineLine } from './bench-env.js';
import { ensureBuilt, ROOT } from './cli-process.js';
import { corpusFile } from './corpus-file.js';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
const quick = values.quick;
const RESULTS = fileURLToPath(new URL('./results.md', import.meta.url));

interface Benchmark {
  readonly title: string;
  readonly file: string;
  readonly args: readonly string[];
}

/** The benchmarks in the order they run; sizes per mode (full: the numbers the README quotes). */
const BENCHMARKS: readonly Benchmark[] = [
  { title: 'Filter core vs the naive loop', file: 'filter-core.ts', args: ['--alerts', quick ? '100000' : '1000000'] },
  { title: 'Follower', file: 'follower.ts', args: ['--lines', quick ? '100000' : '1000000'] },
  { title: 'Block pipeline in-process', file: 'delivery.ts', args: quick ? ['20000', '50000', '5'] : ['100000', '300000', '20'] },
  { title: 'End to end: replay to a webhook', file: 'e2e-replay.ts', args: ['--alerts', quick ? '20000' : '100000'] },
  {
    title: 'Peers: the naive loop and syslog-ng beside integratord',
    file: 'peers.ts',
    args: ['--alerts', quick ? '100000' : '1000000', '--small', '1000', '--e2e', quick ? '20000' : '100000'],
  },
  { title: 'Daemon following appends', file: 'daemon-follow.ts', args: ['--rate', '1000', '--seconds', quick ? '10' : '30'] },
  { title: "Daemon following appends beside a block whose service is down", file: 'daemon-follow.ts', args: ['--rate', '1000', '--seconds', quick ? '10' : '30', '--down-block'] },
  { title: "Wazuh's way beside integratord", file: 'wazuh-way.ts', args: ['--alerts', quick ? '50' : '300'] },
  { title: 'Library push mode: send() with a slow service', file: 'push-mode.ts', args: ['--alerts', quick ? '20000' : '100000'] },
  { title: 'Memory with a slow service', file: 'slow-service.ts', args: ['--alerts', quick ? '100000' : '1000000', '--seconds', quick ? '20' : '120'] },
];

interface Ran {
  readonly benchmark: Benchmark;
  readonly seconds: number;
  /** Load averages when it started. */
  readonly load: string;
  readonly code: number | string;
  readonly output: string;
  readonly stderrTail: string;
}

/** Runs one benchmark file under tsx; its stdout (Markdown) is kept, its stderr (progress) passes through. */
const run = (benchmark: Benchmark): Promise<Ran> =>
  new Promise((resolve) => {
    const started = performance.now();
    const load = loadLine();
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL(benchmark.file, import.meta.url)), ...benchmark.args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4000);
      process.stderr.write(chunk);
    });
    const done = (code: number | string) => resolve({ benchmark, seconds: (performance.now() - started) / 1000, load, code, output, stderrTail: stderr });
    child.on('error', (error) => done(error.message));
    child.on('exit', (code, signal) => done(code ?? signal ?? 'unknown'));
  });

const section = (ran: Ran, n: number): string => {
  const head = `## ${n}. ${ran.benchmark.title}\n\n\`node --import tsx bench/${ran.benchmark.file} ${ran.benchmark.args.join(' ')}\` — ran ${ran.seconds.toFixed(0)} s, ${ran.load} at its start\n`;
  if (succeeded(ran)) return `${head}\n${ran.output.trim()}\n`;
  const why = ran.code === 0 ? 'exit 0 but it printed no table' : `exit ${ran.code}`;
  const tables = ran.output.trim() === '' ? '' : `\nWhat it printed before failing:\n\n${ran.output.trim()}\n`;
  return `${head}\n**Failed** (${why}); the end of its log:\n\n\`\`\`\n${ran.stderrTail.trim()}\n\`\`\`\n${tables}`;
};

/** Exit 0 and a table: a benchmark that printed nothing has measured nothing, and is not passed over silently. */
const succeeded = (ran: Ran): boolean => ran.code === 0 && ran.output.trim() !== '';

/** The lines where a benchmark says a tool it compares with is missing (printed in its table instead of numbers). */
const missingTools = (ran: Ran): string[] => [...ran.output.matchAll(/[^|\n]*not installed: [^|\n]*/g)].map((m) => m[0].trim());

/**
 * The specs of the benchmarks' own parts (spec/peers: the GNU time runner, the syslog-ng peer), run
 * first; their closing line goes into results.md. A failure does not stop the measurements (a
 * missing syslog-ng is reported by its table too) but makes the run fail.
 */
const peerSpecs = (): { line: string; ok: boolean } => {
  process.stderr.write('\n[peers] npm run test:peers (spec/peers)\n');
  const r = spawnSync(process.execPath, [fileURLToPath(new URL('../spec/run-suite.mjs', import.meta.url)), 'spec/peers'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  process.stderr.write(r.stdout ?? '');
  const line = /^\d+ passed, \d+ failed$/m.exec(r.stdout ?? '')?.[0] ?? `no summary (exit ${String(r.status ?? r.signal)})`;
  return { line, ok: r.status === 0 };
};

const started = performance.now();
const startedAt = new Date().toISOString();
const peers = peerSpecs();
const loadAtStart = loadLine();
ensureBuilt();
// Generated once up front, so no benchmark's time includes writing its corpus.
await corpusFile(quick ? 100_000 : 1_000_000);
const sections: string[] = [];
let failed = 0;
/** Tools a benchmark could not compare with, named at the top of results.md as well as in its table. */
const missing = new Set<string>();
for (const [i, benchmark] of BENCHMARKS.entries()) {
  process.stderr.write(`\n[${i + 1}/${BENCHMARKS.length}] ${benchmark.title} (bench/${benchmark.file})\n`);
  const ran = await run(benchmark);
  if (!succeeded(ran)) failed++;
  for (const line of missingTools(ran)) missing.add(`${benchmark.file}: ${line}`);
  const text = section(ran, i + 1);
  process.stdout.write(`\n${text}`);
  sections.push(text);
}
const minutes = (performance.now() - started) / 60_000;
writeFileSync(
  RESULTS,
  [
    `# Benchmark results${quick ? ' (--quick: reduced sizes)' : ''}`,
    '',
    `Written by \`npm run bench${quick ? ' -- --quick' : ''}\` (bench/run-all.ts); overwritten by every run. Each benchmark ran in its own`,
    'process, one after the other. Nothing here is asserted: these are measurements of one run on one machine.',
    '',
    `- machine: ${machineLine()}`,
    `- started ${startedAt}, took ${minutes.toFixed(1)} min; ${loadAtStart} at start, ${loadLine()} at the end (2 cores: 2.0 means both busy)`,
    failed === 0 ? '- every benchmark completed' : `- **${failed} benchmark(s) failed** (below)`,
    peers.ok ? `- the benchmarks' own specs (npm run test:peers): ${peers.line}` : `- **the benchmarks' own specs failed** (npm run test:peers): ${peers.line}`,
    ...[...missing].map((line) => `- **not measured**, a tool is missing: ${line}`),
    '',
    ...sections,
  ].join('\n'),
);
process.stderr.write(`\nresults written to ${RESULTS} (${minutes.toFixed(1)} min)\n`);
process.exitCode = failed === 0 && peers.ok ? 0 : 1;
