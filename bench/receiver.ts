// The benchmark receiver: a webhook stand-in in its own process (the other core), timing what it receives.

import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Latencies in ms over the requests that carried a timestamp (see receiver-process.ts). */
export interface LatencySummary {
  readonly n: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

export interface ReceiverStats {
  /** Requests received since the start or the last reset. */
  readonly count: number;
  /** Of those, how many it answered with a status other than 2xx (e.g. 400: the body was not JSON). */
  readonly rejected: number;
  /** Wall-clock µs of the first and last request received (0 when none). */
  readonly firstAtUs: number;
  readonly lastAtUs: number;
  readonly latency: LatencySummary;
}

export type ReceiverCommand =
  | { readonly id: number; readonly type: 'count' | 'stats' | 'reset' | 'close' }
  | { readonly id: number; readonly type: 'delay'; readonly ms: number };

export type ReceiverReply =
  | { readonly id: number; readonly type: 'ready'; readonly url: string }
  | { readonly id: number; readonly type: 'count'; readonly count: number }
  | { readonly id: number; readonly type: 'stats'; readonly stats: ReceiverStats }
  | { readonly id: number; readonly type: 'done' };

/** A command without its id (distributes over the union, unlike Omit). */
type Unnumbered<T> = T extends unknown ? Omit<T, 'id'> : never;

export interface Receiver {
  /** `http://127.0.0.1:PORT/ingest`: the hook_url to configure. */
  readonly url: string;
  /** The receiver's process id. */
  readonly pid: number;
  count(): Promise<number>;
  stats(): Promise<ReceiverStats>;
  /** Forgets the counts and latencies so far (between runs). */
  reset(): Promise<void>;
  /** Answers every later request after `ms` milliseconds (a slow service). */
  setDelay(ms: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Forks receiver-process.ts: the webhook stand-in on 127.0.0.1 (port 0), answering 200
 * `{"ok":true}` after `delayMs` (default 0). Latency per request, in the receiver's clock (wall-clock
 * µs, comparable across processes): arrival − the `x-bench-sent-at` header, or else − the alert's
 * `written_at_us`. Rejects if the child dies before it listens.
 */
export const startReceiver = async (options: { readonly delayMs?: number } = {}): Promise<Receiver> => {
  const child: ChildProcess = fork(fileURLToPath(new URL('./receiver-process.ts', import.meta.url)), [String(options.delayMs ?? 0)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, (reply: ReceiverReply) => void>();
  let nextId = 1;
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`receiver exited (${code}) before listening`)));
    child.on('message', (reply: ReceiverReply) => {
      if (reply.type === 'ready') return resolve(`${reply.url}/ingest`);
      pending.get(reply.id)?.(reply);
      pending.delete(reply.id);
    });
  });
  const ask = (command: Unnumbered<ReceiverCommand>) =>
    new Promise<ReceiverReply>((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      child.send({ ...command, id });
    });
  return {
    url,
    pid: child.pid ?? 0,
    count: async () => {
      const reply = await ask({ type: 'count' });
      return reply.type === 'count' ? reply.count : NaN;
    },
    stats: async () => {
      const reply = await ask({ type: 'stats' });
      if (reply.type !== 'stats') throw new Error(`receiver answered ${reply.type} to stats`);
      return reply.stats;
    },
    reset: async () => void (await ask({ type: 'reset' })),
    setDelay: async (ms) => void (await ask({ type: 'delay', ms })),
    close: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      await ask({ type: 'close' });
      await exited;
    },
  };
};
