// Specs for src/delivery/run-script.ts (Runs a custom integration script with Wazuh's contract: private temp files, no shell, killed as a group).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runScript, scriptDeadlineMs, scriptFileProblem, scriptRunner, scriptVerdict, statScript, type ScriptResult } from '../../src/delivery/run-script.js';
import type { ExecStep } from '../../src/delivery/step.js';
import { captureLog } from '../helpers/capture-log.js';
import { recorderScript, writeScript } from '../helpers/scripts.js';
import { tempDir } from '../helpers/temp-dir.js';

const step = (file: string, extra: Partial<ExecStep> = {}): ExecStep => ({
  kind: 'exec',
  file,
  args: (alert, options) => [alert, 'KEY WITH SPACE', 'https://hook/x', '', options, '10', '3', '> /dev/null 2>&1'],
  alertFileContent: '{"id":"1"}\n',
  optionsFileContent: '{"a":1}\n',
  secrets: [],
  ...extra,
});
const never = () => new AbortController().signal;

/** True once `pid` has exited (a zombie waiting for a reaper counts: it runs no more). */
const gone = async (pid: number): Promise<boolean> => {
  for (let i = 0; i < 100; i++) {
    try {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return true;
    } catch {
      return true;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  return false;
};

const run = suite('runScript');
run('gives the script its argv as a real array, private temp files, cwd = home, stdin /dev/null', async () => {
  const dir = await tempDir();
  try {
    const record = join(dir.path, 'record');
    const script = await writeScript(join(dir.path, 'integrations'), 'custom-rec', `mkdir -p '${record}'\n${recorderScript(record)}`);
    const result = await runScript(step(script), { cwd: dir.path, signal: never(), tempRoot: dir.path });
    assert.equal(result, { exitCode: 0, signal: null, lastLine: 'to stderr', killed: false });
    const argv = (await readFile(join(record, 'argv'), 'utf8')).split('\0').slice(0, -1);
    const alertPath = (await readFile(join(record, 'alert-path'), 'utf8')).trim();
    assert.equal(argv, [alertPath, 'KEY WITH SPACE', 'https://hook/x', '', alertPath.replace(/\.alert$/, '.options'), '10', '3', '> /dev/null 2>&1']);
    assert.match(alertPath, /\/integratord-[^/]+\/custom-rec-\d+-\d+\.alert$/);
    assert.is(await readFile(join(record, 'alert'), 'utf8'), '{"id":"1"}\n');
    assert.is(await readFile(join(record, 'options'), 'utf8'), '{"a":1}\n');
    assert.is((await readFile(join(record, 'alert-mode'), 'utf8')).trim(), '600');
    assert.is((await readFile(join(record, 'dir-mode'), 'utf8')).trim(), '700');
    assert.is((await readFile(join(record, 'cwd'), 'utf8')).trim(), dir.path);
    assert.is(await readFile(join(record, 'stdin'), 'utf8'), '');
    assert.not.ok(existsSync(alertPath), 'the temp file is removed');
    assert.not.ok(existsSync(join(alertPath, '..')), 'and its directory');
  } finally {
    await dir.remove();
  }
});
run('passes an empty options argument when there is no <options>', async () => {
  const dir = await tempDir();
  try {
    const record = join(dir.path, 'record');
    const script = await writeScript(dir.path, 'custom-rec', `mkdir -p '${record}'\n${recorderScript(record)}`);
    await runScript(step(script, { optionsFileContent: undefined }), { cwd: dir.path, signal: never() });
    const argv = (await readFile(join(record, 'argv'), 'utf8')).split('\0');
    assert.is(argv[4], '');
    assert.not.ok(existsSync(join(record, 'options')));
  } finally {
    await dir.remove();
  }
});
run('logs every output line at debug2 and reports a failing exit code with the last line', async () => {
  const dir = await tempDir();
  const log = captureLog(2);
  try {
    const script = await writeScript(dir.path, 'custom-fail', 'echo "first"\necho "Error: boom" >&2\nexit 3');
    const result = await runScript(step(script), { cwd: dir.path, signal: never() });
    assert.equal(result, { exitCode: 3, signal: null, lastLine: 'Error: boom', killed: false });
    assert.ok(log.text().includes('DEBUG: first'));
    assert.ok(log.text().includes('DEBUG: Error: boom'));
  } finally {
    log.restore();
    await dir.remove();
  }
});
run('kills the whole process group when the signal aborts, and still removes the temp files', async () => {
  const dir = await tempDir();
  try {
    const pidFile = join(dir.path, 'grandchild.pid');
    const script = await writeScript(dir.path, 'custom-hang', `sleep 30 &\necho $! > '${pidFile}'\necho "$1" > '${dir.path}/alert-path'\nwait`);
    const controller = new AbortController();
    const running = runScript(step(script), { cwd: dir.path, signal: controller.signal });
    for (let i = 0; i < 200 && !existsSync(pidFile); i++) await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    const result = await running;
    assert.ok(result.killed);
    assert.is(result.signal, 'SIGKILL');
    const grandchild = Number((await readFile(pidFile, 'utf8')).trim());
    assert.ok(await gone(grandchild), 'the background sleep died with its group');
    assert.not.ok(existsSync((await readFile(join(dir.path, 'alert-path'), 'utf8')).trim()));
  } finally {
    await dir.remove();
  }
});
run('refuses a group- or world-writable script without running it', async () => {
  const dir = await tempDir();
  try {
    const marker = join(dir.path, 'ran');
    for (const mode of [0o775, 0o757]) {
      const script = await writeScript(dir.path, 'custom-open', `touch '${marker}'`, mode);
      const result = await runScript(step(script), { cwd: dir.path, signal: never() });
      assert.is(result.refused, "At wpopenv(): file 'integrations/custom-open' has write permissions.");
    }
    assert.not.ok(existsSync(marker));
  } finally {
    await dir.remove();
  }
});
run('reports a missing script and one that cannot be executed', async () => {
  const dir = await tempDir();
  try {
    const missing = await runScript(step(join(dir.path, 'nope')), { cwd: dir.path, signal: never() });
    assert.is(missing.spawnError, 'ENOENT');
    const noShebang = join(dir.path, 'custom-noshebang');
    await (await import('node:fs/promises')).writeFile(noShebang, '\u0000\u0001binary', { mode: 0o755 });
    const result = await runScript(step(noShebang), { cwd: dir.path, signal: never() });
    assert.ok(result.spawnError !== undefined || (result.exitCode ?? 0) !== 0, JSON.stringify(result));
  } finally {
    await dir.remove();
  }
});
run.run();

const verdicts = suite('scriptVerdict');
const base: ScriptResult = { exitCode: 0, signal: null, lastLine: '', killed: false };
verdicts('exit 0 is delivered with Wazuh debug line', () => {
  const log = captureLog(1);
  try {
    assert.equal(scriptVerdict('/h/integrations/custom-x', base), { kind: 'delivered', detail: 'exit 0' });
    assert.ok(log.text().includes('Command ran successfully.'));
  } finally {
    log.restore();
  }
});
verdicts("a non-zero exit fails (for a redrive) with Wazuh's three error lines, never the command line", () => {
  const log = captureLog(0);
  try {
    const v = scriptVerdict('/h/integrations/custom-x', { ...base, exitCode: 2, lastLine: 'Traceback: KeyError' });
    assert.equal(v, { kind: 'retry', reason: 'exit status 2: Traceback: KeyError' });
    assert.ok(log.lines[0]?.endsWith('ERROR: Unable to run integration for custom-x -> integrations'));
    assert.ok(log.lines[1]?.endsWith('ERROR: While running custom-x -> integrations. Output: Traceback: KeyError'));
    assert.ok(log.lines[2]?.endsWith('ERROR: Exit status was: 2'));
  } finally {
    log.restore();
  }
});
verdicts('a refused script is dropped; killed, signalled or unstartable ones are retried', () => {
  const log = captureLog(0);
  try {
    assert.is(scriptVerdict('/x/custom-a', { ...base, refused: 'At wpopenv(): …' }).kind, 'drop');
    assert.ok(log.text().includes("Couldn't execute command (integrations/custom-a). Check file and permissions."));
    assert.is(scriptVerdict('/x/custom-a', { ...base, exitCode: null, killed: true, signal: 'SIGKILL' }).kind, 'retry');
    assert.is(scriptVerdict('/x/custom-a', { ...base, exitCode: null, signal: 'SIGSEGV' }).kind, 'retry');
    assert.ok(log.text().includes('Command (integrations/custom-a) execution exited abnormally.'));
    assert.is(scriptVerdict('/x/custom-a', { ...base, exitCode: null, spawnError: 'ENOENT' }).kind, 'retry');
  } finally {
    log.restore();
  }
});
verdicts.run();

const helpers = suite('scriptDeadlineMs, scriptFileProblem, statScript, scriptRunner');
helpers('the hard deadline is timeout × (retries + 1) + 5 s', () => {
  assert.is(scriptDeadlineMs({ timeout: 10, retries: 3 }), 45_000);
  assert.is(scriptDeadlineMs({ timeout: 0, retries: 0 }), 6000);
});
helpers('refuses non-files, writable-by-others and non-executable files', () => {
  const file = { isFile: () => true };
  assert.is(scriptFileProblem('/i/custom-a', { ...file, mode: 0o100750 }), undefined);
  assert.ok(scriptFileProblem('/i/custom-a', { ...file, mode: 0o100770 })?.includes('write permissions'));
  assert.ok(scriptFileProblem('/i/custom-a', { ...file, mode: 0o100644 })?.includes('not executable'));
  assert.ok(scriptFileProblem('/i/custom-a', { isFile: () => false, mode: 0o40755 })?.includes('not a regular file'));
  assert.equal(statScript('/definitely/not/here'), { exists: false });
});
helpers('the runner turns a run into a verdict', async () => {
  const dir = await tempDir();
  try {
    const ok = await writeScript(dir.path, 'custom-ok', 'exit 0');
    const fail = await writeScript(dir.path, 'custom-fail', 'echo nope; exit 1');
    const runner = scriptRunner(dir.path);
    const log = captureLog(0);
    try {
      assert.is((await runner.run(step(ok), never())).kind, 'delivered');
      assert.equal(await runner.run(step(fail), never()), { kind: 'retry', reason: 'exit status 1: nope' });
    } finally {
      log.restore();
    }
  } finally {
    await dir.remove();
  }
});
helpers.run();
