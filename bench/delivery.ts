// Delivery benchmark: generated alerts through one webhook block pipeline (in-process, the library) to the webhook stand-in.
// Usage: node --import tsx bench/delivery.ts [alerts=100000] [backlog=300000] [drainSeconds=20]
// Prints Markdown; nothing here is a test and nothing asserts a time.

import { Subject } from 'rxjs';
import type { Alert } from '../src/alerts/alert.js';
import { Secret } from '../src/config/secret.js';
import type { IntegrationConfig } from '../src/config/integration-config.js';
import type { DeadLetterRecord } from '../src/delivery/dead-letter.js';
import { DestinationPauses } from '../src/delivery/destination-pauses.js';
import { HttpClient } from '../src/delivery/http.js';
import { scriptRunner } from '../src/delivery/run-script.js';
import { webhookBlock } from '../src/integrations/webhook.js';
import { blockPipeline, DEFAULT_BLOCK_CONCURRENCY } from '../src/pipeline/block-pipeline.js';
import type { Envelope, Outcome } from '../src/pipeline/outcome.js';
import { createMetrics } from '../src/telemetry/metrics.js';
import { loadLine, machineLine, markdownTable, megabytes, ms, percentile, thousands } from './bench-env.js';
import { generateAlertLines } from './corpus.js';
import { startReceiver } from './receiver.js';

function config(url: string): IntegrationConfig {
  return {
    id: 'custom-bench-bench', index: 0, at: { line: 1, column: 1 }, name: 'custom-bench', hookUrl: new Secret(url), apiKey: undefined,
    alertFormat: 'json', jsonFormat: true, level: 0, ruleIds: undefined, group: undefined, eventLocation: undefined,
    maxLog: 165, timeout: 10, retries: 3, options: undefined, optionsText: undefined,
  };
}

/**
 * Feeds `alerts` lazily with at most `credits` in the pipeline: the next one is generated and
 * parsed only when an outcome frees a slot (how the daemon's follower feeds blocks).
 */
function drain(url: string, http: HttpClient, alerts: Iterator<string>, credits: number, onOutcome: (o: Outcome, sentAt: number) => void): { done: Promise<void>; stop(): void } {
  const cfg = config(url);
  const input = new Subject<Envelope>();
  const sentAt = new Map<number, number>();
  const deadLetters = { append: async (_: DeadLetterRecord) => undefined };
  const pipeline = blockPipeline({
    config: cfg, integration: webhookBlock(cfg), http, scripts: scriptRunner('/tmp'), pauses: new DestinationPauses(), metrics: createMetrics(),
    queue: { send: async () => ({ kind: 'delivered' }), close: async () => undefined }, deadLetters,
  });
  let seq = 0;
  let owed = 0;
  let pulling = false;
  const pull = () => {
    owed += 1;
    if (pulling) return;
    pulling = true;
    while (owed > 0) {
      owed -= 1;
      const next = alerts.next();
      if (next.done) {
        if (sentAt.size === 0) input.complete();
        continue;
      }
      sentAt.set(seq, performance.now());
      input.next({ alert: JSON.parse(next.value) as Alert, seq: seq++ });
    }
    pulling = false;
  };
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const subscription = input.pipe(pipeline).subscribe({
    next: (o) => {
      onOutcome(o, sentAt.get(o.seq) ?? 0);
      sentAt.delete(o.seq);
      pull();
    },
    complete: () => finish(),
  });
  for (let i = 0; i < credits; i++) pull();
  return { done, stop: () => (subscription.unsubscribe(), finish()) };
}

const rows: string[][] = [];

async function throughput(count: number): Promise<void> {
  const receiver = await startReceiver();
  const http = new HttpClient();
  const latencies = new Float64Array(count);
  let n = 0;
  let failed = 0;
  const started = performance.now();
  const run = drain(receiver.url, http, generateAlertLines(count, 7), DEFAULT_BLOCK_CONCURRENCY, (o, at) => {
    if (o.kind !== 'delivered') failed += 1;
    latencies[n++] = performance.now() - at;
  });
  await run.done;
  const seconds = (performance.now() - started) / 1000;
  const sorted = latencies.slice(0, n).sort();
  rows.push(
    [`deliveries/s, ${thousands(n)} alerts (${failed} not delivered) in ${seconds.toFixed(2)} s`, thousands(n / seconds)],
    ['alert in → outcome out (generation and parse included), p50 / p99', `${ms(percentile(sorted, 50))} / ${ms(percentile(sorted, 99))}`],
  );
  await http.close();
  await receiver.close();
}

async function backlog(count: number, seconds: number): Promise<void> {
  const receiver = await startReceiver({ delayMs: 20 });
  const http = new HttpClient();
  global.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  let delivered = 0;
  const run = drain(receiver.url, http, generateAlertLines(count, 11), DEFAULT_BLOCK_CONCURRENCY, () => void (delivered += 1));
  const timer = setTimeout(() => run.stop(), seconds * 1000);
  await run.done;
  clearTimeout(timer);
  clearInterval(sampler);
  rows.push([
    `${thousands(count)} alerts waiting, service answering in 20 ms, ${seconds} s`,
    `${thousands(delivered)} delivered (${thousands(delivered / seconds)}/s); RSS before ${megabytes(baseline)}, peak ${megabytes(peak)} (+${megabytes(peak - baseline)})`,
  ]);
  await http.close();
  await receiver.close();
}

async function main(): Promise<void> {
  const [alerts = 100_000, pending = 300_000, seconds = 20] = process.argv.slice(2).map(Number);
  const load = loadLine();
  await throughput(alerts);
  await backlog(pending, seconds);
  process.stdout.write(
    [
      '### The block pipeline in-process (the library: no CLI, no file)',
      '',
      `${machineLine()} · ${load} at start`,
      '',
      markdownTable(['measure', 'result'], rows),
      '',
      `One webhook block pipeline (src/pipeline/block-pipeline.ts, concurrency ${DEFAULT_BLOCK_CONCURRENCY}) fed generated alerts as slots free up,`,
      'delivering to the webhook stand-in in another process. What the CLI adds on top (reading the file, the',
      'prefilter, the watermark, process start) shows in the end-to-end table.',
      '',
    ].join('\n'),
  );
}

await main();
