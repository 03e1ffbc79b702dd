// Benchmark: daemon memory with a 1M-alert backlog and a slow service (20 ms per request); draws the SVG chart.
// Run: node --import tsx bench/slow-service.ts [--alerts N] [--seconds S] [--delay MS]   (prints Markdown; asserts nothing)

import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { dataDir, loadLine, machineLine, markdownTable, megabytes, thousands } from './bench-env.js';
import { ensureBuilt, rssOf, startCli } from './cli-process.js';
import { corpusFile } from './corpus-file.js';
import { startReceiver } from './receiver.js';
import { lineChartSvg } from './svg-chart.js';
import { tempHome } from './temp-home.js';

const { values } = parseArgs({
  options: { alerts: { type: 'string', default: '1000000' }, seconds: { type: 'string', default: '120' }, delay: { type: 'string', default: '20' } },
});
const count = Number(values.alerts);
const seconds = Number(values.seconds);
const delayMs = Number(values.delay);
/** Sampling period (ms): often enough to see a trend, rare enough to cost the daemon nothing. */
const SAMPLE_MS = 500;
const CHART = fileURLToPath(new URL('./results-slow-service.svg', import.meta.url));
const PROBE = fileURLToPath(new URL('./memory-probe.mjs', import.meta.url));

interface HeapSample {
  readonly t: number;
  readonly heapTotal: number;
  readonly heapUsed: number;
}

interface Sample {
  /** Seconds since the daemon was spawned. */
  readonly t: number;
  readonly rss: number;
  readonly received: number;
}

ensureBuilt();
const file = await corpusFile(count);
const load = loadLine();
const receiver = await startReceiver({ delayMs });
try {
  const home = tempHome('slow-service', receiver.url);
  process.stderr.write(`slow service: ${thousands(count)}-alert backlog, ${delayMs} ms per request, ${seconds} s …\n`);
  const heapFile = join(dataDir(), 'slow-service-heap.jsonl');
  rmSync(heapFile, { force: true });
  const started = performance.now();
  const daemon = startCli(['run', '--home', home.home, '--alerts', file, '--from-beginning'], {
    nodeArgs: ['--import', PROBE],
    env: { BENCH_MEMORY_FILE: heapFile },
  });
  const samples: Sample[] = [];
  let readyAt: number | undefined;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, SAMPLE_MS));
    const rss = rssOf(daemon.child.pid ?? 0);
    if (rss === undefined) throw new Error(`daemon exited early:\n${daemon.stderr().slice(-2000)}`);
    const t = (performance.now() - started) / 1000;
    if (readyAt === undefined && daemon.stderr().includes('Following ')) readyAt = t;
    const received = await receiver.count();
    samples.push({ t, rss, received });
    if (t >= seconds || received >= count) break;
  }
  const stopping = performance.now();
  daemon.child.kill('SIGTERM');
  const code = await daemon.exited;
  const stopSeconds = (performance.now() - stopping) / 1000;
  if (code !== 0) throw new Error(`daemon exited ${code} on SIGTERM:\n${daemon.stderr().slice(-2000)}`);

  const heap: HeapSample[] = existsSync(heapFile)
    ? readFileSync(heapFile, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as HeapSample)
    : [];
  const heapTotals = heap.map((h) => h.heapTotal);
  const heapUsed = heap.map((h) => h.heapUsed);
  const first = samples[0] as Sample;
  const last = samples[samples.length - 1] as Sample;
  const peak = samples.reduce((a, b) => (b.rss > a.rss ? b : a));
  const rates = samples.map((s, i): [number, number] => {
    const before = samples[i - 1] ?? { t: 0, received: 0 };
    return [s.t, (s.received - before.received) / (s.t - before.t)];
  });
  const tail = samples.filter((s) => s.t >= last.t - 30);
  const steady = (last.received - first.received) / (last.t - first.t);
  writeFileSync(
    CHART,
    lineChartSvg({
      title: `integratord run: ${thousands(count)}-alert backlog, service answering in ${delayMs} ms, concurrency 4`,
      xLabel: 'seconds since the daemon started',
      left: { name: 'deliveries/s', unit: 'deliveries/s', color: '#1f77b4', points: rates },
      right: { name: 'daemon RSS', unit: 'MB', color: '#d62728', points: samples.map((s) => [s.t, s.rss / 1e6]) },
    }),
  );
  const rows = [
    ['backlog', `${thousands(count)} alerts (${megabytes(statSync(file).size)}) in alerts.json, read from the beginning`],
    ['service', `webhook stand-in answering each request after ${delayMs} ms; daemon concurrency 4 (so at most ${thousands(4000 / delayMs)}/s)`],
    ['run', `${last.t.toFixed(1)} s, ${samples.length} samples every ${SAMPLE_MS} ms; ready (“Following …” logged) after ${readyAt?.toFixed(1) ?? '?'} s`],
    ['delivered', `${thousands(last.received)} (${thousands(steady)}/s between the first and last sample)`],
    ['RSS at the first sample', megabytes(first.rss)],
    ['RSS peak', `${megabytes(peak.rss)} (at ${peak.t.toFixed(1)} s)`],
    ['RSS at the last sample', megabytes(last.rss)],
    ['RSS over the last 30 s, min – max', `${megabytes(Math.min(...tail.map((s) => s.rss)))} – ${megabytes(Math.max(...tail.map((s) => s.rss)))}`],
    [
      'V8 heap committed (heapTotal): first / peak / last; heap in use: min – max',
      heap.length === 0
        ? 'not sampled'
        : `${megabytes(heapTotals[0] ?? 0)} / ${megabytes(Math.max(...heapTotals))} / ${megabytes(heapTotals[heapTotals.length - 1] ?? 0)}; ${megabytes(Math.min(...heapUsed))} – ${megabytes(Math.max(...heapUsed))}`,
    ],
    ['SIGTERM → exit (in-flight deliveries finish, cursor saved)', `${stopSeconds.toFixed(2)} s`],
  ];
  process.stdout.write(
    [
      `### Memory: the daemon with a ${thousands(count)}-alert backlog and a slow service`,
      '',
      `${machineLine()} · ${load} at start`,
      '',
      markdownTable(['measure', 'result'], rows),
      '',
      '![deliveries/s and RSS over time](results-slow-service.svg)',
      '',
      '`node dist/cli/bin.js run --home H --alerts BACKLOG --from-beginning`, one `custom-bench` webhook block; RSS is',
      "VmRSS of the daemon's process from /proc, sampled by the benchmark from outside; deliveries are counted by the",
      'receiver (another process). The daemon reads the file only as fast as deliveries free a slot, so the backlog',
      'stays on disk: memory should not grow with it. V8 heap sizes come from bench/memory-probe.mjs, preloaded into the',
      `daemon (process.memoryUsage() every 500 ms). The run lasts ${seconds} s (the brief said about 60) so that the chart shows`,
      "where RSS settles after V8's first major collections, not only the early growth of its committed heap.",
      '',
    ].join('\n'),
  );
} finally {
  await receiver.close();
}
