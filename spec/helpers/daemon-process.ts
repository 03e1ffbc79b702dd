// The real integratord as a child process (node --import tsx src/cli/bin.ts …): started, signalled, read.

import { spawn, type ChildProcess } from 'node:child_process';
import { cliArgv, REPO_ROOT } from './spawned-cli.js';

/**
 * 60 s: a cold tsx cache compiles every source on the first spawn (measured 20 s on this 2-core
 * machine, 0.5 s warm). Only there so that a daemon that never starts fails the spec instead of hanging it.
 */
const START_DEADLINE_MS = 60_000;
/** 30 s: longer than any --grace the specs give; a daemon still alive after it is a failure. */
const EXIT_DEADLINE_MS = 30_000;

/** How a process ended: an exit code, or the signal that killed it. */
export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Rejects after `ms` with `what`; the timer does not keep the process alive. */
const deadline = (ms: number, what: string) =>
  new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out: ${what}`)), ms).unref());

/**
 * One `integratord run …` (or any command) as a child process, stdout and stderr collected as text.
 * `ready()` waits for the daemon's "Following …" line (blocks started, start cursors saved) and the
 * telemetry URL when --http is given.
 */
export class DaemonProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Resolves once the process has exited (never rejects). */
  readonly exited: Promise<ProcessExit>;
  #stdout = '';
  #stderr = '';
  #exit: ProcessExit | undefined;

  constructor(args: readonly string[], options: { readonly env?: NodeJS.ProcessEnv } = {}) {
    this.child = spawn(process.execPath, cliArgv(args), { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: options.env ?? process.env });
    if (this.child.pid === undefined) throw new Error('integratord did not start');
    this.pid = this.child.pid;
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (this.#stdout += chunk));
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.#stderr += chunk));
    this.exited = new Promise((resolve) =>
      this.child.on('close', (code, signal) => {
        this.#exit = { code, signal };
        resolve(this.#exit);
      }),
    );
  }

  get stdout(): string {
    return this.#stdout;
  }

  get stderr(): string {
    return this.#stderr;
  }

  /** True until the process has exited. */
  get running(): boolean {
    return this.#exit === undefined;
  }

  /** The telemetry base URL (`http://127.0.0.1:PORT`) from the "Metrics on …" line, once logged. */
  get url(): string | undefined {
    return /Metrics on (http:\/\/[^\s"/]+)\/metrics/.exec(this.#stderr)?.[1];
  }

  /** Resolves once the daemon follows alerts.json (and serves telemetry when asked); rejects if it exits first. */
  async ready(): Promise<void> {
    const started = async () => {
      while (!/Following /.test(this.#stderr)) {
        if (!this.running) throw new Error(`integratord exited (${JSON.stringify(this.#exit)}) before it was ready:\n${this.#stderr}`);
        await sleep(10);
      }
    };
    await Promise.race([started(), deadline(START_DEADLINE_MS, `integratord ready (pid ${this.pid})`)]);
  }

  /** Sends `signal` and resolves with how the process ended. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<ProcessExit> {
    if (this.running) this.child.kill(signal);
    return Promise.race([this.exited, deadline(EXIT_DEADLINE_MS, `integratord exit after ${signal} (pid ${this.pid})`)]);
  }

  /** GET a telemetry path; status and body text. */
  async get(path: '/metrics' | '/healthz'): Promise<{ status: number; body: string }> {
    const base = this.url;
    if (base === undefined) throw new Error('integratord serves no telemetry (no --http, or not ready)');
    const response = await fetch(`${base}${path}`);
    return { status: response.status, body: await response.text() };
  }

  /** The /metrics text. */
  async metrics(): Promise<string> {
    return (await this.get('/metrics')).body;
  }
}
