// Specs for src/cli/run.ts (`integratord run`: the drop-in daemon — startup checks, follow alerts.json, signals, metrics).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/cli.js';
import { startWebhookStandIn } from '../../src/stand-ins/webhook.js';
import type { StandIn } from '../../src/stand-ins/stand-in-server.js';
import { alertLine, receivedIds } from '../helpers/alert-line.js';
import { AlertsDir } from '../helpers/alerts-dir.js';
import { blockIdOf } from '../helpers/block-config.js';
import { captureIo } from '../helpers/capture-io.js';
import { quietDuring } from '../helpers/capture-log.js';
import { DaemonProcess } from '../helpers/daemon-process.js';
import { eventually } from '../helpers/eventually.js';
import { closedPort } from '../helpers/closed-port.js';
import { ossecConf, webhookBlock, writeOssecConf } from '../helpers/ossec-conf.js';
import { REPO_ROOT, runCli, spawnCli, type SpawnedCli } from '../helpers/spawned-cli.js';

/** `run` on a home with short shutdown grace; the alerts file exists (empty) so the start is the end. */
const daemon = (dir: AlertsDir, ...extra: string[]): SpawnedCli => {
  if (!existsSync(dir.alerts)) writeFileSync(dir.alerts, '');
  return spawnCli(['run', '--home', dir.home, '--http', '127.0.0.1:0', '--grace', '1', ...extra]);
};
const FOLLOWING = /INFO: Following .*alerts\.json/;
const cursorOf = (dir: AlertsDir, key: string) =>
  JSON.parse(readFileSync(join(dir.home, 'var', 'integratord', 'cursors', `${key}.json`), 'utf8')) as { offset: number; path: string };
const at = (service: StandIn, path: string) => service.received.filter((r) => r.url === path);

const startup = suite('run: startup');

startup("logs Wazuh's line for every block in file order: enabled, missing hook URL, unsupported name, no file", async () => {
  const dir = new AlertsDir('run-startup');
  writeFileSync(join(dir.home, 'integrations', 'foo'), '#!/bin/sh\n');
  const file = writeOssecConf(dir.home, webhookBlock('custom-x', 'http://127.0.0.1:9/x'), '<name>slack</name>', '<name>foo</name>', '<name>bar</name>', '<name>custom-y</name>');
  const cli = daemon(dir);
  try {
    await cli.waitForLog(FOLLOWING);
    const lines = cli.stderr().split('\n');
    // Each refusal located as check prints it: FILE:LINE:COL of the block's <integration> tag.
    const tagLine = (name: string) => readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(`<name>${name}</name>`));
    const expected = [
      "INFO: Enabling integration for: 'custom-x'.",
      `ERROR: ${file}:${tagLine('slack')}:3: Unable to enable integration for: 'slack'. Missing hook URL.`,
      `ERROR: ${file}:${tagLine('foo')}:3: Invalid integration: 'foo'. Not currently supported.`,
      `ERROR: ${file}:${tagLine('bar')}:3: Unable to enable integration for: 'bar'. File not found inside 'integrations'.`,
      `ERROR: ${file}:${tagLine('custom-y')}:3: Unable to enable integration for: 'custom-y'. File not found inside 'integrations'.`,
    ];
    const positions = expected.map((text) => lines.findIndex((l) => l.endsWith(`integratord: ${text}`)));
    assert.ok(positions.every((p) => p >= 0), `missing startup lines:\n${cli.stderr()}`);
    assert.equal([...positions].sort((a, b) => a - b), positions, 'in the order of the blocks');
    assert.match(cli.stderr(), '(1 of 5 integration blocks enabled');
    const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    assert.match(cli.stderr(), `; integratord ${version}).\n`, 'the startup line names the version');
    cli.kill('SIGTERM');
    assert.is((await cli.exited()).code, 0);
  } finally {
    await cli.dispose();
    dir.remove();
  }
});

startup('warns, as check does, about a name of ours (teams) in a file named ossec.conf, and not when the file is integratord.conf', async () => {
  const dir = new AlertsDir('run-ours');
  const block = webhookBlock('teams', 'http://127.0.0.1:9/workflows/x');
  writeOssecConf(dir.home, block);
  const other = join(dir.home, 'etc', 'integratord.conf');
  writeFileSync(other, ossecConf(block));
  const warning = "WARNING: teams block 0: 'teams' is an integratord integration, not Wazuh's: stock Wazuh disables this block when it reads ossec.conf; move the block to integratord.conf";
  for (const [extra, warned] of [[[], true], [['-c', other], false]] as const) {
    const cli = daemon(dir, ...extra);
    try {
      await cli.waitForLog(FOLLOWING);
      assert.match(cli.stderr(), "INFO: Enabling integration for: 'teams'.");
      assert.is(cli.stderr().includes(warning), warned, cli.stderr());
      cli.kill('SIGTERM');
      assert.is((await cli.exited()).code, 0);
    } finally {
      await cli.dispose();
    }
  }
  dir.remove();
});

startup("exits 0 with Wazuh's clean-exit line when ossec.conf has no <integration>", async () => {
  const dir = new AlertsDir('run-none');
  try {
    writeFileSync(join(dir.home, 'etc', 'ossec.conf'), '<ossec_config>\n  <global><jsonout_output>yes</jsonout_output></global>\n</ossec_config>\n');
    const r = await runCli(['run', '--home', dir.home]);
    assert.is(r.code, 0);
    assert.match(r.stderr, /integratord: INFO: Remote integrations not configured\. Clean exit\.\n$/);
    assert.not.match(r.stderr, 'Following');
  } finally {
    dir.remove();
  }
});

