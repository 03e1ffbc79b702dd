// Benchmark: the library's push mode — alerts handed to `send()` by many concurrent callers, a 20 ms service; peak RSS and deliveries/s.
// Run: node --import tsx bench/push-mode.ts [--down] [--alerts N] [--delay MS] [--concurrency C] [--callers K] [--high-water-mark N] [--trace-gc] [--node-arg=OPT…]   (prints Markdown; asserts nothing)
// The app is bench/push-mode-app.mjs under plain node, importing the built library (dist/index.js), as an app
// would run it; this process only feeds it the corpus file's path and samples the app's RSS from /proc.

import { fork } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { dataDir, loadLine, machineLine, markdownTable, megabytes, thousands } from './bench-env.js';
import { ensureBuilt, rssOf } from './cli-process.js';
import { gcSummary } from './gc-trace.js';
import { corpusFile } from './corpus-file.js';
import { startReceiver } from './receiver.js';
import { defaultHighWaterMark } from '../src/library/push-stop.js';

const { values } = parseArgs({
  options: {
    alerts: { type: 'string', default: '100000' },
    delay: { type: 'string', default: '20' },
    // 64 deliveries at once: with 20 ms per request at most 3,200/s, so 100k alerts take about 30 s (4 would take 500 s).
    concurrency: { type: 'string', default: '64' },
    // Twice the high-water mark (the default at concurrency 64): half the callers always wait for room, as an HTTP
    // service's requests would (maxWaiting's default, twice the mark, is not reached: nobody is refused).
    callers: { type: 'string' },
    // The blocks' window (default: the library's, 256 at concurrency 64); --callers follows it unless given.
    'high-water-mark': { type: 'string' },
    // A second block whose service is down (a closed loopback port): the first must deliver at its own rate.
    down: { type: 'boolean', default: false },
    // Runs the app with node --trace-gc and summarises its collections (their lines are not printed).
    'trace-gc': { type: 'boolean', default: false },
    // More node options for the app (repeatable), e.g. --node-arg=--max-semi-space-size=32: to see what V8's sizing does.
    'node-arg': { type: 'string', multiple: true, default: [] },
  },
});
const count = Number(values.alerts);
const delayMs = Number(values.delay);
const concurrency = Number(values.concurrency);
const highWaterMark = values['high-water-mark'] === undefined ? undefined : Number(values['high-water-mark']);
const callers = Number(values.callers ?? 2 * (highWaterMark ?? defaultHighWaterMark(concurrency)));
const traceGc = values['trace-gc'];
const down = values.down;
const nodeArgs = values['node-arg'];
/** Sampling period (ms): a peak lasting a tenth of a second is seen. */
const SAMPLE_MS = 100;

/** What the app reports once every caller is done (see push-mode-app.mjs). */
interface AppDone {
  readonly type: 'done';
  readonly delivered: number;
  readonly other: number;
  readonly seconds: number;
  readonly peakHeld: number;
  readonly counts: unknown;
  readonly heapUsed: readonly number[];
  /** Off-heap memory (Buffers, ArrayBuffers) of the same samples. */
  readonly external: readonly number[];
  /** V8's committed heap (heapTotal) of the same samples. */
  readonly heapTotal: readonly number[];
  readonly highWaterMark: number;
}
type AppMessage = { readonly type: 'ready'; readonly rss: number } | AppDone;

