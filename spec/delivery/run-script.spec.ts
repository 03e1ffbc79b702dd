// Specs for src/delivery/run-script.ts (Runs a custom integration script with Wazuh's contract: private temp files, no shell, killed as a group).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, readFile, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { runScript, SCRIPT_PATH, SCRIPT_VARIABLES, scriptDeadlineMs, scriptEnvironment, scriptFileProblem, scriptRunner, scriptVerdict, statScript, type ScriptResult } from '../../src/delivery/run-script.js';
import type { ExecStep } from '../../src/delivery/step.js';
import { captureLog } from '../helpers/capture-log.js';
import { leakedPieces, splitAround } from '../helpers/secret-pieces.js';
import { registerSecret } from '../../src/telemetry/log.js';
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
    // alert-path is written last: once it is there, both files are (waiting for the pid file alone raced under load).
    for (let i = 0; i < 500 && !existsSync(join(dir.path, 'alert-path')); i++) await new Promise((r) => setTimeout(r, 10));
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
verdicts("a script's last line with a token split at every position around the 200-character cut: not 8 characters of it in a row", () => {
  const token = 'scriptSPLITapiKEY0123456789';
  registerSecret(token);
  const log = captureLog(0);
  try {
    for (const { start, text } of splitAround(token, 200)) {
      const verdict = scriptVerdict('/h/integrations/custom-x', { ...base, exitCode: 1, lastLine: `Error: ${text}` });
      assert.equal(leakedPieces(verdict.kind === 'retry' ? verdict.reason : 'missing', token), [], `token at ${start}`);
    }
    assert.equal(leakedPieces(log.text(), token), [], 'nor in the log lines');
  } finally {
    log.restore();
  }
});
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
  const file = { isFile: () => true, uid: 0 };
  assert.is(scriptFileProblem('/i/custom-a', { ...file, mode: 0o100750 }), undefined);
  assert.ok(scriptFileProblem('/i/custom-a', { ...file, mode: 0o100770 })?.includes('write permissions'));
  assert.ok(scriptFileProblem('/i/custom-a', { ...file, mode: 0o100644 })?.includes('not executable'));
  assert.ok(scriptFileProblem('/i/custom-a', { isFile: () => false, uid: 0, mode: 0o40755 })?.includes('not a regular file'));
  assert.equal(statScript('/definitely/not/here'), { exists: false });
});
helpers('refuses set-uid and set-gid files, and owners other than root or the service user', () => {
  const file = { isFile: () => true, uid: 0 };
  assert.is(scriptFileProblem('/i/custom-a', { ...file, mode: 0o104750 }, 998), "File 'integrations/custom-a' is set-uid or set-gid: refused.");
  assert.is(scriptFileProblem('/i/custom-a', { ...file, mode: 0o102750 }, 998), "File 'integrations/custom-a' is set-uid or set-gid: refused.");
  assert.is(scriptFileProblem('/i/custom-a', { ...file, uid: 998, mode: 0o100750 }, 998), undefined, 'the service user may own it');
  assert.is(scriptFileProblem('/i/custom-a', { ...file, uid: 0, mode: 0o100750 }, 998), undefined, 'root may own it');
  assert.is(
    scriptFileProblem('/i/custom-a', { ...file, uid: 1000, mode: 0o100750 }, 998),
    "File 'integrations/custom-a' is owned by uid 1000, not by root or the service user (uid 998): refused.",
  );
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

const hardening = suite('runScript: environment, exit, ownership');
/** Sets variables of this process for one spec and puts them back after. */
const withEnv = async (vars: Record<string, string | undefined>, body: () => Promise<void>): Promise<void> => {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const set = (values: Record<string, string | undefined>) => {
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
  set(vars);
  try {
    await body();
  } finally {
    set(saved);
  }
};

hardening("gives the script the daemon's PATH, proxies (both cases), LANG, LC_*, TZ and HOME — no other variable of the daemon's environment", async () => {
  const dir = await tempDir();
  try {
    const path = `/opt/daemon-only/bin:${process.env['PATH'] ?? ''}`;
    const vars = {
      DB_PASSWORD: 'hunter2-db-secret',
      NODE_OPTIONS: '--max-old-space-size=64',
      LANG: 'C.UTF-8',
      LC_TIME: 'en_GB.UTF-8',
      TZ: 'Europe/Madrid',
      HOME: '/var/ossec',
      PATH: path,
      HTTPS_PROXY: 'http://proxy.corp:3128',
      http_proxy: 'http://proxy.corp:3128',
      NO_PROXY: 'localhost,.corp',
    };
    await withEnv(vars, async () => {
      const record = join(dir.path, 'environ');
      // /proc/$$/environ is what exec gave the script, before the shell adds PWD and the like.
      const script = await writeScript(dir.path, 'custom-env', `cat /proc/$$/environ > '${record}'`);
      const result = await runScript(step(script), { cwd: dir.path, signal: never() });
      assert.is(result.exitCode, 0);
      const env = Object.fromEntries(
        (await readFile(record, 'utf8'))
          .split('\0')
          .filter((e) => e !== '')
          .map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]),
      );
      const { DB_PASSWORD: _secret, NODE_OPTIONS: _options, ...passed } = vars;
      // Variables this process had before the spec (LC_ALL, https_proxy, …) pass too: compare what the spec set.
      assert.equal(Object.fromEntries(Object.keys(passed).map((k) => [k, env[k]])), passed);
      assert.ok(!('DB_PASSWORD' in env) && !('NODE_OPTIONS' in env), Object.keys(env).join(' '));
      assert.ok(Object.keys(env).every((k) => SCRIPT_VARIABLES.includes(k) || k.startsWith('LC_')), Object.keys(env).join(' '));
    });
  } finally {
    await dir.remove();
  }
});
hardening("a community wrapper that runs `exec python3 …` finds the python3 of the daemon's PATH, as under Wazuh", async () => {
  const dir = await tempDir();
  try {
    // The python3 the admin installed `requests` into, first on the daemon's PATH (a venv, /opt/…/bin).
    const bin = join(dir.path, 'venv-bin');
    await mkdir(bin);
    const ran = join(dir.path, 'ran-with');
    await writeScript(bin, 'python3', `printf '%s\\n' "$0" "$@" > '${ran}'`);
    await writeFile(join(dir.path, 'custom-teams.py'), 'print("posted")\n');
    const wrapper = await writeScript(dir.path, 'custom-teams', `exec python3 "$0.py" "$@"`);
    await withEnv({ PATH: `${bin}:${process.env['PATH'] ?? ''}` }, async () => {
      const result = await runScript(step(wrapper), { cwd: dir.path, signal: never() });
      assert.is(result.exitCode, 0);
      const [interpreter, program] = (await readFile(ran, 'utf8')).split('\n');
      assert.is(interpreter, join(bin, 'python3'));
      assert.is(program, `${wrapper}.py`);
    });
  } finally {
    await dir.remove();
  }
});
hardening('falls back to SCRIPT_PATH and the service user\'s HOME when the daemon has neither; nothing else is added', () => {
  assert.equal(scriptEnvironment({ SECRET: 's' }), { PATH: SCRIPT_PATH, HOME: userInfo().homedir });
  assert.equal(scriptEnvironment({ PATH: '', TZ: 'UTC', LC_ALL: 'C', AWS_SECRET_ACCESS_KEY: 'k' }), { PATH: SCRIPT_PATH, TZ: 'UTC', LC_ALL: 'C', HOME: userInfo().homedir });
  assert.is(SCRIPT_PATH, '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
});
hardening('settles on exit: a script that exits 0 leaving a background child on its pipes is delivered, once, at once', async () => {
  const dir = await tempDir();
  const pidFile = join(dir.path, 'child.pid');
  try {
    const runs = join(dir.path, 'runs');
    // The background sleep inherits stdout and stderr and holds them open for 30 s.
    const script = await writeScript(dir.path, 'custom-bg', `echo run >> '${runs}'\nsleep 30 &\necho $! >> '${pidFile}'\necho "posted"\nexit 0`);
    const log = captureLog(0);
    const started = Date.now();
    try {
      const verdict = await scriptRunner(dir.path).run(step(script), AbortSignal.timeout(10_000));
      assert.equal(verdict, { kind: 'delivered', detail: 'exit 0' });
    } finally {
      log.restore();
    }
    const elapsed = Date.now() - started;
    assert.ok(elapsed < 5000, `settled after ${elapsed} ms, not at the 10 s deadline nor the child's 30 s`);
    assert.is((await readFile(runs, 'utf8')).split('\n').length - 1, 1);
    const result = await runScript(step(script), { cwd: dir.path, signal: AbortSignal.timeout(10_000) });
    assert.equal(result, { exitCode: 0, signal: null, lastLine: 'posted', killed: false }, 'its output before exit is still read');
  } finally {
    // The background sleeps are ours to end (one per run above).
    for (const pid of (await readFile(pidFile, 'utf8').catch(() => '')).split('\n').filter((p) => p !== '')) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    await dir.remove();
  }
});
hardening('refuses a set-uid or set-gid script without running it', async () => {
  const dir = await tempDir();
  try {
    const marker = join(dir.path, 'ran');
    for (const mode of [0o4755, 0o2755]) {
      const script = await writeScript(dir.path, 'custom-suid', `touch '${marker}'`);
      await chmod(script, mode);
      assert.is(statScript(script).problem, "File 'integrations/custom-suid' is set-uid or set-gid: refused.");
      const result = await runScript(step(script), { cwd: dir.path, signal: never() });
      assert.is(result.refused, "File 'integrations/custom-suid' is set-uid or set-gid: refused.");
    }
    assert.not.ok(existsSync(marker));
  } finally {
    await dir.remove();
  }
});
hardening('refuses a script owned by another user than root or the service user', async () => {
  const dir = await tempDir();
  try {
    const marker = join(dir.path, 'ran');
    const script = await writeScript(dir.path, 'custom-other', `touch '${marker}'`, 0o755);
    await chown(script, 65534, 65534);
    const uid = process.getuid?.();
    const expected = `File 'integrations/custom-other' is owned by uid 65534, not by root or the service user (uid ${uid}): refused.`;
    assert.is(statScript(script).problem, expected);
    const result = await runScript(step(script), { cwd: dir.path, signal: never() });
    assert.is(result.refused, expected);
    assert.not.ok(existsSync(marker));
  } finally {
    await dir.remove();
  }
});
hardening.run();