startup('exits 1 with the located error and (1202) when a block is invalid', async () => {
  const dir = new AlertsDir('run-bad');
  try {
    const file = writeOssecConf(dir.home, webhookBlock('custom-x', 'http://127.0.0.1:9/x', '<max_log>5</max_log>'));
    const line = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes('<max_log>')) + 1;
    const r = await runCli(['run', '--home', dir.home]);
    assert.is(r.code, 1);
    assert.match(r.stderr, `ERROR: ${file}:${line}:5: `);
    assert.match(r.stderr, `CRITICAL: (1202): Configuration error at '${file}'.`);
    assert.not.match(r.stderr, 'Enabling integration');
  } finally {
    dir.remove();
  }
});

/** The /healthz answer of a spawned daemon started with --http. */
const healthz = async (cli: SpawnedCli) => {
  const base = /Metrics on (http:\/\/127\.0\.0\.1:\d+)\/metrics/.exec(cli.stderr())?.[1];
  if (base === undefined) throw new Error(`no Metrics line:\n${cli.stderr()}`);
  const response = await fetch(`${base}/healthz`);
  return { status: response.status, body: (await response.json()) as { ok: boolean; enabledBlocks?: number; disabled?: { block: number; integration: string; reason: string }[] } };
};

startup('an invalid <options> disables only its block, with its located error: the other block delivers; /healthz lists it', async () => {
  const dir = new AlertsDir('run-bad-options');
  const service = await startWebhookStandIn();
  const file = writeOssecConf(dir.home, webhookBlock('custom-bad', `${service.url}/bad`, '<options>None</options>'), webhookBlock('custom-good', `${service.url}/good`));
  const line = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes('<options>None')) + 1;
  const cli = daemon(dir);
  try {
    await cli.waitForLog(FOLLOWING);
    assert.match(cli.stderr(), `ERROR: ${file}:${line}:14: Unable to enable integration for: 'custom-bad'. <options>: invalid JSON in <options>`);
    assert.match(cli.stderr(), '(1 of 2 integration blocks enabled');
    dir.append([alertLine('B1')]);
    await cli.until(() => at(service, '/good').length >= 1, 'B1 at /good');
    assert.equal(receivedIds(at(service, '/good')), ['B1']);
    assert.equal(at(service, '/bad'), []);
    const health = await healthz(cli);
    assert.is(health.status, 200);
    assert.is(health.body.enabledBlocks, 1);
    assert.equal(health.body.disabled?.map((d) => [d.block, d.integration]), [[0, 'custom-bad']]);
    assert.match(health.body.disabled?.[0]?.reason ?? '', 'invalid JSON in <options>');
    cli.kill('SIGTERM');
    assert.is((await cli.exited()).code, 0);
  } finally {
    await cli.dispose();
    await service.close();
    dir.remove();
  }
});

startup('/healthz answers 503 when no block is enabled, listing each with its reason and no secret', async () => {
  const dir = new AlertsDir('run-none-enabled');
  writeOssecConf(dir.home, '<name>slack</name>', '<name>custom-hook</name>\n<hook_url>https://hookuser:RunSpecPassw0rd@hooks.example/in</hook_url>');
  const cli = daemon(dir);
  try {
    await cli.waitForLog(FOLLOWING);
    const health = await healthz(cli);
    assert.is(health.status, 503);
    assert.is(health.body.ok, false);
    assert.equal(health.body.disabled?.map((d) => d.reason), [
      "Unable to enable integration for: 'slack'. Missing hook URL.",
      "Unable to enable integration for: 'custom-hook'. hook_url carries credentials before its host (NAME:PASSWORD@), which integratord does not send: put the credentials in <api_key> or use the integration's own authentication",
    ]);
    assert.not.match(JSON.stringify(health.body) + cli.stderr(), /RunSpecPassw0rd|hookuser/);
    cli.kill('SIGTERM');
    assert.is((await cli.exited()).code, 0);
  } finally {
    await cli.dispose();
    dir.remove();
  }
});

startup('with every block disabled and no --http it stays up for a SIGHUP that fixes the configuration, and stops on SIGTERM', async () => {
  const dir = new AlertsDir('run-all-disabled');
  writeFileSync(dir.alerts, '');
  writeOssecConf(dir.home, webhookBlock('custom-x', 'http://127.0.0.1:9/x', '<options>None</options>'));
  const cli = spawnCli(['run', '--home', dir.home, '--grace', '1']);
  try {
    await cli.waitForLog(FOLLOWING);
    let timer: NodeJS.Timeout | undefined;
    const early = await Promise.race([
      cli.exited().then((exit) => `exited on its own (${JSON.stringify(exit)})`, () => 'running'),
      new Promise<string>((resolve) => (timer = setTimeout(() => resolve('running'), 1500))),
    ]);
    clearTimeout(timer);
    assert.is(early, 'running', cli.stderr());
    cli.kill('SIGTERM');
    assert.is((await cli.exited()).code, 0);
  } finally {
    await cli.dispose();
    dir.remove();
  }
});

startup('refuses wrong options with exit 2 before reading anything', async () => {
  for (const argv of [['--grace', '0'], ['--http', 'nowhere'], ['--log-format', 'xml'], ['--concurrency', '1.5'], ['--rotate-wait', '-1'], ['--rotate-wait', '5 minutes'], ['--bogus']]) {
    const io = captureIo();
    assert.is(await main(['run', '--home', '/nonexistent', ...argv], io), 2, argv.join(' '));
    assert.match(io.err(), "Run 'integratord run --help' for usage.");
  }
});

startup.run();