ensureBuilt();
const file = await corpusFile(count);
const load = loadLine();
const receiver = await startReceiver({ delayMs });
/** A loopback port nothing listens on (bound, then closed): connections to it are refused. */
const closedPort = async (): Promise<number> => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
};
const downUrl = down ? `http://127.0.0.1:${await closedPort()}/down` : undefined;
try {
  const app = fork(fileURLToPath(new URL('./push-mode-app.mjs', import.meta.url)), [
    JSON.stringify({ file, url: receiver.url, downUrl, count, concurrency, callers, highWaterMark, state: join(dataDir(), 'push-mode-state'), home: join(dataDir(), 'push-mode-home'), sampleMs: SAMPLE_MS }),
  ], { execArgv: [...(traceGc ? ['--trace-gc'] : []), ...nodeArgs], stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  let gcLog = '';
  app.stdout?.on('data', (chunk: Buffer) => (gcLog += chunk.toString('utf8')));
  process.stderr.write(`push mode: ${thousands(count)} alerts from ${thousands(callers)} callers of send(), ${delayMs} ms per request, concurrency ${concurrency} (plain node, dist/) …\n`);
  const rss: number[] = [];
  let baseline = 0;
  let sampler: NodeJS.Timeout | undefined;
  const done = await new Promise<AppDone>((resolve, reject) => {
    app.on('message', (message: AppMessage) => {
      if (message.type === 'ready') {
        baseline = message.rss;
        sampler = setInterval(() => {
          const now = rssOf(app.pid ?? 0);
          if (now !== undefined) rss.push(now);
        }, SAMPLE_MS);
      } else resolve(message);
    });
    app.on('exit', (code, signal) => reject(new Error(`the app exited (${code ?? signal}) before reporting`)));
  });
  clearInterval(sampler);
  await new Promise((resolve) => (app.exitCode === null ? app.once('exit', resolve) : resolve(undefined)));
  const { delivered, other, seconds, peakHeld, counts, heapUsed, heapTotal, external } = done;
  const received = await receiver.count();
  const first = rss[0] ?? baseline;
  const last = rss[rss.length - 1] ?? baseline;
  const tenth = Math.max(1, Math.floor(rss.length / 10));
  const heapTenth = Math.max(1, Math.floor(heapUsed.length / 10));
  const rows = [
    ['alerts', `${thousands(count)} lines of the corpus file, each parsed and handed to \`send()\` by one of ${thousands(callers)} callers awaiting its outcomes`],
    ...(down ? [['second block', 'custom-down: its service is down (connections refused); its alerts are dead-lettered (`overflow` once it stalls, `stopped` at stop)']] : []),
    ['service', `webhook stand-in (another process) answering each request after ${delayMs} ms; concurrency ${concurrency} (so at most ${thousands((concurrency * 1000) / delayMs)}/s)`],
    ...(nodeArgs.length === 0 ? [] : [['node options of the app', nodeArgs.join(' ')]]),
    ['highWaterMark', `${thousands(done.highWaterMark)} ${highWaterMark === undefined ? '(the default)' : '(set)'}; unsettled alerts at most ${thousands(peakHeld)} in the samples`],
    ['delivered', `${thousands(delivered)} outcomes (${thousands(other)} other), ${thousands(received)} received; stop() counts: ${JSON.stringify(counts)}`],
    ['time', `${seconds.toFixed(1)} s: ${thousands(delivered / seconds)} deliveries/s`],
    ['RSS before sending (integrator created)', megabytes(baseline)],
    ['RSS first / peak / last sample', `${megabytes(first)} / ${megabytes(Math.max(...rss, baseline))} / ${megabytes(last)} (${rss.length} samples every ${SAMPLE_MS} ms)`],
    ['RSS peak in the first / last tenth of the run', `${megabytes(Math.max(...rss.slice(0, tenth)))} / ${megabytes(Math.max(...rss.slice(-tenth)))}`],
    ...(traceGc ? [['collections (--trace-gc)', gcSummary(gcLog)]] : []),
    ['V8 heap committed (heapTotal) / off-heap (external) at most', `${megabytes(Math.max(0, ...heapTotal))} / ${megabytes(Math.max(0, ...external))}`],
    ['V8 heap in use, min – max (first / last tenth)', `${megabytes(Math.min(...heapUsed.slice(0, heapTenth)))} – ${megabytes(Math.max(...heapUsed.slice(0, heapTenth)))} / ${megabytes(Math.min(...heapUsed.slice(-heapTenth)))} – ${megabytes(Math.max(...heapUsed.slice(-heapTenth)))}`],
  ];
  process.stdout.write(
    [
      `### Push mode: ${thousands(count)} alerts through \`send()\`, a ${delayMs} ms service${down ? ', a second block down' : ''}`,
      '',
      `${machineLine()} · ${load} at start`,
      '',
      markdownTable(['measure', 'result'], rows),
      '',
      "`createIntegrator({ config, state, concurrency })` without `alerts$` or `alertsFile`, in an app of its own",
      '(bench/push-mode-app.mjs: plain `node`, the built library dist/index.js, the callers reading the corpus file 64 KiB at',
      "a time); RSS is that process's VmRSS (/proc), sampled by the benchmark every 100 ms, the heap the app's own samples. `send()`",
      'waits for room once the high-water mark of unsettled alerts is reached, so memory should stay flat whatever the',
      'number of alerts: compare the peaks of the first and last tenth.',
      '',
    ].join('\n'),
  );
} finally {
  await receiver.close();
}
