// A real bound AF_UNIX datagram socket standing in for analysisd's queue, in a fresh temporary home.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bindAnalysisdQueue, type AnalysisdQueue } from '../../src/stand-ins/analysisd-queue.js';

export interface QueueSocket extends AnalysisdQueue {
  /** A fresh Wazuh home directory holding the socket at queue/sockets/queue. */
  readonly home: string;
  /** Closes and removes everything. */
  close(): void;
}

/** A temporary directory with a short path (unix socket paths are limited to 107 bytes). */
export const shortTempDir = (): string => mkdtempSync(join(tmpdir(), 'itd-'));

/** Binds a datagram socket at `<home>/queue/sockets/queue` in a new temporary home. */
export const bindQueueSocket = (): QueueSocket => {
  const home = shortTempDir();
  const queue = bindAnalysisdQueue(join(home, 'queue', 'sockets', 'queue'));
  return {
    ...queue,
    home,
    close: () => {
      queue.unbind();
      rmSync(home, { recursive: true, force: true });
    },
  };
};