const decision = suite("run: check's startup decision, at start and on SIGHUP");
quietDuring(decision);
/** check's refusal of the custom-bad block on this home: [FILE:LINE:COL, message]. */
const checkRefusal = async (dir: AlertsDir): Promise<[string, string]> => {
  const checked = await runCli(['check', '--home', dir.home]);
  assert.is(checked.code, 1, checked.stdout);
  const found = /^(\S+:\d+:\d+): error: (Unable to enable integration for: 'custom-bad'\. rendering the sample alert: .*)$/m.exec(checked.stdout);
  if (found === null) throw new Error(`check did not refuse custom-bad:\n${checked.stdout}`);
  return [found[1]!, found[2]!];
};
const BAD_TEMPLATE = '<body_template>{"g":[{{#rule.groups}}"{{.}}"{{/rule.groups}}]}</body_template>';
decision('a <body_template> that renders invalid JSON on the sample alert disables the block at start with check\'s located message; nothing is dead-lettered', async () => {
  const dir = new AlertsDir('run-template');
  const service = await startWebhookStandIn();
  writeOssecConf(dir.home, webhookBlock('custom-good', `${service.url}/good`), webhookBlock('custom-bad', `${service.url}/bad`, BAD_TEMPLATE));
  const [where, message] = await checkRefusal(dir);
  const cli = daemon(dir);
  try {
    await cli.waitForLog(FOLLOWING);
    assert.match(cli.stderr(), `ERROR: ${where}: ${message}\n`);
    assert.match(cli.stderr(), '(1 of 2 integration blocks enabled');
    dir.append([alertLine('D1')]);
    await cli.until(() => at(service, '/good').length >= 1, 'D1 at /good');
    const health = await healthz(cli);
    assert.equal(health.body.disabled?.map((d) => [d.block, d.integration, d.reason]), [[1, 'custom-bad', message]]);
    cli.kill('SIGTERM');
    assert.is((await cli.exited()).code, 0);
    assert.equal(at(service, '/bad'), []);
    assert.not.ok(existsSync(join(dir.home, 'var', 'integratord', 'dead-letter', `${blockIdOf('custom-bad', `${service.url}/bad`)}.jsonl`)), 'no dead letter with attempts=0');
  } finally {
    await cli.dispose();
    await service.close();
    dir.remove();
  }
});
decision('a SIGHUP that brings such a template disables the block with the same message; the other block goes on', async () => {
  const dir = new AlertsDir('run-template-reload');
  const service = await startWebhookStandIn();
  writeOssecConf(dir.home, webhookBlock('custom-good', `${service.url}/good`), webhookBlock('custom-bad', `${service.url}/bad`));
  const cli = daemon(dir);
  try {
    await cli.waitForLog(FOLLOWING);
    assert.match(cli.stderr(), '(2 of 2 integration blocks enabled');
    writeOssecConf(dir.home, webhookBlock('custom-good', `${service.url}/good`), webhookBlock('custom-bad', `${service.url}/bad`, BAD_TEMPLATE));
    const [where, message] = await checkRefusal(dir);
    const from = cli.stderr().length;
    cli.kill('SIGHUP');
    await cli.waitForLog('Configuration reloaded', from);
    assert.match(cli.stderr().slice(from), `ERROR: ${where}: ${message}\n`);
    assert.match(cli.stderr().slice(from), ', 1 disabled.');
    dir.append([alertLine('H1')]);
    await cli.until(() => at(service, '/good').length >= 1, 'H1 at /good');
    assert.equal(at(service, '/bad'), []);
    cli.kill('SIGTERM');
    assert.is((await cli.exited()).code, 0);
  } finally {
    await cli.dispose();
    await service.close();
    dir.remove();
  }
});
decision.run();

const signals = suite('run: stopping on SIGTERM / SIGINT');
let sDir: AlertsDir;
let sService: StandIn;
signals.before(async () => {
  sDir = new AlertsDir('run-signals');
  sService = await startWebhookStandIn({ delayMs: 400 });
  writeOssecConf(sDir.home, webhookBlock('custom-a', `${sService.url}/a`));
});
signals.after(async () => {
  await sService.close();
  sDir.remove();
});

signals('SIGTERM lets the delivery in flight finish within --grace, saves the cursor past it, exits 0', async () => {
  const cli = daemon(sDir);
  try {
    await cli.waitForLog(FOLLOWING);
    sDir.append([alertLine('A')]);
    await cli.until(() => sService.count >= 1, 'the request of A');
    cli.kill('SIGTERM');
    assert.is((await cli.exited()).code, 0);
    assert.match(cli.stderr(), 'INFO: (1225): SIGNAL [(15)-(SIGTERM)] Received. Exit Cleaning...');
    assert.match(cli.stderr(), 'INFO: Cursors saved. Stopped.');
    assert.not.match(cli.stderr(), 'Grace period over');
    assert.is(cursorOf(sDir, blockIdOf('custom-a', `${sService.url}/a`)).offset, statSync(sDir.alerts).size, 'A is settled');
    const deadLetters = join(sDir.home, 'var', 'integratord', 'dead-letter');
    assert.equal(existsSync(deadLetters) ? readdirSync(deadLetters) : [], [], 'and not dead-lettered');
  } finally {
    await cli.dispose();
  }
});

signals('when --grace runs out the unanswered delivery is aborted and its alert stays before the cursor', async () => {
  const cli = daemon(sDir);
  try {
    await cli.waitForLog(FOLLOWING);
    const before = statSync(sDir.alerts).size;
    sService.script('hang');
    sDir.append([alertLine('C')]);
    await cli.until(() => sService.count >= 2, 'the request of C');
    cli.kill('SIGTERM');
    assert.is((await cli.exited()).code, 0);
    assert.match(cli.stderr(), "WARNING: Grace period over: aborting the deliveries in flight of 'custom-a' (block 0)");
    assert.is(cursorOf(sDir, blockIdOf('custom-a', `${sService.url}/a`)).offset, before, 'C will be read again');
  } finally {
    await cli.dispose();
  }
});

