// Chooses where enrichment events go (--enrichment-out FILE, else Wazuh's queue socket), opened on first use.

import type { Verdict } from './step.js';
import { log } from '../telemetry/log.js';
import { openEnrichmentFileWriter } from './enrichment-file.js';
import type { QueueWriter } from './queue-writer.js';
import { openQueueSocketWriter } from './wazuh-queue.js';
import { errorMessage } from '../errors.js';

export interface QueueTarget {
  /** HOME/queue/sockets/queue. */
  readonly socketPath: string;
  /** --enrichment-out FILE: JSON Lines instead of the socket. */
  readonly enrichmentOut?: string | undefined;
}

/**
 * A QueueWriter that opens its target on the first message, so that a daemon without VirusTotal
 * or Maltiverse blocks never needs unix-dgram or a running analysisd. When the target cannot be
 * opened (unix-dgram missing, path too long) every message gets a `retry` verdict naming the
 * cause — the pipeline retries, then dead-letters: nothing is dropped silently — and the cause is
 * logged once. Opening is retried on the next message.
 */
export const lazyQueueWriter = (target: QueueTarget): QueueWriter => {
  let opened: Promise<QueueWriter> | undefined;
  let reported = false;
  const open = (): Promise<QueueWriter> =>
    (opened ??= (target.enrichmentOut !== undefined ? openEnrichmentFileWriter(target.enrichmentOut) : openQueueSocketWriter(target.socketPath)).catch(
      (error: unknown) => {
        opened = undefined;
        throw error;
      },
    ));
  return {
    async send(message: string, signal: AbortSignal): Promise<Verdict> {
      let writer: QueueWriter;
      try {
        writer = await open();
      } catch (error) {
        const reason = errorMessage(error);
        if (!reported) log.error('QueueWriterUnavailable', { reason });
        reported = true;
        return { kind: 'retry', reason };
      }
      return writer.send(message, signal);
    },
    async close(): Promise<void> {
      const writer = await opened?.catch(() => undefined);
      await writer?.close();
    },
  };
};
