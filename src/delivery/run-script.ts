// Runs a custom integration script with Wazuh's contract: private temp files, no shell, killed as a group.

import { spawn } from 'node:child_process';
import { statSync, type Stats } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { basename, join } from 'node:path';
import { attemptTimeoutMs, type IntegrationConfig } from '../config/integration-config.js';
import type { ExecStep, Verdict } from './step.js';
import { log } from '../telemetry/log.js';
import { bodyExcerpt } from './classify-http.js';
import { errorCode } from '../errors.js';

/** Grace after the script's own time budget (ms): 5 s for the interpreter to start and exit. */
const DEADLINE_GRACE_MS = 5000;
/** Wazuh reads the child's output in 4 KiB pieces; longer lines are logged in pieces of this size. */
const MAX_LINE_BYTES = 4096;
/**
 * After the script exits, how long (ms) its output may still arrive: 250 ms. A background child
 * that inherited the pipes can hold them open for ever; the run is settled on the script's exit.
 */
const OUTPUT_DRAIN_MS = 250;
/** The PATH a script gets when the daemon has none: systemd's default for services. */
export const SCRIPT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Variables of the daemon's environment a script gets (besides LC_*): where programs are, proxies, locale, time zone, home. */
export const SCRIPT_VARIABLES: readonly string[] = ['PATH', 'HOME', 'LANG', 'TZ', 'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy'];

const passed = (name: string): boolean => SCRIPT_VARIABLES.includes(name) || /^LC_[A-Z_]+$/.test(name);

let serviceHome: string | undefined | null = null;
/** The service user's home directory (passwd entry), or undefined when the uid has none. */
const serviceUserHome = (): string | undefined => {
  if (serviceHome === null) {
    try {
      serviceHome = userInfo().homedir || undefined;
    } catch {
      serviceHome = undefined;
    }
  }
  return serviceHome;
};

/**
 * The whole environment a script gets: the daemon's PATH (as Wazuh's integratord passes its own, so
 * a wrapper's `exec python3` finds the interpreter the admin installed), its proxy variables (both
 * cases), LANG, LC_*, TZ and HOME; PATH falls back to SCRIPT_PATH and HOME to the service user's.
 * Nothing else of the daemon's environment (credentials set for other tools, NODE_OPTIONS) reaches
 * code we run.
 */
export const scriptEnvironment = (daemon: NodeJS.ProcessEnv = process.env): Record<string, string> => {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(daemon)) if (value !== undefined && passed(name)) env[name] = value;
  if (env['PATH'] === undefined || env['PATH'] === '') env['PATH'] = SCRIPT_PATH;
  const home = serviceUserHome();
  if (env['HOME'] === undefined && home !== undefined) env['HOME'] = home;
  return env;
};

/**
 * The hard deadline of one script run: the script does its own `retries + 1` tries of `timeout`
 * seconds (argv[6], argv[7]), plus a grace; then the whole process group is killed.
 */
export const scriptDeadlineMs = (config: Pick<IntegrationConfig, 'timeout' | 'retries'>): number =>
  attemptTimeoutMs(config) * (config.retries + 1) + DEADLINE_GRACE_MS;

/** How Wazuh names the script in its messages: `integrations/<name>`. */
export const scriptLabel = (file: string): string => `integrations/${basename(file)}`;

/**
 * Why a script may not run, or undefined: not a regular file; writable by group or others (anyone
 * else could make us run their code; Wazuh refuses any file its user can write, with the message
 * used here); set-uid or set-gid; owned by someone other than root or the service user
 * (`serviceUid`, the daemon's uid; no owner check where the platform has no uids); not executable.
 * A script is code that runs with our privileges.
 */
export const scriptFileProblem = (
  file: string,
  stats: Pick<Stats, 'mode' | 'isFile' | 'uid'>,
  serviceUid: number | undefined = process.getuid?.(),
): string | undefined => {
  const label = scriptLabel(file);
  if (!stats.isFile()) return `File '${label}' is not a regular file.`;
  if ((stats.mode & 0o022) !== 0) return `At wpopenv(): file '${label}' has write permissions.`;
  if ((stats.mode & 0o6000) !== 0) return `File '${label}' is set-uid or set-gid: refused.`;
  if (serviceUid !== undefined && stats.uid !== 0 && stats.uid !== serviceUid) {
    return `File '${label}' is owned by uid ${stats.uid}, not by root or the service user (uid ${serviceUid}): refused.`;
  }
  if ((stats.mode & 0o111) === 0) return `File '${label}' is not executable.`;
  return undefined;
};