signals('SIGINT stops the same way; the restart resumed from the cursor: C again, A never', async () => {
  const cli = daemon(sDir);
  try {
    await cli.waitForLog(FOLLOWING);
    assert.match(cli.stderr(), /INFO: Resuming 'custom-a' \(block 0\) from .*alerts\.json at byte \d+\./);
    await cli.until(() => sService.count >= 3, 'C delivered again');
    sDir.append([alertLine('D')]);
    await cli.until(() => sService.count >= 4, 'the request of D');
    cli.kill('SIGINT');
    assert.is((await cli.exited()).code, 0);
    assert.match(cli.stderr(), 'INFO: (1225): SIGNAL [(2)-(SIGINT)] Received. Exit Cleaning...');
    assert.not.match(cli.stderr(), 'Grace period over');
    assert.equal(receivedIds(sService.received), ['A', 'C', 'C', 'D']);
    assert.is(cursorOf(sDir, blockIdOf('custom-a', `${sService.url}/a`)).offset, statSync(sDir.alerts).size);
  } finally {
    await cli.dispose();
  }
});

signals.run();

const state = suite('run: the state directory');
quietDuring(state);
let tService: StandIn;
state.before(async () => {
  tService = await startWebhookStandIn();
});
state.after(async () => {
  await tService.close();
});
const stateOf = (dir: AlertsDir) => join(dir.home, 'var', 'integratord');
/** A home with one webhook block, its alerts file and its state directory. */
const stateHome = (label: string): AlertsDir => {
  const dir = new AlertsDir(label);
  writeOssecConf(dir.home, webhookBlock('custom-a', `${tService.url}/a`));
  writeFileSync(dir.alerts, '');
  return dir;
};

state('a group-writable state directory: exit 1 naming it, before any block starts', async () => {
  const dir = stateHome('run-state-unsafe');
  try {
    chmodSync(stateOf(dir), 0o775);
    const r = await runCli(['run', '--home', dir.home]);
    assert.is(r.code, 1);
    assert.match(r.stderr, `CRITICAL: unsafe state directory: ${stateOf(dir)} is group- or world-writable (mode 0775)`);
    assert.not.match(r.stderr, 'Enabling integration');
    assert.not.match(r.stderr, 'Following');
  } finally {
    dir.remove();
  }
});

state('a regular file as the state directory, or one under a file: exit 1, unusable', async () => {
  const dir = stateHome('run-state-file');
  try {
    const file = join(dir.home, 'state-file');
    writeFileSync(file, '');
    for (const path of [file, join(file, 'integratord')]) {
      const r = await runCli(['run', '--home', dir.home, '--state', path]);
      assert.is(r.code, 1, path);
      assert.match(r.stderr, `CRITICAL: unusable state directory: cannot create ${path} (`);
      assert.not.match(r.stderr, 'Enabling integration');
    }
  } finally {
    dir.remove();
  }
});

state('under umask 000 the daemon creates its directories 0700; a clean stop removes its lock', async () => {
  const dir = new AlertsDir('run-state-umask');
  writeOssecConf(dir.home, webhookBlock('custom-a', `${tService.url}/a`));
  writeFileSync(dir.alerts, '');
  const fresh = join(dir.home, 'fresh', 'state');
  const previous = process.umask(0);
  let cli: SpawnedCli | undefined;
  try {
    cli = spawnCli(['run', '--home', dir.home, '--state', fresh, '--grace', '1']);
    process.umask(previous);
    await cli.waitForLog(FOLLOWING);
    for (const path of [join(dir.home, 'fresh'), fresh, join(fresh, 'cursors'), join(fresh, 'dead-letter')]) assert.is(statSync(path).mode & 0o777, 0o700, path);
    assert.is(statSync(join(fresh, 'cursors', `${blockIdOf('custom-a', `${tService.url}/a`)}.json`)).mode & 0o777, 0o600);
    assert.ok(existsSync(join(fresh, 'integratord.lock')));
    cli.kill('SIGTERM');
    assert.equal(await cli.exited(), { code: 0, signal: null }, cli.stderr());
    assert.not.ok(existsSync(join(fresh, 'integratord.lock')), 'the lock is removed on a clean stop');
  } finally {
    process.umask(previous);
    await cli?.dispose();
    dir.remove();
  }
});

state('cursor temp files a kill -9 left behind are removed at startup, once the lock is held', async () => {
  const dir = stateHome('run-state-temps');
  const cursors = join(stateOf(dir), 'cursors');
  mkdirSync(cursors, { recursive: true });
  const temp = join(cursors, `.${blockIdOf('custom-a', `${tService.url}/a`)}.json.0123456789abcdef.tmp`);
  writeFileSync(temp, '{"version":1,"offs');
  const cli = daemon(dir);
  try {
    await cli.waitForLog(FOLLOWING);
    assert.not.ok(existsSync(temp), 'the temp file is gone');
    assert.match(cli.stderr(), 'Removed 1 cursor temp file(s) left by an interrupted write.');
    cli.kill('SIGTERM');
    assert.equal(await cli.exited(), { code: 0, signal: null }, cli.stderr());
  } finally {
    await cli.dispose();
    dir.remove();
  }
});

