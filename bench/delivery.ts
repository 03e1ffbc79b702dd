// Delivery benchmark: generated alerts through one webhook block pipeline to the loopback webhook stand-in.
// Usage: node --import tsx bench/delivery.ts [alerts=100000] [backlog=300000] [drainSeconds=20]
// Prints numbers only; nothing here is a test and nothing asserts a time.

import { spawn, type ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
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
import { startWebhookStandIn } from '../src/stand-ins/webhook.js';
import { createMetrics } from '../src/telemetry/metrics.js';
import { generateAlertLines } from './corpus.js';

async function serve(delayMs: number): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--serve', String(delayMs)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const [line] = await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next().then((r) => [r.value as string]);
  return { url: (line ?? '').trim(), child };
}

function config(url: string): IntegrationConfig {
  return {
    index: 0, at: { line: 1, column: 1 }, name: 'custom-bench', hookUrl: new Secret(`${url}/ingest`), apiKey: undefined,
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

const percentile = (sorted: Float64Array, p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function throughput(count: number): Promise<void> {
  const { url, child } = await serve(0);
  const http = new HttpClient();
  const latencies = new Float64Array(count);
  let n = 0;
  let failed = 0;
  const started = performance.now();
  const run = drain(url, http, generateAlertLines(count, 7), DEFAULT_BLOCK_CONCURRENCY, (o, at) => {
    if (o.kind !== 'delivered') failed += 1;
    latencies[n++] = performance.now() - at;
  });
  await run.done;
  const seconds = (performance.now() - started) / 1000;
  const sorted = latencies.slice(0, n).sort();
  console.log(`throughput: ${n} alerts, ${failed} not delivered, ${seconds.toFixed(2)} s, ${Math.round(n / seconds)} deliveries/s; latency p50 ${percentile(sorted, 50).toFixed(2)} ms, p99 ${percentile(sorted, 99).toFixed(2)} ms (concurrency ${DEFAULT_BLOCK_CONCURRENCY}, generation + parse included)`);
  await http.close();
  child.stdin!.end();
}

async function backlog(count: number, seconds: number): Promise<void> {
  const { url, child } = await serve(20);
  const http = new HttpClient();
  global.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  let delivered = 0;
  const run = drain(url, http, generateAlertLines(count, 11), DEFAULT_BLOCK_CONCURRENCY, () => void (delivered += 1));
  const timer = setTimeout(() => run.stop(), seconds * 1000);
  await run.done;
  clearTimeout(timer);
  clearInterval(sampler);
  console.log(`backlog: ${count} alerts waiting, server delays 20 ms per request, drained ${delivered} in ${seconds} s (${Math.round(delivered / seconds)}/s); RSS before ${mb(baseline)}, peak ${mb(peak)} (+${mb(peak - baseline)})`);
  await http.close();
  child.stdin!.end();
}

async function main(): Promise<void> {
  const [alerts = 100_000, pending = 300_000, seconds = 20] = process.argv.slice(2).map(Number);
  const cpu = cpus();
  console.log(`node ${process.version}, ${cpu[0]?.model ?? 'unknown CPU'} × ${cpu.length}, ${new Date().toISOString()}`);
  await throughput(alerts);
  await backlog(pending, seconds);
}

/** Child mode: serve the webhook stand-in in its own process (the other core), print its URL. */
if (process.argv[2] === '--serve') {
  const server = await startWebhookStandIn({ delayMs: Number(process.argv[3] ?? 0), keep: 0 });
  process.stdout.write(`${server.url}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => void server.close().then(() => process.exit(0)));
} else {
  await main();
}
