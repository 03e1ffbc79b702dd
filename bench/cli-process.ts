// Runs the real integratord CLI (dist/cli/bin.js under plain node) as a child process, and reads its RSS.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (the parent of bench/). */
export const ROOT = fileURLToPath(new URL('../', import.meta.url));
/** The built CLI the benchmarks run (see ensureBuilt). */
export const BIN = join(ROOT, 'dist', 'cli', 'bin.js');

const newestUnder = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true }).reduce((newest, entry) => {
    const path = join(dir, entry.name);
    return Math.max(newest, entry.isDirectory() ? newestUnder(path) : statSync(path).mtimeMs);
  }, 0);

/**
 * Makes sure dist/ is the compiled current src/ (`npm run build` when dist/cli/bin.js is missing or
 * older than any file under src/), so the benchmarks run what `npm run build` ships. Throws when the
 * build fails.
 */
export const ensureBuilt = (): void => {
  if (existsSync(BIN) && statSync(BIN).mtimeMs >= newestUnder(join(ROOT, 'src'))) return;
  process.stderr.write('building dist/ (npm run build) …\n');
  const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (build.status !== 0) throw new Error(`npm run build failed (${build.status ?? build.signal})`);
};

export interface CliRun {
  readonly child: ChildProcess;
  /** Resolves with the exit code (or the signal name) once the process has exited. */
  readonly exited: Promise<number | string>;
  /** Everything the process wrote on stderr so far (its log lines and summary). */
  stderr(): string;
}

/**
 * Starts `node [nodeArgs] dist/cli/bin.js ...args` (stdout ignored, stderr kept). `nodeArgs` lets a
 * benchmark preload an observer (`--import bench/send-stamp.mjs`). Never rejects: a failing start
 * shows up as the exit code.
 */
export const startCli = (args: readonly string[], options: { readonly nodeArgs?: readonly string[]; readonly env?: NodeJS.ProcessEnv } = {}): CliRun => {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), BIN, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...options.env },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<number | string>((resolve) => {
    child.on('error', () => resolve('spawn error'));
    child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  return { child, exited, stderr: () => stderr };
};

/** Resident set size of a process in bytes, from /proc/PID/status (Linux); undefined once it has exited. */
export const rssOf = (pid: number): number | undefined => {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
};

/** Clock ticks per second of /proc/PID/stat times (getconf CLK_TCK; 100 on Linux when unknown). */
const CLOCK_TICKS = (() => {
  const probe = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const ticks = Number(probe.stdout?.trim());
  return Number.isFinite(ticks) && ticks > 0 ? ticks : 100;
})();

/** CPU seconds (user + system) a process has used so far, from /proc/PID/stat; undefined once it has exited. */
export const cpuSecondsOf = (pid: number): number | undefined => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces), from field 3 on: utime is field 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
};