state('rejected-lines.jsonl moved away (logrotate) and SIGHUP: the daemon writes a new one, not the moved file', async () => {
  const dir = stateHome('run-state-rejected');
  const file = join(stateOf(dir), 'rejected-lines.jsonl');
  const moved = `${file}.old`;
  const cli = daemon(dir);
  const offsets = (path: string) => readFileSync(path, 'utf8').trimEnd().split('\n').map((l) => (JSON.parse(l) as { offset: number }).offset);
  try {
    await cli.waitForLog(FOLLOWING);
    dir.append(['{"first bad"']);
    await cli.until(() => existsSync(file) && readFileSync(file, 'utf8').includes('first bad'), 'the first bad line recorded');
    renameSync(file, moved);
    const from = cli.stderr().length;
    cli.kill('SIGHUP');
    await cli.waitForLog('Configuration reloaded', from);
    dir.append(['{"second bad"']);
    await cli.until(() => existsSync(file), 'a new rejected-lines.jsonl');
    await cli.until(() => readFileSync(file, 'utf8').includes('second bad'), 'the second bad line in the new file');
    assert.equal(offsets(moved), [0]);
    assert.equal(offsets(file), [13]);
    cli.kill('SIGTERM');
    assert.equal(await cli.exited(), { code: 0, signal: null }, cli.stderr());
  } finally {
    await cli.dispose();
    dir.remove();
  }
});

state('a second daemon on the same state exits 1 naming the first one; a stale lock is taken over', async () => {
  const dir = stateHome('run-state-lock');
  const lock = join(stateOf(dir), 'integratord.lock');
  // Left by a daemon that was killed: its pid no longer runs.
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
  writeFileSync(lock, `${dead}\n`);
  const first = new DaemonProcess(['run', '--home', dir.home, '--grace', '1']);
  try {
    await first.ready();
    assert.match(first.stderr, `WARNING: Took over the state directory lock ${lock}: it was left by pid ${dead}, which is no longer running.`);
    assert.is(readFileSync(lock, 'utf8'), `${first.pid}\n`);
    const second = await runCli(['run', '--home', dir.home]);
    assert.is(second.code, 1);
    assert.match(second.stderr, `CRITICAL: state directory ${stateOf(dir)} is in use by pid ${first.pid}`);
    assert.not.match(second.stderr, 'Enabling integration');
    assert.ok(first.running, 'the first daemon goes on');
    dir.append([alertLine('L1')]);
    await eventually(() => tService.received.some((r) => r.url === '/a'), 'the first daemon delivers');
    assert.is((await first.stop()).code, 0);
    assert.not.ok(existsSync(lock));
  } finally {
    await first.stop('SIGKILL');
    dir.remove();
  }
});

state('a cursor that cannot be saved at shutdown: an ERROR naming it instead of "Cursors saved", exit 1', async () => {
  const dir = stateHome('run-state-unsaved');
  const cli = spawnCli(['run', '--home', dir.home, '--grace', '1']);
  try {
    await cli.waitForLog(FOLLOWING);
    const cursors = join(stateOf(dir), 'cursors');
    renameSync(cursors, `${cursors}.moved`);
    writeFileSync(cursors, 'not a directory');
    const before = tService.received.length;
    dir.append([alertLine('U1')]);
    await cli.until(() => tService.received.length > before, 'U1 delivered');
    cli.kill('SIGTERM');
    assert.is((await cli.exited()).code, 1);
    const id = blockIdOf('custom-a', `${tService.url}/a`);
    assert.match(cli.stderr(), new RegExp(`ERROR: Cursors NOT saved: ${id} at offset \\d+ \\(.*cursors/${id}\\.json: ENOTDIR\\)`));
    assert.not.match(cli.stderr(), 'Cursors saved');
  } finally {
    await cli.dispose();
    dir.remove();
  }
});

state.run();

interface LogRecord {
  readonly time: string;
  readonly level: string;
  readonly program: string;
  readonly message: string;
  readonly [field: string]: unknown;
}

const live = suite('run: a daemon with --log-file, --log-format json, -d and --http');
let dir: AlertsDir;
let service: StandIn;
let cli: SpawnedCli;
let logFile: string;
const records = (file = logFile): LogRecord[] =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as LogRecord)
    : [];
const logged = (test: (r: LogRecord) => boolean, what: string) => cli.until(() => records().some(test), what);
const count = (message: string) => records().filter((r) => r.message === message).length;
const blockA = () => webhookBlock('custom-a', `${service.url}/a`);
const blockB = (level: number) => webhookBlock('custom-b', `${service.url}/b`, `<level>${level}</level>`);
const metricsUrl = () => {
  const m = /Metrics on (http:\/\/127\.0\.0\.1:\d+)\/metrics/.exec(records().map((r) => r.message).join('\n'));
  if (!m?.[1]) throw new Error('no Metrics line in the log');
  return m[1];
};

live.before(async () => {
  dir = new AlertsDir('run-live');
  service = await startWebhookStandIn();
  logFile = join(dir.home, 'logs', 'integratord.log');
  writeOssecConf(dir.home, blockA(), blockB(10));
  cli = daemon(dir, '--log-file', logFile, '--log-format', 'json', '-d');
  await logged((r) => r.message.startsWith('Following '), 'the Following line');
});
live.after(async () => {
  cli.kill('SIGTERM');
  const exit = await cli.exited().finally(() => cli.dispose());
  await service.close();
  dir.remove();
  assert.is(exit.code, 0);
});

live('writes its log to --log-file as one JSON object per line, and nothing to stderr', () => {
  const all = records();
  assert.ok(all.length >= 4);
  for (const r of all) {
    assert.type(r.message, 'string');
    assert.ok(['debug2', 'debug', 'info', 'warning', 'error', 'critical'].includes(r.level), r.level);
    assert.is(r.program, 'integratord');
    assert.ok(!Number.isNaN(Date.parse(r.time)));
  }
  assert.ok(all.some((r) => r.level === 'info' && r.message === "Enabling integration for: 'custom-b'."));
  assert.is(cli.stderr(), '');
});

live("with -d, says why a block skips an alert in Wazuh's words", async () => {
  dir.append([alertLine('X1', { level: 5 })]);
  await cli.until(() => at(service, '/a').length >= 1, 'X1 at /a');
  await logged((r) => r.message === 'Skipping: Alert level is too low' && r['alert_id'] === 'X1', 'the Skipping line of X1');
  const skip = records().find((r) => r.message === 'Skipping: Alert level is too low');
  assert.is(skip?.level, 'debug');
  assert.is(skip?.['block'], 1);
  assert.is(skip?.['integration'], 'custom-b');
  assert.equal(receivedIds(at(service, '/b')), []);
});

