// ~60 broken ossec.conf files: `check` refuses each with exit 1 and a located error, `run` too (or disables the one bad block), never a crash; a valid file passes.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { brokenConfigs } from '../helpers/broken-configs.js';
import { DaemonProcess } from '../helpers/daemon-process.js';
import { runCli, type CliRun } from '../helpers/spawned-cli.js';
import { fixturePath } from '../helpers/fixture-path.js';
import { tempDirSync } from '../helpers/temp-dir.js';

const SEED = 1230;
/** Two commands at a time: one per core of the CI machine. */
const PARALLEL = 2;
/** A Node stack frame: `    at fn (file:line:col)` — what an uncaught exception prints. */
const STACK_FRAME = /^\s+at .+(:\d+:\d+\)?|\(<anonymous>\))$/m;

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Runs `work` over `items`, `PARALLEL` at a time, results in item order. */
const inParallel = async <T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> => {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await work(items[i]!);
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  return results;
};

/** What is wrong with one command's handling of a broken file (empty when it refused it properly). */
const problems = (command: string, file: string, result: CliRun, located: RegExp): string[] => {
  const out: string[] = [];
  const all = `${result.stdout}\n${result.stderr}`;
  if (result.signal !== null || result.code !== 1) out.push(`${command}: exit ${result.code ?? result.signal}, expected 1`);
  if (!located.test(all)) out.push(`${command}: no located error (${file}:LINE:COL) in: ${all.slice(0, 300)}`);
  if (STACK_FRAME.test(all)) out.push(`${command}: a stack trace: ${all.slice(0, 500)}`);
  return out;
};

const test = suite('broken ossec.conf files');

/** What is wrong with `run` on a file whose only problem is one block: it must start, log the located refusal, and stop cleanly. */
const blockProblems = async (file: string, home: string): Promise<string[]> => {
  const daemon = new DaemonProcess(['run', '-c', file, '--home', home]);
  try {
    await daemon.ready();
    const out: string[] = [];
    // run locates a block's refusal as check does: FILE:LINE:COL before the message.
    if (!new RegExp(`ERROR: ${escape(file)}:\\d+:\\d+: Unable to enable integration for: 'slack'\\. <options>: `).test(daemon.stderr)) out.push(`run: no located refusal of the block in: ${daemon.stderr.slice(0, 300)}`);
    const exit = await daemon.stop('SIGTERM');
    if (exit.code !== 0) out.push(`run: exit ${exit.code ?? exit.signal} after SIGTERM, expected 0`);
    if (STACK_FRAME.test(daemon.stderr)) out.push(`run: a stack trace: ${daemon.stderr.slice(0, 500)}`);
    return out;
  } catch (error) {
    return [`run: ${error instanceof Error ? error.message : String(error)}`.slice(0, 400)];
  } finally {
    if (daemon.running) await daemon.stop('SIGKILL');
  }
};

test('check -c refuses every broken file with exit 1 and a FILE:LINE:COL: error, run -c too or disables the bad block; none crashes', async () => {
  const { dir, remove } = tempDirSync('broken-conf');
  try {
    for (const sub of ['etc', 'integrations', join('logs', 'alerts')]) mkdirSync(join(dir, sub), { recursive: true });
    writeFileSync(join(dir, 'logs', 'alerts', 'alerts.json'), '');
    const valid = readFileSync(fixturePath('ossec-conf', 'valid-all-tags.conf'), 'utf8');
    const corpus = brokenConfigs(valid, SEED);
    const started = Date.now();
    const results = await inParallel(corpus, async ({ name, content, scope }) => {
      const file = join(dir, `${name}.conf`);
      writeFileSync(file, content);
      const check = await runCli(['check', '-c', file, '--home', dir]);
      const checked = problems('check', name, check, new RegExp(`^${escape(file)}:\\d+:\\d+: error: `, 'm'));
      if (scope === 'block') return [...checked, ...(await blockProblems(file, dir))].map((p) => `${name}: ${p}`);
      const run = await runCli(['run', '-c', file, '--home', dir]);
      return [...checked, ...problems('run', name, run, new RegExp(`ERROR: ${escape(file)}:\\d+:\\d+: `))].map((p) => `${name}: ${p}`);
    });
    const seconds = (Date.now() - started) / 1000;
    const bytes = corpus.reduce((total, c) => total + c.content.length, 0);
    console.log(`\n  broken configs: ${corpus.length} files (${(bytes / 1024 / 1024).toFixed(1)} MB in all), each through check and run, in ${seconds.toFixed(1)} s`);
    assert.ok(corpus.length >= 50, 'a corpus of about 50 files or more');
    assert.ok(corpus.filter((c) => c.scope === 'block').length >= 4, 'block-level problems are in the corpus too');
    assert.equal(results.flat(), [], 'every broken file refused with a located error, no crash');
  } finally {
    remove();
  }
});

test('a valid file is accepted: check exits 0, run starts and stops cleanly', async () => {
  const { dir, remove } = tempDirSync('valid-conf');
  let daemon: DaemonProcess | undefined;
  try {
    for (const sub of ['etc', 'integrations', join('logs', 'alerts')]) mkdirSync(join(dir, sub), { recursive: true });
    writeFileSync(join(dir, 'logs', 'alerts', 'alerts.json'), '');
    const fixture = fixturePath('ossec-conf', 'valid-all-tags.conf');
    // The fixture's custom-misp.py block needs its script: check reports a block run would disable.
    writeFileSync(join(dir, 'integrations', 'custom-misp.py'), '#!/bin/sh\nexit 0\n', { mode: 0o750 });
    const check = await runCli(['check', '-c', fixture, '--home', dir]);
    assert.is(check.code, 0, check.stdout);
    assert.match(check.stdout, 'OK, 3 integration blocks');
    // The same file with loopback endpoints, so that nothing could leave the machine.
    const local = join(dir, 'etc', 'ossec.conf');
    writeFileSync(local, readFileSync(fixture, 'utf8').replace(/https:\/\/hooks\.slack\.com/g, 'http://127.0.0.1:9'));
    daemon = new DaemonProcess(['run', '--home', dir]);
    await daemon.ready();
    assert.equal(await daemon.stop('SIGTERM'), { code: 0, signal: null });
    assert.not.match(daemon.stderr, STACK_FRAME);
  } finally {
    if (daemon?.running) await daemon.stop('SIGKILL');
    remove();
  }
});

test.run();
