// The QueueWriter for --enrichment-out FILE: enrichment events as JSON Lines where no Wazuh socket is used.

import type { FileHandle } from 'node:fs/promises';
import { openAppend, writeAll } from '../state/safe-file.js';
import { parseQueueMessage } from './queue-message.js';
import type { Verdict } from './step.js';
import type { QueueWriter } from './queue-writer.js';
import { errorCode } from '../errors.js';

/** One line of the file. */
export interface EnrichmentRecord {
  /** When the event was written (ISO 8601, UTC). */
  readonly time: string;
  /** The location analysisd would file it under, unescaped (`[001] (web-01) 10.0.0.11->virustotal`). */
  readonly location: string;
  /** The event object. */
  readonly event: unknown;
  /** The exact datagram the socket writer would have sent (`1:<escaped location>:<json>`). */
  readonly datagram: string;
}

/**
 * Opens (creates or appends to) a JSON Lines file of enrichment events: one EnrichmentRecord per
 * line, written in call order. A message that is not a write-back datagram is refused (`drop`);
 * a failed write (disk full…) is a `retry` verdict. `close()` waits for pending writes. A new file is
 * created 0600 (events carry alert content); a symlink at `path` is refused, never followed.
 * @throws when the file cannot be opened (a startup error, not a stream error; ELOOP for a symlink).
 */
export const openEnrichmentFileWriter = async (path: string, now: () => Date = () => new Date()): Promise<QueueWriter> => {
  const handle: FileHandle = await openAppend(path);
  // One write at a time, so lines never interleave and keep call order.
  let tail: Promise<unknown> = Promise.resolve();
  let closed = false;

  const write = async (line: string): Promise<Verdict> => {
    try {
      await writeAll(handle, line);
      return { kind: 'delivered' };
    } catch (error) {
      return { kind: 'retry', reason: `cannot write ${path}: ${errorCode(error)}` };
    }
  };

  return {
    send: (message, signal) => {
      if (closed) return Promise.resolve({ kind: 'retry', reason: 'enrichment file writer is closed' });
      if (signal.aborted) return Promise.resolve({ kind: 'retry', reason: 'write-back aborted' });
      const parsed = parseQueueMessage(message);
      if (parsed === undefined) return Promise.resolve({ kind: 'drop', reason: 'not a write-back message (1:<location>:<json>)' });
      const record: EnrichmentRecord = { time: now().toISOString(), location: parsed.location, event: parsed.event, datagram: message };
      const result = tail.then(() => write(`${JSON.stringify(record)}\n`));
      tail = result;
      return result;
    },
    close: async () => {
      closed = true;
      await tail;
      await handle.close();
    },
  };
};