live('serves per-block counters on /metrics and 200 on /healthz', async () => {
  const base = metricsUrl();
  const text = await (await fetch(`${base}/metrics`)).text();
  assert.match(text, 'integratord_alerts_delivered_total{block="0",integration="custom-a"} 1');
  assert.match(text, 'integratord_alerts_skipped_total{block="1",integration="custom-b",reason="level"} 1');
  assert.match(text, 'integratord_lines_read_total{block="1",integration="custom-b"} 1');
  assert.match(text, 'integratord_block_enabled{block="0",integration="custom-a"} 1');
  const health = await fetch(`${base}/healthz`);
  assert.is(health.status, 200);
  const body = (await health.json()) as { ok: boolean };
  assert.is(body.ok, true);
});

live('SIGHUP with a valid changed config restarts only the changed block, from its cursor; deliveries go on', async () => {
  writeOssecConf(dir.home, blockA(), blockB(3));
  cli.kill('SIGHUP');
  await logged((r) => r.message.startsWith('Configuration reloaded'), 'the reload');
  assert.ok(records().some((r) => r.message === 'Configuration reloaded: 1 block(s) unchanged, 1 stopped, 1 started, 0 disabled.'));
  assert.is(count("Enabling integration for: 'custom-a'."), 1, 'block 0 untouched');
  assert.is(count("Enabling integration for: 'custom-b'."), 2, 'block 1 restarted');
  dir.append([alertLine('X2', { level: 5 })]);
  await cli.until(() => at(service, '/a').length >= 2 && at(service, '/b').length >= 1, 'X2 at /a and /b');
  assert.equal(receivedIds(at(service, '/a')), ['X1', 'X2']);
  assert.equal(receivedIds(at(service, '/b')), ['X2'], 'X1 was settled before: not read again under the new level');
});

live('SIGHUP with an invalid config logs its located errors and keeps running the old one', async () => {
  const file = join(dir.home, 'etc', 'ossec.conf');
  const text = ossecConf(blockA(), `${blockB(3)}\n<max_log>5</max_log>`);
  writeFileSync(file, text);
  const line = text.split('\n').findIndex((l) => l.includes('<max_log>')) + 1;
  cli.kill('SIGHUP');
  await logged((r) => r.message.startsWith('Reload refused'), 'the refusal');
  assert.ok(records().some((r) => r.level === 'error' && r.message.startsWith(`${file}:${line}:5: `)), 'the located error');
  assert.is(count("Enabling integration for: 'custom-b'."), 2, 'nothing restarted');
  dir.append([alertLine('X3', { level: 5 })]);
  await cli.until(() => at(service, '/a').length >= 3 && at(service, '/b').length >= 2, 'X3 at /a and /b');
  assert.equal(receivedIds(at(service, '/b')), ['X2', 'X3'], 'level 3 still applies');
});

live('SIGHUP reopens --log-file: after a rename the next lines go to a new file', async () => {
  const rotated = `${logFile}.1`;
  renameSync(logFile, rotated);
  cli.kill('SIGHUP');
  await logged((r) => r.message.startsWith('SIGHUP received'), 'a line in the new file');
  const old = records(rotated);
  assert.is(old.filter((r) => r.message.startsWith('SIGHUP received')).length, 2, 'the two earlier reloads only');
  await logged((r) => r.message.startsWith('Reload refused'), 'the refusal in the new file');
  assert.not.ok(records().some((r) => r.message.startsWith('Following ')), 'the new file starts at the rename');
});

/** /metrics once its 1 s render cache (http-server.ts) has expired: what the registry holds now. */
const freshMetrics = async (base: string | undefined) => {
  await new Promise((resolve) => setTimeout(resolve, 1100));
  return (await fetch(`${base}/metrics`)).text();
};

live('SIGHUP without a block drops it from /metrics and /healthz; added back, it resumes from its cursor (same file) and says so', async () => {
  // The Metrics line is in the log file the previous spec renamed.
  const base = /Metrics on (http:\/\/127\.0\.0\.1:\d+)\/metrics/.exec(records(`${logFile}.1`).map((r) => r.message).join('\n'))?.[1];
  writeOssecConf(dir.home, blockA());
  cli.kill('SIGHUP');
  await logged((r) => r.message === 'Configuration reloaded: 1 block(s) unchanged, 1 stopped, 0 started, 0 disabled.', 'the reload without custom-b');
  assert.not.match(await freshMetrics(base), 'custom-b');
  const health = (await (await fetch(`${base}/healthz`)).json()) as { blocks: { integration: string }[] };
  assert.equal(health.blocks.map((b) => b.integration), ['custom-a']);
  dir.append([alertLine('X4', { level: 5 })]);
  await cli.until(() => at(service, '/a').length >= 4, 'X4 at /a');
  writeOssecConf(dir.home, blockA(), blockB(3));
  cli.kill('SIGHUP');
  await logged((r) => r.message.startsWith("'custom-b' (block 1) is back: its cursor's file is still "), 'the comes-back line');
  await cli.until(() => at(service, '/b').length >= 3, 'X4 at /b: written while the block was away');
  assert.equal(receivedIds(at(service, '/b')), ['X2', 'X3', 'X4']);
  assert.match(await freshMetrics(base), 'integratord_block_enabled{block="1",integration="custom-b"} 1');
});

live.run();

