// Benchmark: Wazuh's way (one process per alert, sequential) against integratord, same alerts, same receiver.
// Run: node --import tsx bench/wazuh-way.ts [--alerts N]   (prints Markdown; asserts nothing)

import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadLine, machineLine, markdownTable, ms, percentile, thousands } from './bench-env.js';
import { ensureBuilt, startCli } from './cli-process.js';
import { corpusFile } from './corpus-file.js';
import { startReceiver, type Receiver } from './receiver.js';
import { tempHome, type TempHome } from './temp-home.js';

const { values } = parseArgs({ options: { alerts: { type: 'string', default: '300' } } });
const count = Number(values.alerts);
const NAME = 'custom-bench';
const ASSETS = new URL('./wazuh-way/', import.meta.url);

/** The absolute path of python3 on PATH (Wazuh ships its own under framework/python/bin/). */
const python3 = (): string => {
  const found = spawnSync('sh', ['-c', 'command -v python3'], { encoding: 'utf8' });
  const path = found.stdout.trim();
  if (found.status !== 0 || path === '') throw new Error('python3 not found on PATH');
  return path;
};

const pythonVersion = (python: string): string => {
  const probe = spawnSync(python, ['-c', "import sys\ntry:\n import requests; r = 'requests ' + requests.__version__\nexcept ModuleNotFoundError:\n r = 'urllib (no requests)'\nprint(sys.version.split()[0], r)"], { encoding: 'utf8' });
  return probe.stdout.trim();
};

/** A Wazuh home with the wrapper as integrations/custom-bench, the .py beside it, and framework/python/bin/python3. */
const wazuhHome = (hookUrl: string, python: string): TempHome => {
  const home = tempHome('wazuh-way', hookUrl);
  const wrapper = join(home.home, 'integrations', NAME);
  copyFileSync(new URL('generic_wrapper.sh', ASSETS), wrapper);
  copyFileSync(new URL(`${NAME}.py`, ASSETS), `${wrapper}.py`);
  chmodSync(wrapper, 0o750);
  chmodSync(`${wrapper}.py`, 0o750);
  mkdirSync(join(home.home, 'framework', 'python', 'bin'), { recursive: true });
  symlinkSync(python, join(home.home, 'framework', 'python', 'bin', 'python3'));
  mkdirSync(join(home.home, 'tmp'));
  return home;
};

interface Timed {
  readonly seconds: number;
  /** Per-alert times in ms, ascending (empty when not measured per alert). */
  readonly each: Float64Array;
}

/**
 * wazuh-integratord's loop for one custom-* block, done here: per alert, re-serialize it, write the temp
 * file, fork+exec integrations/<name> with Wazuh's argv (argv[0] "integrations", 8 arguments, the
 * literal redirect as the last), stdout and stderr read, wait, unlink. Sequential and blocking.
 */
