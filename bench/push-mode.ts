// Benchmark: the library's push mode — alerts handed to `send()` by many concurrent callers, a 20 ms service; peak RSS and deliveries/s.
// Run: node --import tsx bench/push-mode.ts [--alerts N] [--delay MS] [--concurrency C] [--callers K]   (prints Markdown; asserts nothing)

import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createIntegrator, DEFAULT_HIGH_WATER_MARK } from '../src/index.js';
import { dataDir, loadLine, machineLine, markdownTable, megabytes, thousands } from './bench-env.js';
import { generateAlert, seededRandom } from './corpus.js';
import { startReceiver } from './receiver.js';

const { values } = parseArgs({
  options: {
    alerts: { type: 'string', default: '100000' },
    delay: { type: 'string', default: '20' },
    // 64 deliveries at once: with 20 ms per request at most 3,200/s, so 100k alerts take about 30 s (4 would take 500 s).
    concurrency: { type: 'string', default: '64' },
    // Twice the high-water mark: half the callers always wait for room, as an HTTP service's requests would.
    callers: { type: 'string', default: String(2 * DEFAULT_HIGH_WATER_MARK) },
  },
});
const count = Number(values.alerts);
const delayMs = Number(values.delay);
const concurrency = Number(values.concurrency);
const callers = Number(values.callers);
/** Sampling period (ms): a peak lasting a tenth of a second is seen. */
const SAMPLE_MS = 100;

const load = loadLine();
const receiver = await startReceiver({ delayMs });
try {
  const state = join(dataDir(), 'push-mode-state');
  const integrator = await createIntegrator({
    config: `<ossec_config><integration><name>custom-bench</name><hook_url>${receiver.url}</hook_url><alert_format>json</alert_format></integration></ossec_config>`,
    state,
    home: join(dataDir(), 'push-mode-home'),
    concurrency,
  });
  process.stderr.write(`push mode: ${thousands(count)} alerts from ${thousands(callers)} callers of send(), ${delayMs} ms per request, concurrency ${concurrency} …\n`);
  const baseline = process.memoryUsage().rss;
  const rss: number[] = [];
  const heapUsed: number[] = [];
  let peakHeld = 0;
  const sampler = setInterval(() => {
    const memory = process.memoryUsage();
    rss.push(memory.rss);
    heapUsed.push(memory.heapUsed);
    peakHeld = Math.max(peakHeld, integrator.held);
  }, SAMPLE_MS);
  const random = seededRandom(42);
  let next = 0;
  let delivered = 0;
  let other = 0;
  const started = performance.now();
  // Each caller sends one alert, awaits its outcomes, sends the next: the shape of a service answering its requests.
  const caller = async () => {
    while (next < count) {
      const outcomes = await integrator.send(generateAlert(random, next++));
      for (const outcome of outcomes) {
        if (outcome.kind === 'delivered') delivered++;
        else other++;
      }
    }
  };
  await Promise.all(Array.from({ length: callers }, caller));
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const counts = await integrator.stop();
  const received = await receiver.count();
  const first = rss[0] ?? baseline;
  const last = rss[rss.length - 1] ?? baseline;
  const tenth = Math.max(1, Math.floor(rss.length / 10));
  const rows = [
    ['alerts', `${thousands(count)} generated on the fly, each handed to \`send()\` by one of ${thousands(callers)} callers awaiting its outcomes`],
    ['service', `webhook stand-in (another process) answering each request after ${delayMs} ms; concurrency ${concurrency} (so at most ${thousands((concurrency * 1000) / delayMs)}/s)`],
    ['highWaterMark', `${thousands(DEFAULT_HIGH_WATER_MARK)} (the default); unsettled alerts at most ${thousands(peakHeld)} in the samples`],
    ['delivered', `${thousands(delivered)} outcomes (${thousands(other)} other), ${thousands(received)} received; stop() counts: ${JSON.stringify(counts)}`],
    ['time', `${seconds.toFixed(1)} s: ${thousands(delivered / seconds)} deliveries/s`],
    ['RSS before sending', megabytes(baseline)],
    ['RSS first / peak / last sample', `${megabytes(first)} / ${megabytes(Math.max(...rss, baseline))} / ${megabytes(last)} (${rss.length} samples every ${SAMPLE_MS} ms)`],
    ['RSS peak in the first / last tenth of the run', `${megabytes(Math.max(...rss.slice(0, tenth)))} / ${megabytes(Math.max(...rss.slice(-tenth)))}`],
    ['V8 heap in use, min – max (first / last tenth)', `${megabytes(Math.min(...heapUsed.slice(0, tenth)))} – ${megabytes(Math.max(...heapUsed.slice(0, tenth)))} / ${megabytes(Math.min(...heapUsed.slice(-tenth)))} – ${megabytes(Math.max(...heapUsed.slice(-tenth)))}`],
  ];
  process.stdout.write(
    [
      `### Push mode: ${thousands(count)} alerts through \`send()\`, a ${delayMs} ms service`,
      '',
      `${machineLine()} · ${load} at start`,
      '',
      markdownTable(['measure', 'result'], rows),
      '',
      "`createIntegrator({ config, state, concurrency })` without `alerts$` or `alertsFile`, in the benchmark's own process;",
      'RSS is process.memoryUsage().rss of that process (the integrator, its callers and the alert generator). `send()`',
      'waits for room once the high-water mark of unsettled alerts is reached, so memory should stay flat whatever the',
      'number of alerts: compare the peaks of the first and last tenth.',
      '',
    ].join('\n'),
  );
} finally {
  await receiver.close();
}