const telemetry = suite('run: --http beyond loopback and --http-token-file');
telemetry('refuses to listen beyond loopback without --http-allow-remote (exit 2, before anything starts)', async () => {
  const dir = new AlertsDir('run-http-remote');
  try {
    writeOssecConf(dir.home, webhookBlock('custom-x', 'http://127.0.0.1:9/x'));
    for (const address of ['0.0.0.0:0', '[::]:0']) {
      const r = await runCli(['run', '--home', dir.home, '--http', address]);
      assert.is(r.code, 2, address);
      assert.match(r.stderr, 'listens beyond loopback: add --http-allow-remote', address);
      assert.not.match(r.stderr, 'Following');
    }
    const orphan = await runCli(['run', '--home', dir.home, '--http-allow-remote']);
    assert.is(orphan.code, 2);
    assert.match(orphan.stderr, 'only apply to --http');
  } finally {
    dir.remove();
  }
});
telemetry('serves /metrics and /healthz only with the bearer token of --http-token-file, and never logs it', async () => {
  const dir = new AlertsDir('run-http-token');
  writeOssecConf(dir.home, webhookBlock('custom-x', 'http://127.0.0.1:9/x'));
  const tokenFile = join(dir.home, 'etc', 'metrics.token');
  writeFileSync(tokenFile, 'run-spec-metrics-token-9\n', { mode: 0o600 });
  const cli = daemon(dir, '--http-token-file', tokenFile, '-dd');
  try {
    await cli.waitForLog(FOLLOWING);
    const base = /Metrics on (http:\/\/127\.0\.0\.1:\d+)\/metrics/.exec(cli.stderr())?.[1] ?? '';
    for (const path of ['/metrics', '/healthz']) {
      assert.is((await fetch(`${base}${path}`)).status, 401, path);
      assert.is((await fetch(`${base}${path}`, { headers: { authorization: 'Bearer run-spec-metrics-token-8' } })).status, 401, path);
      const ok = await fetch(`${base}${path}`, { headers: { authorization: 'Bearer run-spec-metrics-token-9' } });
      assert.is(ok.status, 200, path);
      await ok.text();
    }
    cli.kill('SIGTERM');
    assert.is((await cli.exited()).code, 0);
    assert.not.match(cli.stderr(), 'run-spec-metrics-token');
  } finally {
    await cli.dispose();
    dir.remove();
  }
});
telemetry.run();
const identity = suite('run: each block keeps its cursor and dead letters across restarts and reloads');
let iDir: AlertsDir;
let iService: StandIn;
identity.before.each(async () => {
  iDir = new AlertsDir('run-identity');
  iService = await startWebhookStandIn();
  writeFileSync(iDir.alerts, '');
});
identity.after.each(async () => {
  await iService.close();
  iDir.remove();
});
const stopped = async (cli: SpawnedCli) => {
  cli.kill('SIGTERM');
  assert.is((await cli.exited()).code, 0);
  await cli.dispose();
};
const deadLetterIds = (file: string) =>
  existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').map((l) => (JSON.parse(l) as { alert: { id: string } }).alert.id) : [];

identity('when blocks are inserted, reordered, removed or their filters edited, nothing is lost or read again', async () => {
  const down = `http://127.0.0.1:${await closedPort()}/b`;
  const a = webhookBlock('custom-a', `${iService.url}/a`);
  const b = (extra = '') => webhookBlock('custom-b', down, `<retries>0</retries>${extra}`);
  const c = webhookBlock('custom-c', `${iService.url}/c`);
  const bDead = join(iDir.home, 'var', 'integratord', 'dead-letter', `${blockIdOf('custom-b', down)}.jsonl`);
  writeOssecConf(iDir.home, a, b());
  let cli = daemon(iDir);
  await cli.waitForLog(FOLLOWING);
  iDir.append([alertLine('X1')]);
  await cli.until(() => at(iService, '/a').length >= 1 && deadLetterIds(bDead).length >= 1, 'X1 at /a and dead-lettered by custom-b');
  await stopped(cli);

  // While it is down: custom-c inserted first, custom-a moved last, custom-b's level edited; X2 written.
  writeOssecConf(iDir.home, c, b('<level>3</level>'), a);
  iDir.append([alertLine('X2')]);
  cli = daemon(iDir);
  try {
    await cli.waitForLog(FOLLOWING);
    assert.match(cli.stderr(), "INFO: Resuming 'custom-a' (block 2)");
    await cli.until(() => at(iService, '/a').length >= 2 && deadLetterIds(bDead).length >= 2, 'X2 at /a and dead-lettered by custom-b');
    // SIGHUP: custom-b removed, custom-c moved after custom-a.
    writeOssecConf(iDir.home, a, c);
    const from = cli.stderr().length;
    cli.kill('SIGHUP');
    await cli.waitForLog('Configuration reloaded', from);
    iDir.append([alertLine('X3')]);
    await cli.until(() => at(iService, '/a').length >= 3 && at(iService, '/c').length >= 1, 'X3 at /a and /c');
    await stopped(cli);
  } finally {
    await cli.dispose();
  }
  assert.equal(receivedIds(at(iService, '/a')), ['X1', 'X2', 'X3'], 'custom-a: X2 written while it was down is delivered, X1 is not sent again');
  assert.equal(receivedIds(at(iService, '/c')), ['X3'], 'custom-c started at the end');
  assert.equal(deadLetterIds(bDead), ['X1', 'X2'], "custom-b's dead letters stayed in its one file");
});