const wazuhLoop = (home: TempHome, hookUrl: string, lines: readonly string[]): Timed => {
  const each = new Float64Array(lines.length);
  const started = performance.now();
  lines.forEach((line, i) => {
    const t = performance.now();
    const alertFile = join(home.home, 'tmp', `${NAME}-${Math.floor(Date.now() / 1000)}-${Math.floor(Math.random() * 2 ** 31)}.alert`);
    writeFileSync(alertFile, `${JSON.stringify(JSON.parse(line))}\n`);
    const run = spawnSync(join(home.home, 'integrations', NAME), [alertFile, '', hookUrl, '', '', '10', '3', '> /dev/null 2>&1'], {
      argv0: 'integrations',
      cwd: home.home,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    unlinkSync(alertFile);
    if (run.status !== 0) throw new Error(`integration exited ${run.status ?? run.signal}: ${run.stdout}${run.stderr}`);
    each[i] = performance.now() - t;
  });
  return { seconds: (performance.now() - started) / 1000, each: each.sort() };
};

/** The driver's own share: the same loop running /bin/true instead of the integration. */
const spawnOnly = (home: TempHome, lines: readonly string[]): Timed => {
  const started = performance.now();
  for (const _ of lines) spawnSync('/bin/true', [], { cwd: home.home, stdio: ['ignore', 'pipe', 'pipe'] });
  return { seconds: (performance.now() - started) / 1000, each: new Float64Array() };
};

/** `integratord replay FILE --home H [extra]`, process start → exit; throws unless every alert arrived. */
const integratord = async (receiver: Receiver, home: TempHome, file: string, extra: readonly string[], expected = count): Promise<Timed> => {
  await receiver.reset();
  const started = performance.now();
  const run = startCli(['replay', file, '--home', home.home, '--no-progress', ...extra]);
  const code = await run.exited;
  const seconds = (performance.now() - started) / 1000;
  const received = await receiver.count();
  if (code !== 0 || received !== expected) throw new Error(`replay exited ${code}, ${received} of ${expected} received:\n${run.stderr().slice(-2000)}`);
  return { seconds, each: new Float64Array() };
};

ensureBuilt();
const file = await corpusFile(count);
const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
const python = python3();
const load = loadLine();
const receiver = await startReceiver();
try {
  const wazuh = wazuhHome(receiver.url, python);
  const webhook = tempHome('wazuh-way-webhook', receiver.url);
  process.stderr.write(`wazuh way: ${count} alerts, one process per alert …\n`);
  await receiver.reset();
  const loop = wazuhLoop(wazuh, receiver.url, lines);
  const got = await receiver.count();
  if (got !== count) throw new Error(`the Wazuh-style loop delivered ${got} of ${count}`);
  const spawnCost = spawnOnly(wazuh, lines);
  process.stderr.write('integratord, same alerts …\n');
  const emptyFile = join(webhook.home, 'empty.json');
  writeFileSync(emptyFile, '');
  const idle = await integratord(receiver, webhook, emptyFile, [], 0);
  const fast = await integratord(receiver, webhook, file, []);
  const sequential = await integratord(receiver, webhook, file, ['--concurrency', '1']);
  const scripts = await integratord(receiver, wazuh, file, []);
  const rate = (t: Timed) => count / t.seconds;
  const base = rate(loop);
  const row = (what: string, t: Timed) => [what, `${t.seconds.toFixed(2)} s`, thousands(rate(t)), `${(rate(t) / base).toFixed(1)}x`];
  const rows = [
    row("Wazuh's way: temp file + sh wrapper + python3 + requests, one process per alert, sequential", loop),
    row('integratord replay, generic webhook block (in-process HTTP, keep-alive), concurrency 4', fast),
    row('integratord replay, same, --concurrency 1 (sequential like Wazuh)', sequential),
    row('integratord replay running the same wrapper + Python script per alert, concurrency 4', scripts),
  ];
  process.stdout.write(
    [
      `### Wazuh's way beside integratord: the same ${thousands(count)} alerts to the same receiver`,
      '',
      `${machineLine()} · python ${pythonVersion(python)} · ${load} at start`,
      '',
      markdownTable(['how', 'time', 'alerts/s', 'vs Wazuh'], rows),
      '',
      `Wazuh's way, per alert: p50 ${ms(percentile(loop.each, 50))}, p99 ${ms(percentile(loop.each, 99))}. The driver's own fork+exec`,
      `(the same loop running /bin/true) took ${spawnCost.seconds.toFixed(2)} s for ${thousands(count)} alerts; it is included above, as wazuh-integratord pays its own.`,
      '',
      "Wazuh's way is reproduced here, not run from a Wazuh install: a Node loop does what wazuh-integratord does for a",
      'custom-* block (write the alert to a temp file, fork+exec `integrations/custom-bench` with its 8 arguments, read the',
      'merged output, wait, unlink the file). integrations/custom-bench follows generic_wrapper.sh (subshells',
      'to find its directory, then `framework/python/bin/python3 custom-bench.py "$@"`, the system python3 here instead of',
      "Wazuh's bundled one); custom-bench.py has slack.py's shape (json.load the file, append the call to",
      'logs/integrations.log, `requests.post` with a 10 s timeout, new connection per alert). Not included: analysisd, the',
      "C daemon's own reading and filtering of alerts.json, its 1 s sleep when the file is idle (there is always a",
      'backlog here), the permission check in the child. integratord rows are the real CLI, timed from process start to',
      `exit, so they include its start-up and shutdown: ${idle.seconds.toFixed(2)} s for a replay of an empty file in this run.`,
      '',
    ].join('\n'),
  );
} finally {
  await receiver.close();
}
