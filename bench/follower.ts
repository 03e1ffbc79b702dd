// Benchmark of the alerts.json follower: read rate, rate under a live writer process, latency, memory under backlog.
// Run: node --import tsx bench/follower.ts [--lines N]   (data under bench/.data/, git-ignored; prints a table, asserts nothing)

import { spawn } from 'node:child_process';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { follow } from '../src/alerts/follow.js';
import { isEndOfLines, type LineSource } from '../src/alerts/source-line.js';
import { spawnAppendWriter, WRITTEN_AT_KEY } from './append-writer.js';
import { dataDir, loadLine, machineLine, markdownTable, percentile, wallMicros } from './bench-env.js';
import { corpusFile } from './corpus-file.js';

const DATA = dataDir();

/** Runs this file in a child process in another mode; resolves with the JSON it prints on stdout. */
const runChild = <T>(args: string[]) =>
  new Promise<T>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as T) : reject(new Error(`${args[0]} exited ${code}`))));
  });

const drain = async (source: LineSource, count: number, onLine?: (text: string) => void): Promise<number> => {
  const started = performance.now();
  for (let n = 0; n < count; n++) {
    const line = await source.next();
    if (isEndOfLines(line)) throw new Error(`source ended after ${n} lines`);
    onLine?.(line.text);
  }
  return performance.now() - started;
};

const rows: [string, string][] = [];
const row = (what: string, value: string) => {
  rows.push([what, value]);
  console.error(`  ${what}: ${value}`);
};

const benchRead = async (path: string, lines: number) => {
  const bytes = statSync(path).size;
  for (const label of ['pass 1 (page cache warm, JIT cold)', 'pass 2']) {
    const follower = follow(path, { startAt: 'beginning' });
    const ms = await drain(follower, lines);
    await follower.close();
    row(`read ${lines.toLocaleString('en')} lines from a file, ${label}`, `${Math.round(lines / (ms / 1000)).toLocaleString('en')} lines/s (${Math.round(bytes / 1e6 / (ms / 1000))} MB/s)`);
  }
};

/** The same file read in batches (what the shared reader does): positions only, nothing decoded. */
const benchBatches = async (path: string, lines: number) => {
  const follower = follow(path, { startAt: 'beginning' });
  const started = performance.now();
  let seen = 0;
  while (seen < lines) {
    const batch = await follower.nextBatch();
    if (isEndOfLines(batch)) break;
    seen += batch.count;
  }
  const ms = performance.now() - started;
  await follower.close();
  row(`read ${lines.toLocaleString('en')} lines in batches (nextBatch, nothing decoded)`, `${Math.round(lines / (ms / 1000)).toLocaleString('en')} lines/s`);
};

const benchLiveWriter = async (lines: number) => {
  const path = join(DATA, 'live-writer.json');
  writeFileSync(path, '');
  const follower = follow(path, { startAt: 'beginning' });
  const writing = spawnAppendWriter(path, lines, 0, false);
  const ms = await drain(follower, lines);
  const writerMs = await writing;
  await follower.close();
  const rate = (n: number, t: number) => Math.round(n / (t / 1000)).toLocaleString('en');
  row(
    `read ${lines.toLocaleString('en')} lines while another process appends them (one write per line, flat out)`,
    `${rate(lines, ms)} lines/s (the writer alone managed ${rate(lines, writerMs)} lines/s)`,
  );
};

const STAMP = new RegExp(`^\\{"${WRITTEN_AT_KEY}":(\\d+),`);

const benchLatency = async (rate: number, seconds: number) => {
  const path = join(DATA, 'latency.json');
  writeFileSync(path, '');
  const count = rate * seconds;
  const follower = follow(path, { startAt: 'beginning' });
  const latencies: number[] = [];
  const writing = spawnAppendWriter(path, count, rate, true);
  await drain(follower, count, (text) => {
    const stamp = STAMP.exec(text);
    if (stamp) latencies.push((wallMicros() - Number(stamp[1])) / 1000);
  });
  await writing;
  await follower.close();
  latencies.sort((a, b) => a - b);
  row(
    `append→emit latency, writer process at ${rate} lines/s for ${seconds} s (fs.watch + 250 ms poll)`,
    `p50 ${percentile(latencies, 50).toFixed(2)} ms, p99 ${percentile(latencies, 99).toFixed(2)} ms, max ${percentile(latencies, 100).toFixed(2)} ms`,
  );
};

/** Child mode: follows the backlog with a consumer taking one line per ms; prints RSS samples (bytes). */
const memoryChild = async (path: string, seconds: number): Promise<void> => {
  const before = process.memoryUsage().rss;
  const follower = follow(path, { startAt: 'beginning' });
  const samples: number[] = [];
  const sampler = setInterval(() => samples.push(process.memoryUsage().rss), 250);
  let consumed = 0;
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    const line = await follower.next();
    if (isEndOfLines(line)) break;
    consumed++;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  clearInterval(sampler);
  await follower.close();
  process.stdout.write(JSON.stringify({ before, samples, consumed }));
};

const benchBacklogMemory = async (path: string, lines: number, seconds: number) => {
  const { before, samples, consumed } = await runChild<{ before: number; samples: number[]; consumed: number }>(['memory', path, String(seconds)]);
  const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
  row(
    `RSS, ${lines.toLocaleString('en')}-line backlog (${mb(statSync(path).size)}), consumer taking 1 line/ms for ${seconds} s (${consumed.toLocaleString('en')} lines; fresh process)`,
    `at start ${mb(before)}; samples: first ${mb(samples[0] ?? 0)}, last ${mb(samples[samples.length - 1] ?? 0)}, peak ${mb(Math.max(...samples))} (${samples.length} samples every 250 ms)`,
  );
};

const main = async () => {
  const [mode, ...args] = process.argv.slice(2);
  if (mode === 'memory') return memoryChild(args[0] as string, Number(args[1]));
  const linesFlag = process.argv.indexOf('--lines');
  const lines = linesFlag > 0 ? Number(process.argv[linesFlag + 1]) : 1_000_000;
  const load = loadLine();
  const path = await corpusFile(lines);
  await benchRead(path, lines);
  await benchBatches(path, lines);
  await benchLiveWriter(Math.min(lines, 200_000));
  await benchLatency(1000, 5);
  await benchBacklogMemory(path, lines, 10);
  console.log(`### Follower: reading alerts.json (src/alerts/follow.ts, in-process)\n`);
  console.log(`${machineLine()} · ${load} at start\n`);
  console.log(markdownTable(['measure', 'result'], rows));
  console.log(`\nThe writer is another process (bench/append-writer.ts), one write(2) per line; latency lines carry their write time (wall-clock µs) as \`${WRITTEN_AT_KEY}\`.\n`);
};

await main();
