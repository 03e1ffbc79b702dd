// Specs for src/cli/bin.ts (Entry point of the `integratord` binary): a closed stdout ends the process quietly.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { alertLine } from '../helpers/alert-line.js';
import { AlertsDir } from '../helpers/alerts-dir.js';
import { webhookBlock, writeOssecConf } from '../helpers/ossec-conf.js';
import { cliArgv, REPO_ROOT } from '../helpers/spawned-cli.js';

/** 2,000 alerts: about 1 MB of output, far more than a pipe holds, so the writer meets the closed end. */
const ALERTS = 2000;

/** Runs `integratord ARGS | head -1` in bash; the exit code is the CLI's (PIPESTATUS[0]), stderr the CLI's. */
const piped = (args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
  new Promise((resolve, reject) => {
    const script = '"$@" | head -1; echo "cli-exit=${PIPESTATUS[0]}" >&2';
    const child = spawn('bash', ['-c', script, 'bash', process.execPath, ...cliArgv(args)], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', () => {
      const exit = /cli-exit=(\d+)/.exec(stderr);
      if (!exit) reject(new Error(`no exit code:\n${stderr}`));
      else resolve({ code: Number(exit[1]), stdout, stderr: stderr.replace(exit[0], '') });
    });
  });

let dir: AlertsDir;
let file: string;

const closed = suite('bin: a reader that closes its end (| head -1)');
closed.before(() => {
  dir = new AlertsDir('bin-epipe');
  writeOssecConf(dir.home, webhookBlock('custom-a', 'http://127.0.0.1:9/a'));
  file = join(dir.home, 'alerts-copy.json');
  writeFileSync(file, `${Array.from({ length: ALERTS }, (_, i) => alertLine(`P${i}`)).join('\n')}\n`);
});
closed.after(() => dir.remove());

for (const args of [
  ['replay', '--dry-run', '--no-progress'],
  ['explain', '--json'],
]) {
  closed(`${args.join(' ')} FILE | head -1 ends with exit 0 and no stack trace`, async () => {
    const r = await piped([...args, '--home', dir.home, file]);
    assert.is(r.stdout.split('\n').filter((l) => l !== '').length, 1, 'head printed its one line');
    assert.match(r.stdout, '"P0"');
    assert.not.match(r.stderr, /EPIPE|Error|    at /, r.stderr);
    assert.is(r.code, 0, r.stderr);
  });
}
closed.run();
