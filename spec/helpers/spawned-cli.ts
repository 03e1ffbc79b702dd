// The integratord CLI as a real child process (`node --import tsx src/cli/bin.ts …`), with what it prints.

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root: the child's cwd, so that `--import tsx` resolves. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI_BIN = fileURLToPath(new URL('../../src/cli/bin.ts', import.meta.url));

/** The argv after `node` that runs the CLI from source. */
export const cliArgv = (args: readonly string[]): string[] => ['--import', 'tsx', CLI_BIN, ...args];

/**
 * 60 s: only there so that a bug fails the spec instead of hanging it. A warm start takes ~0.5 s,
 * but a cold tsx cache compiles every source on the first spawn (measured 20 s on this 2-core machine).
 */
const DEADLINE_MS = 60_000;
/** How often a waited-for condition is checked, in ms. */
const POLL_MS = 10;

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface SpawnedCli {
  /** Everything written to stdout / stderr so far. */
  stdout(): string;
  stderr(): string;
  /**
   * Resolves once `condition()` is true (checked every 10 ms); rejects naming `what` after the
   * deadline, or at once when the process exited without it being true (with its stderr).
   */
  until(condition: () => boolean, what: string): Promise<void>;
  /** Resolves once `pattern` matches stderr (the log, without --log-file) at or after `from`. */
  waitForLog(pattern: RegExp | string, from?: number): Promise<void>;
  /** Sends a signal to the process. */
  kill(signal: NodeJS.Signals): void;
  /** Resolves with the exit (rejects after the deadline). */
  exited(): Promise<Exit>;
  /** SIGKILLs the process if it still runs (for `after` hooks), and waits for it. */
  dispose(): Promise<void>;
}

const matches = (text: string, pattern: RegExp | string) => (typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text));

/** Starts `integratord ARGS…` under tsx; the environment is inherited, plus `env`; `stdin` is its standard input (else empty). */
export const spawnCli = (args: readonly string[], env: Readonly<Record<string, string>> = {}, stdin?: string | Buffer): SpawnedCli => {
  const child = spawn(process.execPath, cliArgv(args), {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  // Closed at once: without `stdin`, reading it gives end-of-file, as from /dev/null.
  child.stdin.on('error', () => undefined).end(stdin);
  let out = '';
  let err = '';
  let exit: Exit | undefined;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const closed = new Promise<Exit>((resolve) => child.on('close', (code, signal) => resolve((exit = { code, signal }))));

  const until = async (condition: () => boolean, what: string): Promise<void> => {
    const deadline = Date.now() + DEADLINE_MS;
    while (!condition()) {
      if (exit !== undefined) throw new Error(`integratord ${args[0] ?? ''} exited (${exit.code ?? exit.signal}) while waiting for: ${what}\nstderr:\n${err}`);
      if (Date.now() > deadline) throw new Error(`still waiting for: ${what}\nstderr:\n${err}`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  };
  const exited = async (): Promise<Exit> => {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`integratord ${args[0] ?? ''} did not exit\nstderr:\n${err}`)), DEADLINE_MS);
    });
    try {
      return await Promise.race([closed, deadline]);
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    stdout: () => out,
    stderr: () => err,
    until,
    waitForLog: (pattern, from = 0) => until(() => matches(err.slice(from), pattern), `log line ${String(pattern)}`),
    kill: (signal) => void child.kill(signal),
    exited,
    dispose: async () => {
      if (exit === undefined) child.kill('SIGKILL');
      await closed;
    },
  };
};

export interface CliRun extends Exit {
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `integratord ARGS…` (with `stdin` on its standard input) to its end and returns its exit code and output. */
export const runCli = async (args: readonly string[], env: Readonly<Record<string, string>> = {}, stdin?: string | Buffer): Promise<CliRun> => {
  const cli = spawnCli(args, env, stdin);
  try {
    const exit = await cli.exited();
    return { ...exit, stdout: cli.stdout(), stderr: cli.stderr() };
  } finally {
    await cli.dispose();
  }
};
