// Noise control under a unique-key flood: N alerts, each with its own data.srcip, replayed through a plain, a group_by and a dedup_by block vs three plain blocks.
// Run: node --import tsx bench/noise-unique-keys.ts [--alerts N] [--runs R] [--huge-only [--huge-plain]]   (prints Markdown; asserts nothing)
// --huge-only: only the daemon fed 2,000 alerts with 200 KB keys; --huge-plain: the same through two plain blocks (the baseline).

import { once } from 'node:events';
import { appendFileSync, createWriteStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { VirtualTimeScheduler } from 'rxjs';
import { NoiseStage } from '../src/noise/noise-stage.js';
import { FileNoiseStore } from '../src/noise/noise-store.js';
import { dataDir, loadLine, machineLine, markdownTable, thousands } from './bench-env.js';
import { cpuSecondsOf, ensureBuilt, rssOf, startCli } from './cli-process.js';
import { generateAlertLines } from './corpus.js';
import { startReceiver, type Receiver } from './receiver.js';

const { values } = parseArgs({ options: { alerts: { type: 'string', default: '200000' }, runs: { type: 'string', default: '2' }, 'huge-only': { type: 'boolean', default: false }, 'huge-plain': { type: 'boolean', default: false } } });
const count = Number(values.alerts);
const runs = Number(values.runs);

/** The corpus with `data.srcip` made unique per alert (the README's own `dedup_by data.srcip`, fed by a compromised agent). */
const uniqueKeyFile = async (n: number): Promise<string> => {
  const file = join(dataDir(), `noise-unique-${n}.json`);
  if (existsSync(file)) return file;
  const out = createWriteStream(`${file}.tmp`);
  let i = 0;
  for (const line of generateAlertLines(n, 7)) {
    const alert = JSON.parse(line) as Record<string, unknown>;
    const data = typeof alert['data'] === 'object' && alert['data'] !== null ? (alert['data'] as Record<string, unknown>) : {};
    alert['data'] = { ...data, srcip: `198.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}-${i}` };
    i++;
    if (!out.write(`${JSON.stringify(alert)}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  renameSync(`${file}.tmp`, file);
  return file;
};

/** A home with one custom-bench block per `extra` (each posting to its own path; noise tags as given). */
const home = (name: string, url: string, extras: readonly string[]): string => {
  const dir = join(dataDir(), name);
  rmSync(dir, { recursive: true, force: true });
  for (const sub of ['etc', 'logs/alerts', 'integrations', 'var/integratord']) mkdirSync(join(dir, sub), { recursive: true });
  const blocks = extras.map((extra, i) => `<integration><name>custom-bench</name><hook_url>${url}/${i}</hook_url>${extra}<alert_format>json</alert_format></integration>`);
  writeFileSync(join(dir, 'etc', 'integratord.conf'), `<ossec_config>${blocks.join('')}</ossec_config>\n`);
  writeFileSync(join(dir, 'logs', 'alerts', 'alerts.json'), '');
  return dir;
};

interface Run {
  readonly seconds: number;
  readonly cpu: number;
  readonly peakRss: number;
  readonly received: number;
}

const replay = async (receiver: Receiver, dir: string, file: string): Promise<Run> => {
  await receiver.reset();
  const started = performance.now();
  const run = startCli(['replay', file, '--home', dir, '-c', join(dir, 'etc', 'integratord.conf'), '--no-progress']);
  let cpu = 0;
  let peakRss = 0;
  const sampler = setInterval(() => {
    const pid = run.child.pid ?? 0;
    cpu = cpuSecondsOf(pid) ?? cpu;
    peakRss = Math.max(peakRss, rssOf(pid) ?? 0);
  }, 100);
  const code = await run.exited;
  clearInterval(sampler);
  const seconds = (performance.now() - started) / 1000;
  const received = await receiver.count();
  if (code !== 0) throw new Error(`replay exited ${code}:\n${run.stderr().slice(-2000)}`);
  return { seconds, cpu, peakRss, received };
};

/** The journal a daemon's dedup_by block writes for `n` unique keys (the real FileNoiseStore, virtual time): bytes on disk. */
const stateBytes = async (n: number, valueBytes: number): Promise<number> => {
  const dir = join(dataDir(), 'noise-state');
  rmSync(dir, { recursive: true, force: true });
  const scheduler = new VirtualTimeScheduler();
  const store = new FileNoiseStore(dir);
  const stage = new NoiseStage({ settings: { dedupBy: ['data.srcip'], dedupWindow: 3600, groupWait: 0, groupInterval: 300 }, blockId: 'b', store, clock: 'wall', scheduler });
  await stage.ready;
  const pad = 'x'.repeat(valueBytes);
  for (let i = 0; i < n; i++) {
    stage.admit({ seq: i, alert: { id: `${i}`, data: { srcip: `${pad}${i}` } } });
    if (i % 1000 === 999) {
      scheduler.maxFrames = scheduler.now() + 1000;
      scheduler.flush();
      await store.flush();
    }
  }
  stage.close();
  await store.flush();
  const bytes = readdirSync(join(dir, 'noise')).reduce((sum, f) => sum + statSync(join(dir, 'noise', f)).size, 0);
  rmSync(dir, { recursive: true, force: true });
  return bytes;
};

/**
 * The daemon (`run`, FileNoiseStore) fed 2,000 alerts whose data.srcip is 200 KB each, into a dedup_by
 * and a group_by block: its peak RSS, and the bytes of STATE/noise/ after SIGTERM.
 */
const hugeKeys = async (receiver: Receiver): Promise<{ peakRss: number; stateBytes: number; seconds: number }> => {
  await receiver.reset();
  const dir = home('noise-huge', receiver.url, values['huge-plain'] ? ['', ''] : ['<dedup_by>data.srcip</dedup_by>', '<group_by>data.srcip</group_by>']);
  const alerts = join(dir, 'logs', 'alerts', 'alerts.json');
  const run = startCli(['run', '--home', dir, '-c', join(dir, 'etc', 'integratord.conf')]);
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssOf(run.child.pid ?? 0) ?? 0)), 100);
  try {
    const started = performance.now();
    while (!run.stderr().includes('Following')) {
      if (performance.now() - started > 60_000) throw new Error(`the daemon did not start:\n${run.stderr().slice(-2000)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const pad = 'k'.repeat(200_000);
    for (let i = 0; i < 2000; i += 50) {
      const lines = Array.from({ length: 50 }, (_, k) => JSON.stringify({ timestamp: new Date().toISOString(), rule: { id: '5712', level: 10 }, id: `h${i + k}`, data: { srcip: `${pad}${i + k}` } }));
      appendFileSync(alerts, `${lines.join('\n')}\n`);
      while ((await receiver.count()) < i + 50) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    while ((await receiver.count()) < 4000) await new Promise((resolve) => setTimeout(resolve, 100));
    const seconds = (performance.now() - started) / 1000;
    run.child.kill('SIGTERM');
    await run.exited;
    const noise = join(dir, 'var', 'integratord', 'noise');
    const stateBytes = readdirSync(noise).reduce((sum, f) => sum + statSync(join(noise, f)).size, 0);
    return { peakRss, stateBytes, seconds };
  } finally {
    clearInterval(sampler);
    run.child.kill('SIGKILL');
  }
};

ensureBuilt();
if (values['huge-only']) {
  const receiver = await startReceiver();
  try {
    const huge = await hugeKeys(receiver);
    console.log(`daemon, 2,000 alerts with 200 KB keys (dedup_by and group_by blocks): peak RSS ${(huge.peakRss / 1024 / 1024).toFixed(1)} MB, STATE/noise/ ${(huge.stateBytes / 1024 / 1024).toFixed(2)} MB (${huge.seconds.toFixed(1)} s)`);
  } finally {
    await receiver.close();
  }
  process.exit(0);
}
const file = await uniqueKeyFile(count);
const receiver = await startReceiver();
const load = loadLine();
try {
  process.stderr.write(`noise bench: ${thousands(count)} alerts with unique data.srcip …\n`);
  // Alternated, each kept at its least CPU: on a shared machine the other processes only ever add.
  const plainHome = home('noise-plain', receiver.url, ['', '', '']);
  const noisyHome = home('noise-keys', receiver.url, ['', '<group_by>data.srcip</group_by>', '<dedup_by>data.srcip</dedup_by>']);
  const best = (a: Run | undefined, b: Run) => (a === undefined || b.cpu < a.cpu ? b : a);
  let plain: Run | undefined;
  let noisy: Run | undefined;
  for (let i = 0; i < runs; i++) {
    plain = best(plain, await replay(receiver, plainHome, file));
    noisy = best(noisy, await replay(receiver, noisyHome, file));
  }
  if (plain === undefined || noisy === undefined) throw new Error('--runs must be at least 1');
  const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;
  const row = (name: string, r: Run) => [name, `${r.seconds.toFixed(1)} s`, `${r.cpu.toFixed(1)} s`, mb(r.peakRss), thousands(r.received)];
  console.log(`### Noise control, ${thousands(count)} alerts with unique data.srcip (replay, alerts clock; least CPU of ${runs} alternated runs)\n`);
  console.log(machineLine());
  console.log(load);
  console.log('');
  console.log(markdownTable(['blocks', 'wall', 'CPU', 'peak RSS', 'requests'], [row('plain ×3', plain), row('plain + group_by + dedup_by', noisy)]));
  console.log(`\nCPU ratio (noise / three plain): ${(noisy.cpu / plain.cpu).toFixed(2)}×; wall ratio ${(noisy.seconds / plain.seconds).toFixed(2)}×\n`);
  const keys = Math.min(count, 100_000);
  const huge = await hugeKeys(receiver);
  console.log(`Daemon, 2,000 alerts with 200 KB keys (dedup_by and group_by blocks): peak RSS ${mb(huge.peakRss)}, STATE/noise/ ${mb(huge.stateBytes)} after SIGTERM.\n`);
  console.log(`State written by a dedup_by block (FileNoiseStore, ${thousands(keys)} unique keys): ${mb(await stateBytes(keys, 16))}; 2,000 keys of 200 KB each: ${mb(await stateBytes(2000, 200_000))}`);
} finally {
  await receiver.close();
}
