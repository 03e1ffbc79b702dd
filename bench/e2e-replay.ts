// End-to-end benchmark: the real `integratord replay` CLI delivering N alerts to a webhook in another process.
// Run: node --import tsx bench/e2e-replay.ts [--alerts N] [--concurrency C]   (prints Markdown; asserts nothing)

import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { dataDir, loadLine, machineLine, markdownTable, ms, percentile, thousands } from './bench-env.js';
import { cpuSecondsOf, ensureBuilt, startCli } from './cli-process.js';
import { corpusFile } from './corpus-file.js';
import { startReceiver, type Receiver, type ReceiverStats } from './receiver.js';
import { tempHome, type TempHome } from './temp-home.js';

const { values } = parseArgs({ options: { alerts: { type: 'string', default: '100000' }, concurrency: { type: 'string', default: '4' } } });
const count = Number(values.alerts);
const concurrency = values.concurrency;
const STAMP = fileURLToPath(new URL('./send-stamp.mjs', import.meta.url));

interface Replayed {
  readonly seconds: number;
  /** CPU seconds of the integratord process (last sample, every 100 ms) and of the receiver over the run. */
  readonly cpu: number;
  readonly receiverCpu: number;
  readonly stats: ReceiverStats;
  readonly roundTripsMs?: Float64Array;
}

/** One `integratord replay FILE --home H`, timed from spawn to exit; fails loudly unless every alert arrived. */
const replay = async (receiver: Receiver, home: TempHome, file: string, expected: number, stamped: boolean, parallel = concurrency): Promise<Replayed> => {
  await receiver.reset();
  const roundTripFile = join(dataDir(), 'e2e-round-trips.json');
  rmSync(roundTripFile, { force: true });
  const receiverCpu = cpuSecondsOf(receiver.pid) ?? 0;
  const started = performance.now();
  const run = startCli(['replay', file, '--home', home.home, '--no-progress', '--concurrency', parallel], {
    nodeArgs: stamped ? ['--import', STAMP] : [],
    env: stamped ? { BENCH_ROUNDTRIP_FILE: roundTripFile } : {},
  });
  let cpu = 0;
  const sampler = setInterval(() => (cpu = cpuSecondsOf(run.child.pid ?? 0) ?? cpu), 100);
  const code = await run.exited;
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const used = { cpu, receiverCpu: (cpuSecondsOf(receiver.pid) ?? 0) - receiverCpu };
  const stats = await receiver.stats();
  if (code !== 0 || stats.count !== expected) {
    throw new Error(`replay exited ${code} with ${stats.count} of ${expected} alerts received:\n${run.stderr().slice(-2000)}`);
  }
  if (!stamped) return { seconds, ...used, stats };
  const { roundTripsMs } = JSON.parse(readFileSync(roundTripFile, 'utf8')) as { roundTripsMs: number[] };
  return { seconds, ...used, stats, roundTripsMs: Float64Array.from(roundTripsMs).sort() };
};

ensureBuilt();
const file = await corpusFile(count);
const empty = join(dataDir(), 'empty.json');
writeFileSync(empty, '');
const receiver = await startReceiver();
const home = tempHome('e2e-replay', receiver.url);
const load = loadLine();
try {
  process.stderr.write(`e2e replay: ${thousands(count)} alerts, concurrency ${concurrency} …\n`);
  const idle = await replay(receiver, home, empty, 0, false);
  const plain = await replay(receiver, home, file, count, false);
  const stamped = await replay(receiver, home, file, count, true);
  const wide = await replay(receiver, home, file, count, false, String(Number(concurrency) * 4));
  const steady = (s: ReceiverStats) => (s.count - 1) / ((s.lastAtUs - s.firstAtUs) / 1e6);
  const trips = stamped.roundTripsMs ?? new Float64Array();
  const rows = [
    ['process start → exit, empty file (fixed cost of one replay)', `${idle.seconds.toFixed(2)} s`],
    [`deliveries/s, process start → exit (${thousands(count)} alerts in ${plain.seconds.toFixed(2)} s)`, thousands(count / plain.seconds)],
    ['deliveries/s, first → last request at the receiver', thousands(steady(plain.stats))],
    [
      'CPU used: integratord / receiver (share of one core over the run; above 100%: GC and I/O threads)',
      `${plain.cpu.toFixed(1)} s (${Math.round((plain.cpu / plain.seconds) * 100)}%) / ${plain.receiverCpu.toFixed(1)} s (${Math.round((plain.receiverCpu / plain.seconds) * 100)}%); ${thousands((plain.cpu / count) * 1e6)} µs of integratord CPU per alert`,
    ],
    ['send → received (one way: undici creates the request → the receiver has its body), p50 / p99 / max', `${ms(stamped.stats.latency.p50)} / ${ms(stamped.stats.latency.p99)} / ${ms(stamped.stats.latency.max)}`],
    ['round trip (undici creates the request → response headers, in integratord), p50 / p99', `${ms(percentile(trips, 50))} / ${ms(percentile(trips, 99))}`],
    ['deliveries/s of the instrumented run (start → exit)', thousands(count / stamped.seconds)],
    [
      `deliveries/s with --concurrency ${Number(concurrency) * 4} (start → exit); integratord CPU`,
      `${thousands(count / wide.seconds)}; ${wide.cpu.toFixed(1)} s (${Math.round((wide.cpu / wide.seconds) * 100)}%)`,
    ],
  ];
  process.stdout.write(
    [
      `### End to end: \`integratord replay\` of ${thousands(count)} alerts to a loopback webhook`,
      '',
      `${machineLine()} · ${load} at start`,
      '',
      markdownTable(['measure', 'result'], rows),
      '',
      `The real CLI (\`node dist/cli/bin.js replay FILE --home H --concurrency ${concurrency}\`) against a Wazuh home whose ossec.conf has one`,
      '`custom-bench` block (no executable, a `hook_url`: the generic JSON webhook, one POST per alert, no filter). The',
      'receiver is the webhook stand-in (src/stand-ins/webhook.ts) in another process; it parses every body. Latency comes',
      'from a second, instrumented run: bench/send-stamp.mjs is preloaded into integratord and stamps each request with',
      'its send time (`x-bench-sent-at`, wall-clock µs) when undici creates it; the receiver subtracts it from the arrival',
      'time. It measures the HTTP leg only, not the time an alert waited in the file (a replay reads a backlog, so that',
      'wait is just its position in the file).',
      '',
    ].join('\n'),
  );
} finally {
  await receiver.close();
}