identity('migrates the <index>-<name> cursor of an older version on first start, and resumes from it', async () => {
  writeOssecConf(iDir.home, webhookBlock('custom-a', `${iService.url}/a`));
  const cursors = join(iDir.home, 'var', 'integratord', 'cursors');
  const id = blockIdOf('custom-a', `${iService.url}/a`);
  let cli = daemon(iDir);
  await cli.waitForLog(FOLLOWING);
  iDir.append([alertLine('Y1')]);
  await cli.until(() => at(iService, '/a').length >= 1, 'Y1');
  await stopped(cli);
  // What an older version left: the same cursor under <index>-<name>.
  renameSync(join(cursors, `${id}.json`), join(cursors, '0-custom-a.json'));
  iDir.append([alertLine('Y2')]);
  cli = daemon(iDir);
  try {
    await cli.waitForLog(FOLLOWING);
    assert.match(cli.stderr(), `INFO: Migrated the cursor of 'custom-a' (block 0) from ${join(cursors, '0-custom-a.json')} to ${join(cursors, `${id}.json`)}.`);
    await cli.until(() => at(iService, '/a').length >= 2, 'Y2');
    await stopped(cli);
  } finally {
    await cli.dispose();
  }
  assert.equal(receivedIds(at(iService, '/a')), ['Y1', 'Y2']);
  assert.not.ok(existsSync(join(cursors, '0-custom-a.json')));
});

identity('run --alerts OTHER keeps its cursors apart: the next normal run resumes alerts.json where it was, nothing read again', async () => {
  writeOssecConf(iDir.home, webhookBlock('custom-a', `${iService.url}/a`));
  let cli = daemon(iDir);
  await cli.waitForLog(FOLLOWING);
  iDir.append([alertLine('N1')]);
  await cli.until(() => at(iService, '/a').length >= 1, 'N1');
  await stopped(cli);
  iDir.append([alertLine('N2')]);
  const other = join(iDir.home, 'other-alerts.json');
  writeFileSync(other, `${[alertLine('O1'), alertLine('O2')].join('\n')}\n`);
  cli = daemon(iDir, '--alerts', other, '--from-beginning');
  await cli.waitForLog(/INFO: Following .*other-alerts\.json/);
  await cli.until(() => at(iService, '/a').length >= 3, 'O1 and O2');
  await stopped(cli);
  cli = daemon(iDir);
  try {
    await cli.waitForLog(FOLLOWING);
    await cli.until(() => at(iService, '/a').length >= 4, 'N2');
    iDir.append([alertLine('N3')]);
    await cli.until(() => at(iService, '/a').length >= 5, 'N3');
    await stopped(cli);
  } finally {
    await cli.dispose();
  }
  assert.equal(receivedIds(at(iService, '/a')), ['N1', 'O1', 'O2', 'N2', 'N3']);
  const scope = createHash('sha256').update(other).digest('hex').slice(0, 12);
  assert.ok(existsSync(join(iDir.home, 'var', 'integratord', 'cursors', scope, `${blockIdOf('custom-a', `${iService.url}/a`)}.json`)), 'its cursor is under cursors/<sha256 of its path>/');
});
identity.run();

const noiseKill = suite('run: noise control survives kill -9 (issue 11)');
noiseKill('alerts held for a digest when the daemon is killed -9 are not passed by the cursor, and reach a message after the restart', async () => {
  const dir = new AlertsDir('run-noise-kill');
  const service = await startWebhookStandIn();
  writeFileSync(dir.alerts, '');
  writeOssecConf(dir.home, webhookBlock('custom-a', `${service.url}/a`, '<group_by>rule.id</group_by><group_interval>3s</group_interval>'));
  const ids = ['K1', 'K2', 'K3', 'K4'];
  const lines = ids.map((id) => alertLine(id));
  let first = new DaemonProcess(['run', '--home', dir.home, '--grace', '1']);
  let second: DaemonProcess | undefined;
  try {
    await first.ready();
    dir.append(lines);
    await eventually(() => service.received.length === 1, 'the first alert of the group sent at once');
    const key = blockIdOf('custom-a', `${service.url}/a`);
    const noiseFile = join(dir.home, 'var', 'integratord', 'noise', `${key}.journal`);
    await eventually(() => existsSync(noiseFile), 'the open group persisted');
    const cursorFile = join(dir.home, 'var', 'integratord', 'cursors', `${key}.json`);
    const offset = () => (existsSync(cursorFile) ? (JSON.parse(readFileSync(cursorFile, 'utf8')) as { offset: number }).offset : -1);
    const afterFirst = Buffer.byteLength(`${lines[0]}\n`);
    await eventually(() => offset() === afterFirst, 'the cursor past the delivered first alert');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await first.stop('SIGKILL');
    assert.is(service.received.length, 1, 'the digest was not sent before the kill');
    assert.is(offset(), afterFirst, 'the cursor did not pass the held alerts');
    const journal = readFileSync(noiseFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { g?: string; firstId?: string; values?: unknown });
    const group = journal.filter((l) => l.g !== undefined).at(-1);
    assert.equal([group?.firstId, group?.values], ['K1', { 'rule.id': '5712' }]);

    second = new DaemonProcess(['run', '--home', dir.home, '--grace', '1']);
    await second.ready();
    const delivered = () => {
      const seen = new Set<string>();
      for (const r of service.received) {
        const body = r.json as Record<string, unknown>;
        const digest = body['digest'] as { alert_ids?: string[] } | undefined;
        for (const id of digest?.alert_ids ?? [String(body['id'])]) seen.add(id);
      }
      return seen;
    };
    await eventually(() => ids.every((id) => delivered().has(id)), `every held alert reached a message: ${[...delivered()].join(',')}`);
    assert.ok(service.received.some((r) => 'digest' in (r.json as object)), 'the held alerts went out as a digest');
    assert.not.ok(service.received.slice(1).some((r) => (r.json as Record<string, unknown>)['id'] === 'K1'), 'the first alert of the open group was not sent again');
    assert.is((await second.stop()).code, 0);
  } finally {
    await first.stop('SIGKILL');
    await second?.stop('SIGKILL');
    await service.close();
    dir.remove();
  }
});
noiseKill.run();