/** scriptFileProblem of a path, synchronously (startup checks); a missing file gives `undefined` stats. */
export const statScript = (file: string): { exists: boolean; problem?: string } => {
  try {
    const problem = scriptFileProblem(file, statSync(file));
    return problem === undefined ? { exists: true } : { exists: true, problem };
  } catch {
    return { exists: false };
  }
};

export interface ScriptResult {
  /** Exit code, or null when killed by a signal or never started. */
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The last line the script printed (stdout or stderr), '' when silent. */
  readonly lastLine: string;
  /** True when we killed it (deadline or shutdown). */
  readonly killed: boolean;
  /** Set when it could not be started (ENOENT, EACCES, ENOEXEC…). */
  readonly spawnError?: string;
  /** Set when it was refused before starting (permissions). */
  readonly refused?: string;
}

export interface RunScriptOptions {
  /** The Wazuh home: the script's working directory. */
  readonly cwd: string;
  /** Aborting kills the script's whole process group. */
  readonly signal: AbortSignal;
  /** Parent of the private temp directories (default the system temp dir). */
  readonly tempRoot?: string;
}

/** Splits a stream into lines of at most MAX_LINE_BYTES, calling `onLine` for each. */
const lineReader = (onLine: (line: string) => void) => {
  let pending: Buffer = Buffer.alloc(0);
  return {
    push(chunk: Buffer) {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      for (;;) {
        const nl = pending.indexOf(10);
        if (nl !== -1 && nl < MAX_LINE_BYTES) {
          onLine(pending.subarray(0, nl).toString('utf8').replace(/\r$/, ''));
          pending = pending.subarray(nl + 1);
        } else if (pending.length >= MAX_LINE_BYTES) {
          onLine(pending.subarray(0, MAX_LINE_BYTES).toString('utf8'));
          pending = pending.subarray(MAX_LINE_BYTES);
        } else break;
      }
    },
    end() {
      if (pending.length > 0) onLine(pending.toString('utf8'));
      pending = Buffer.alloc(0);
    },
  };
};

const randomSuffix = () => Math.floor(Math.random() * 2 ** 31);

/**
 * Runs `step` once: writes the alert (and options) file, mode 0600, in a fresh 0700 directory;
 * spawns the file without a shell (argv[0] `integrations`, stdin /dev/null, cwd = home, own
 * session, only scriptEnvironment()); logs each output line at debug2 — stdout and stderr are two
 * pipes merged line by line in arrival order (Node cannot hand one pipe to both); settles when the
 * script exits, after at most OUTPUT_DRAIN_MS more for its output (a background child it left
 * keeps running but is no longer read); removes the directory whatever happens. Resolves with how
 * it ended; rejects only when the temp files cannot be written.
 */
