// Benchmark: the real `integratord run` daemon following alerts.json while another process appends to it.
// Run: node --import tsx bench/daemon-follow.ts [--rate N] [--seconds S] [--down-block]   (prints Markdown; asserts nothing)
// --down-block adds a second block whose service refuses every connection: the isolation the shared reader promises.

import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadLine, machineLine, markdownTable, megabytes, ms, thousands } from './bench-env.js';
import { spawnAppendWriter } from './append-writer.js';
import { ensureBuilt, rssOf, startCli, type CliRun } from './cli-process.js';
import { startReceiver, type Receiver } from './receiver.js';
import { tempHome } from './temp-home.js';

const { values } = parseArgs({ options: { rate: { type: 'string', default: '1000' }, seconds: { type: 'string', default: '30' }, 'down-block': { type: 'boolean', default: false } } });
const downBlock = values['down-block'];
const rate = Number(values.rate);
const seconds = Number(values.seconds);
const count = rate * seconds;

const sleep = (msec: number) => new Promise((resolve) => setTimeout(resolve, msec));

/** Waits until `test()` holds, checking every 50 ms; false after `timeoutMs`. */
const until = async (test: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> => {
  const deadline = performance.now() + timeoutMs;
  while (!(await test())) {
    if (performance.now() > deadline) return false;
    await sleep(50);
  }
  return true;
};

const stopDaemon = async (daemon: CliRun): Promise<number | string> => {
  daemon.child.kill('SIGTERM');
  return daemon.exited;
};

const main = async (receiver: Receiver) => {
  const home = tempHome('daemon-follow', receiver.url);
  if (downBlock) {
    // Port 9 on loopback: nothing listens, every attempt is refused and retried; this block falls behind on its own reader.
    const down = '  <integration>\n    <name>custom-down</name>\n    <hook_url>http://127.0.0.1:9/down</hook_url>\n    <alert_format>json</alert_format>\n  </integration>\n</ossec_config>';
    writeFileSync(home.config, readFileSync(home.config, 'utf8').replace('</ossec_config>', down));
  }
  const daemon = startCli(['run', '--home', home.home]);
  try {
    // Ready once it says it follows the file; it starts at the end of the (empty) file, like Wazuh.
    if (!(await until(() => daemon.stderr().includes('Following '), 10_000))) throw new Error(`daemon did not start:\n${daemon.stderr()}`);
    const rss: number[] = [];
    const sampler = setInterval(() => rss.push(rssOf(daemon.child.pid ?? 0) ?? 0), 500);
    process.stderr.write(`daemon follow: appending ${thousands(count)} alerts at ${rate}/s …\n`);
    const writerMs = await spawnAppendWriter(home.alerts, count, rate, true);
    const all = await until(async () => (await receiver.count()) >= count, 10_000);
    clearInterval(sampler);
    const stats = await receiver.stats();
    const code = await stopDaemon(daemon);
    if (!all || code !== 0) throw new Error(`daemon exited ${code}; ${stats.count} of ${count} alerts received:\n${daemon.stderr().slice(-2000)}`);
    const rows = [
      [`alerts appended by the writer process (one write per line)`, `${thousands(count)} in ${(writerMs / 1000).toFixed(1)} s (${thousands(count / (writerMs / 1000))}/s)`],
      ['alerts received by the webhook', thousands(stats.count)],
      ['append → received, p50', ms(stats.latency.p50)],
      ['append → received, p90', ms(stats.latency.p90)],
      ['append → received, p99', ms(stats.latency.p99)],
      ['append → received, max', ms(stats.latency.max)],
      ['daemon RSS, first / peak / last sample (every 500 ms)', `${megabytes(rss[0] ?? 0)} / ${megabytes(Math.max(...rss))} / ${megabytes(rss[rss.length - 1] ?? 0)}`],
    ];
    return rows;
  } catch (error) {
    daemon.child.kill('SIGKILL');
    throw error;
  }
};

ensureBuilt();
const load = loadLine();
const receiver = await startReceiver();
try {
  const rows = await main(receiver);
  process.stdout.write(
    [
      `### The daemon following alerts.json: ${thousands(rate)} alerts/s for ${seconds} s${downBlock ? ", beside a block whose service is down" : ''}`,
      '',
      `${machineLine()} · ${load} at start`,
      '',
      markdownTable(['measure', 'result'], rows),
      '',
      '`node dist/cli/bin.js run --home H` (no cursor: starts at the end of the empty alerts.json, as Wazuh does), one',
      `\`custom-bench\` webhook block${downBlock ? ' (and `custom-down`, posting to a port where nothing listens: every attempt refused, retried, dead-lettered; it falls behind on a reader of its own)' : ''}, default concurrency 4.`,
      'Another process (bench/append-writer.ts) appends each alert with',
      'one write(2), its first key `"written_at_us"` set to the wall-clock µs of that write; the webhook stand-in, in a',
      'third process, subtracts it from the time it has the whole request body. So the latency is everything between',
      "analysisd's write and the service having the alert: the follower noticing (fs.watch, 250 ms poll as a fallback),",
      'reading, parsing, filtering, building and sending the request, and the loopback network.',
      '',
    ].join('\n'),
  );
} finally {
  await receiver.close();
}
