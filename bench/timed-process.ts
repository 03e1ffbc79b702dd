// One command run as a child under GNU time: its wall clock, user+sys CPU and peak RSS, whatever language it is in.

import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { dataDir, wallMicros } from './bench-env.js';

/** GNU time (Debian package `time`): it reports the rusage of the command it waited for, the same way for every tool. */
export const GNU_TIME = '/usr/bin/time';

/** What the table prints instead of numbers when GNU time is missing. */
export const GNU_TIME_MISSING = 'GNU time not installed: `apt-get install time`';

export const hasGnuTime = (): boolean => existsSync(GNU_TIME);

export interface Timed {
  /** Wall-clock µs (bench-env's wallMicros, comparable with the receiver's stamps) just before the spawn. */
  readonly startedAtUs: number;
  /** Seconds from spawn to exit, or to the moment `done` said so. */
  readonly wallSeconds: number;
  /** User and system CPU of the command over its whole life (start to exit), from GNU time. */
  readonly userSeconds: number;
  readonly systemSeconds: number;
  readonly cpuSeconds: number;
  /** Peak resident set size (the kernel's maxrss, VmHWM) in bytes. */
  readonly peakRssBytes: number;
  /** The command's exit code, or the signal that ended it (as GNU time reports it). */
  readonly exit: number | string;
  /** 'done': stopped with SIGTERM once `done` resolved true; 'cap': killed at `capSeconds`; undefined: it exited by itself. */
  readonly stopped: 'done' | 'cap' | undefined;
  /** Its stdout (first 1 MB) and how many bytes it wrote there in all; the end of its stderr. */
  readonly stdout: string;
  readonly stdoutBytes: number;
  readonly stderr: string;
}

export interface TimedOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** For a command that never exits by itself (a daemon): polled every `pollMs`; true stops the clock and sends SIGTERM. */
  readonly done?: () => Promise<boolean>;
  /** Poll interval of `done` in ms (default 25: at most 25 ms added to a wall time of seconds). */
  readonly pollMs?: number;
  /** Kills the command (SIGKILL) after this many seconds; `stopped` says 'cap' and the times are those up to then. */
  readonly capSeconds?: number;
}

const KEEP_STDOUT = 1_000_000;
let runs = 0;

/**
 * Parses GNU time's output for the format `%U %S %M`: its last line holds the figures (a line such as
 * "Command terminated by signal 9" may precede it). Throws when there is no such line.
 */
export const parseGnuTime = (text: string): { userSeconds: number; systemSeconds: number; peakRssBytes: number; signal?: string } => {
  const lines = text.trim().split('\n');
  const figures = /^(\d+(?:\.\d+)?) (\d+(?:\.\d+)?) (\d+)$/.exec(lines[lines.length - 1] ?? '');
  if (figures === null) throw new Error(`GNU time wrote no figures: ${JSON.stringify(text.slice(-300))}`);
  const signal = /Command terminated by signal (\d+)/.exec(text)?.[1];
  return {
    userSeconds: Number(figures[1]),
    systemSeconds: Number(figures[2]),
    peakRssBytes: Number(figures[3]) * 1024,
    ...(signal === undefined ? {} : { signal: `signal ${signal}` }),
  };
};

/** The pid of GNU time's child (the measured command), from /proc; undefined until it has forked, or once it is gone. */
const childOf = (pid: number): number | undefined => {
  try {
    const first = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(' ')[0];
    return first ? Number(first) : undefined;
  } catch {
    return undefined;
  }
};

/** Sends `signal` to the measured command (never to GNU time, which must live to report); retries until it has forked. */
const signalCommand = async (timePid: number, signal: NodeJS.Signals): Promise<void> => {
  for (let attempt = 0; attempt < 200; attempt++) {
    const pid = childOf(timePid);
    if (pid !== undefined) {
      try {
        process.kill(pid, signal);
      } catch {
        // Exited meanwhile: nothing to stop.
      }
      return;
    }
    await sleep(5);
  }
};

/**
 * Runs `command args` under GNU time (stdin ignored) and resolves once it has exited. Never rejects for the
 * command's own failure (see `exit`); rejects when GNU time is missing or reports nothing.
 */
export const timedProcess = async (command: string, args: readonly string[], options: TimedOptions = {}): Promise<Timed> => {
  if (!hasGnuTime()) throw new Error(GNU_TIME_MISSING);
  const report = join(dataDir(), `time-${process.pid}-${++runs}.txt`);
  rmSync(report, { force: true });
  const startedAtUs = wallMicros();
  const started = performance.now();
  const child = spawn(GNU_TIME, ['-f', '%U %S %M', '-o', report, command, ...args], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stdoutBytes = 0;
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdoutBytes += chunk.length;
    if (stdout.length < KEEP_STDOUT) stdout += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-262_144)));
  let ended: number | undefined;
  let stopped: Timed['stopped'];
  const exited = new Promise<number | string>((resolve) => {
    child.on('error', (error) => resolve(error.message));
    child.on('close', (code, signal) => {
      ended ??= performance.now();
      resolve(code ?? signal ?? 'unknown');
    });
  });
  let running = true;
  void exited.then(() => (running = false));
  const cap = options.capSeconds === undefined ? undefined : setTimeout(() => {
    if (!running) return;
    ended = performance.now();
    stopped = 'cap';
    void signalCommand(child.pid ?? 0, 'SIGKILL');
  }, options.capSeconds * 1000);
  if (options.done !== undefined) {
    while (running && stopped === undefined) {
      if (await options.done()) {
        ended ??= performance.now();
        stopped = 'done';
        await signalCommand(child.pid ?? 0, 'SIGTERM');
        break;
      }
      await sleep(options.pollMs ?? 25);
    }
  }
  const code = await exited;
  clearTimeout(cap);
  const text = existsSync(report) ? readFileSync(report, 'utf8') : '';
  rmSync(report, { force: true });
  const figures = (() => {
    try {
      return parseGnuTime(text);
    } catch (error) {
      throw new Error(`${command} exited ${code}, ${(error as Error).message}; its stderr: ${stderr.slice(-1000)}`);
    }
  })();
  return {
    startedAtUs,
    wallSeconds: ((ended ?? performance.now()) - started) / 1000,
    userSeconds: figures.userSeconds,
    systemSeconds: figures.systemSeconds,
    cpuSeconds: figures.userSeconds + figures.systemSeconds,
    peakRssBytes: figures.peakRssBytes,
    exit: figures.signal ?? code,
    stopped,
    stdout,
    stdoutBytes,
    stderr,
  };
};
