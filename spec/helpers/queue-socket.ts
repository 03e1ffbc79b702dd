// A real bound AF_UNIX datagram socket standing in for analysisd's queue (receives write-backs).

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface BoundSocket {
  on(event: 'message', listener: (buf: Buffer) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  bind(path: string): void;
  close(): void;
}
const unix = createRequire(import.meta.url)('unix-dgram') as { createSocket(type: 'unix_dgram'): BoundSocket };

export interface QueueSocket {
  /** `<tmp>/queue/sockets/queue`: a Wazuh home's queue socket under `home`. */
  readonly path: string;
  /** A fresh Wazuh home directory holding the socket. */
  readonly home: string;
  readonly messages: string[];
  waitFor(count: number): Promise<void>;
  /** Closes the socket (the file stays: a connect then gets ECONNREFUSED). */
  unbind(): void;
  /** Closes and removes everything. */
  close(): void;
}

/** A temporary directory with a short path (unix socket paths are limited to 107 bytes). */
export const shortTempDir = (): string => mkdtempSync(join(tmpdir(), 'itd-'));

/** Binds a datagram socket at `<home>/queue/sockets/queue` in a new temporary home. */
export const bindQueueSocket = (): QueueSocket => {
  const home = shortTempDir();
  mkdirSync(join(home, 'queue', 'sockets'), { recursive: true });
  const path = join(home, 'queue', 'sockets', 'queue');
  const messages: string[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const socket = unix.createSocket('unix_dgram');
  socket.on('message', (buf) => {
    messages.push(buf.toString('utf8'));
    for (const w of waiters.filter((x) => messages.length >= x.count)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  });
  socket.on('error', (error) => {
    throw error;
  });
  socket.bind(path);
  let open = true;
  const unbind = () => {
    if (open) socket.close();
    open = false;
  };
  return {
    path,
    home,
    messages,
    waitFor: (count) => (messages.length >= count ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ count, resolve }))),
    unbind,
    close: () => {
      unbind();
      rmSync(home, { recursive: true, force: true });
    },
  };
};
