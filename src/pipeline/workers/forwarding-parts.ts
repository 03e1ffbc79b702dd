// What a delivery worker hands to the main thread: dead letters (one writer per file), write-backs and log lines.

import type { DeadLetterRecord, DeadLetterSink } from '../../delivery/dead-letter.js';
import type { QueueWriter } from '../../delivery/queue-writer.js';
import type { Verdict } from '../../delivery/step.js';
import type { Logger, LogFields, LogLevel } from '../../telemetry/log.js';
import type { FromWorker } from './worker-protocol.js';

const SEVERITY: Record<LogLevel, number> = { debug2: 0, debug: 1, info: 2, warning: 3, error: 4, critical: 5 };

/** Requests the main thread answers (dead-letter appends, write-backs), by id. */
export class MainRequests {
  readonly #waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  readonly #post: (message: FromWorker) => void;
  #next = 0;

  constructor(post: (message: FromWorker) => void) {
    this.#post = post;
  }

  /** Appends through the main thread's dead-letter store (it serialises the writes of each block file). */
  readonly deadLetters: DeadLetterSink = {
    append: (record: DeadLetterRecord) => this.#ask((id) => ({ t: 'dead-letter', id, record })).then(() => undefined),
  };

  /** Sends through the main thread's queue writer (one socket, or the one --enrichment-out file). */
  readonly queue: QueueWriter = {
    send: (message: string, signal: AbortSignal) =>
      new Promise<Verdict>((resolve) => {
        const aborted = () => resolve({ kind: 'retry', reason: 'write-back timed out' });
        if (signal.aborted) return aborted();
        signal.addEventListener('abort', aborted, { once: true });
        void this.#ask((id) => ({ t: 'queue', id, message })).then((verdict) => {
          signal.removeEventListener('abort', aborted);
          resolve(verdict as Verdict);
        });
      }),
    close: () => Promise.resolve(),
  };

  /** The main thread's answer to request `id`. */
  answer(id: number, value: unknown, error?: string): void {
    const waiting = this.#waiting.get(id);
    if (waiting === undefined) return;
    this.#waiting.delete(id);
    if (error === undefined) waiting.resolve(value);
    else waiting.reject(new Error(error));
  }

  #ask(message: (id: number) => FromWorker): Promise<unknown> {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      this.#post(message(id));
    });
  }
}

/** A logger that sends each line the main logger would write (its level: `debug`) to the main thread, which writes it (secrets scrubbed there). */
export const forwardingLogger = (debug: number, post: (message: FromWorker) => void): Logger => {
  const min = debug >= 2 ? SEVERITY.debug2 : debug >= 1 ? SEVERITY.debug : SEVERITY.info;
  const send = (level: LogLevel) => (message: string, fields?: LogFields) => {
    if (SEVERITY[level] < min) return;
    // Plain data only (an Error, a Secret: their JSON forms), so that any field crosses the thread boundary.
    post({ t: 'log', level, message, fields: fields === undefined ? undefined : (JSON.parse(JSON.stringify(fields)) as Record<string, unknown>) });
  };
  return {
    debug2: send('debug2'),
    debug: send('debug'),
    info: send('info'),
    warning: send('warning'),
    error: send('error'),
    critical: send('critical'),
    enabled: (level) => SEVERITY[level] >= min,
  };
};