export const runScript = async (step: ExecStep, options: RunScriptOptions): Promise<ScriptResult> => {
  const silent = { lastLine: '', signal: null, exitCode: null };
  let stats: Stats;
  try {
    stats = await stat(step.file);
  } catch (error) {
    return { ...silent, killed: false, spawnError: errorCode(error) };
  }
  const refused = scriptFileProblem(step.file, stats);
  if (refused !== undefined) return { ...silent, killed: false, refused };
  if (options.signal.aborted) return { ...silent, killed: true };

  const dir = await mkdtemp(join(options.tempRoot ?? tmpdir(), 'integratord-'));
  try {
    const stem = join(dir, `${basename(step.file)}-${Math.floor(Date.now() / 1000)}-${randomSuffix()}`);
    const alertFile = `${stem}.alert`;
    await writeFile(alertFile, step.alertFileContent, { mode: 0o600, flag: 'wx' });
    let optionsFile = '';
    if (step.optionsFileContent !== undefined) {
      optionsFile = `${stem}.options`;
      await writeFile(optionsFile, step.optionsFileContent, { mode: 0o600, flag: 'wx' });
    }
    return await new Promise<ScriptResult>((resolve) => {
      let lastLine = '';
      let killed = false;
      const onLine = (line: string) => {
        lastLine = line;
        log.debug2(line, { script: scriptLabel(step.file) });
      };
      const out = lineReader(onLine);
      const err = lineReader(onLine);
      const child = spawn(step.file, [...step.args(alertFile, optionsFile)], {
        argv0: 'integrations',
        cwd: options.cwd,
        env: scriptEnvironment(),
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      const kill = () => {
        killed = true;
        try {
          if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      };
      options.signal.addEventListener('abort', kill, { once: true });
      if (options.signal.aborted) kill();
      child.stdout.on('data', (c: Buffer) => out.push(c));
      child.stderr.on('data', (c: Buffer) => err.push(c));
      child.on('error', (error: NodeJS.ErrnoException) => {
        options.signal.removeEventListener('abort', kill);
        if (child.pid === undefined) resolve({ ...silent, killed: false, spawnError: error.code ?? error.message });
      });
      child.on('exit', (exitCode, signal) => {
        options.signal.removeEventListener('abort', kill);
        let settled = false;
        const settle = () => {
          if (settled) return;
          settled = true;
          clearTimeout(drain);
          // Stop reading pipes a background child may hold; what it writes later is not ours.
          child.stdout.destroy();
          child.stderr.destroy();
          out.end();
          err.end();
          resolve({ exitCode, signal, lastLine, killed });
        };
        const drain = setTimeout(settle, OUTPUT_DRAIN_MS);
        let open = 2;
        const closed = () => {
          if (--open === 0) settle();
        };
        for (const pipe of [child.stdout, child.stderr]) {
          if (pipe.closed || pipe.readableEnded) closed();
          else pipe.once('close', closed);
        }
      });
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};

/**
 * Wazuh's reading of a run (§5.4), with its log lines but never the command line (it holds the
 * api_key and hook_url): exit 0 delivered; refused (permissions) dropped; anything else a failure
 * (`retry`, for a redrive: the executor runs a script once per alert, as Wazuh does).
 */
export const scriptVerdict = (file: string, result: ScriptResult): Verdict => {
  const name = basename(file);
  const label = scriptLabel(file);
  if (result.refused !== undefined) {
    log.error(result.refused);
    log.error(`Couldn't execute command (${label}). Check file and permissions.`);
    return { kind: 'drop', reason: result.refused };
  }
  if (result.spawnError !== undefined) {
    log.error(`Couldn't execute command (${label}). Check file and permissions.`, { error: result.spawnError });
    return { kind: 'retry', reason: `cannot execute ${label} (${result.spawnError})` };
  }
  if (result.killed) {
    log.error(`Command (${label}) execution exited abnormally.`, { cause: 'killed at the deadline' });
    return { kind: 'retry', reason: `${label} killed at the deadline` };
  }
  if (result.exitCode === 0) {
    log.debug('Command ran successfully.', { script: label });
    return { kind: 'delivered', detail: 'exit 0' };
  }
  if (result.exitCode === null) {
    log.error(`Command (${label}) execution exited abnormally.`, { signal: result.signal ?? undefined });
    return { kind: 'retry', reason: `${label} killed by ${result.signal ?? 'a signal'}` };
  }
  log.error(`Unable to run integration for ${name} -> integrations`);
  log.error(`While running ${name} -> integrations. Output: ${result.lastLine} `);
  log.error(`Exit status was: ${result.exitCode}`);
  const output = result.lastLine === '' ? '' : `: ${bodyExcerpt(result.lastLine)}`;
  return { kind: 'retry', reason: `exit status ${result.exitCode}${output}` };
};

/** What the block pipeline calls for an exec step. */
export interface ScriptRunner {
  /** Runs the step once; resolves with its Verdict; never rejects (temp file errors are a retry). */
  run(step: ExecStep, signal: AbortSignal): Promise<Verdict>;
}

/** The runner of one integrator: scripts run in `home`, temp files under `tempRoot`. */
export const scriptRunner = (home: string, tempRoot?: string): ScriptRunner => ({
  run: (step, signal) =>
    runScript(step, { cwd: home, signal, ...(tempRoot === undefined ? {} : { tempRoot }) }).then(
      (result) => scriptVerdict(step.file, result),
      (error: unknown) => ({ kind: 'retry', reason: `cannot write the alert file (${errorCode(error)})` }),
    ),
});
