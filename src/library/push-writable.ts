// The Writable of a push-mode integrator: a write completes once its alert is accepted, and nothing it took is lost when the stream fails.

import { Writable } from 'node:stream';
import { stoppedError } from './push-stop.js';
import type { Waiting } from './waiting-line.js';

export interface PushWritableParts {
  readonly highWaterMark: number;
  readonly accepting: () => boolean;
  /** Enters the alert, or queues `entry` (its `admit` completes the write), or accounts for it at stop. */
  readonly take: (alert: unknown, entry?: Waiting) => void;
  /** Resolves when every alert settled. */
  readonly idle: () => Promise<void>;
}

/** A Writable chunk as Node keeps it (`writableBuffer`, not in @types/node). */
interface Buffered {
  readonly chunk: unknown;
}

/**
 * An object-mode Writable for `stream.pipeline`. `write()` returns false and `drain` follows while
 * the integrator is full. When the stream is destroyed (the pipeline failed: a parse error, the
 * source's error), the alerts it already took — its own buffer and the one waiting for room — are
 * handed to the integrator anyway: each gets its outcome (dead-lettered `stopped` if the integrator
 * stops first), none is dropped.
 */
export const pushWritable = (parts: PushWritableParts): Writable => {
  let waiting: Waiting | undefined;
  return new Writable({
    objectMode: true,
    highWaterMark: parts.highWaterMark,
    write(alert: unknown, _encoding, callback) {
      if (!parts.accepting()) {
        callback(stoppedError());
        return;
      }
      const entry: Waiting = {
        alert,
        kind: 'taken',
        cancelled: false,
        admit: () => {
          waiting = undefined;
          callback();
        },
        refuse: (error) => {
          waiting = undefined;
          callback(error as Error);
        },
      };
      waiting = entry;
      parts.take(alert, entry);
    },
    final(callback) {
      void parts.idle().then(() => callback());
    },
    destroy(error, callback) {
      // The write waiting for room stays in line (accounted for), but no longer completes a dead stream's write.
      if (waiting !== undefined) {
        waiting.admit = () => undefined;
        waiting.refuse = () => undefined;
      }
      const buffered = (this as Writable & { writableBuffer?: readonly Buffered[] }).writableBuffer ?? [];
      for (const { chunk } of buffered) parts.take(chunk);
      callback(error);
    },
  });
};
