// A stand-in for analysisd's queue socket: a bound AF_UNIX datagram socket that records write-backs.

import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { IntegratordError } from '../errors.js';
import { CountWaiters } from './count-waiters.js';

interface BoundSocket {
  on(event: 'message', listener: (buf: Buffer) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  bind(path: string): void;
  close(): void;
}

export interface AnalysisdQueue {
  readonly path: string;
  /** Every datagram received (`1:<location>:<json>`), in order. */
  readonly messages: string[];
  /** Resolves once `count` messages have arrived; rejects after 15 s (a lost datagram fails, never hangs). */
  waitFor(count: number): Promise<void>;
  /** Closes the socket; the file stays, so a sender then gets ECONNREFUSED (analysisd stopped). */
  unbind(): void;
}

/**
 * Binds a datagram socket at `path` (its directory is created). Needs the optional unix-dgram
 * addon: throws INTEGRATORD_UNSUPPORTED when it is missing. Errors on the socket after binding are
 * thrown (a stand-in that breaks must not pass silently).
 */
export const bindAnalysisdQueue = (path: string): AnalysisdQueue => {
  let unix: { createSocket(type: 'unix_dgram'): BoundSocket };
  try {
    unix = createRequire(import.meta.url)('unix-dgram') as typeof unix;
  } catch (error) {
    throw new IntegratordError('INTEGRATORD_UNSUPPORTED', 'the optional unix-dgram addon is not installed: no AF_UNIX datagram socket', { cause: error });
  }
  mkdirSync(dirname(path), { recursive: true });
  const messages: string[] = [];
  const waiters = new CountWaiters('datagrams', () => messages.length);
  const socket = unix.createSocket('unix_dgram');
  socket.on('message', (buf) => {
    messages.push(buf.toString('utf8'));
    waiters.notify();
  });
  socket.on('error', (error) => {
    throw error;
  });
  socket.bind(path);
  let open = true;
  return {
    path,
    messages,
    waitFor: (count) => waiters.wait(count),
    unbind: () => {
      if (open) socket.close();
      open = false;
    },
  };
};
