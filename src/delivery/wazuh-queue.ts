// The QueueWriter for analysisd's queue socket: one AF_UNIX datagram per write-back message (unix-dgram).

import { Buffer } from 'node:buffer';
import { constants } from 'node:os';
import { IntegratordError } from '../errors.js';
import type { Verdict } from './step.js';
import { log } from '../telemetry/log.js';
import type { QueueWriter } from './queue-writer.js';

/** The part of unix-dgram's socket this writer uses. */
interface DgramSocket {
  on(event: 'error', listener: (error: Error & { code?: number }) => void): void;
  connect(path: string): void;
  send(buf: Buffer, callback: (error?: Error & { code?: number }) => void): void;
  close(): void;
}
interface UnixDgram {
  createSocket(type: 'unix_dgram'): DgramSocket;
}

/** sockaddr_un.sun_path holds 108 bytes with the NUL; unix-dgram silently truncates longer paths. */
const MAX_SOCKET_PATH_BYTES = 107;
/** analysisd reads at most OS_MAXSTR (65536) bytes per message: longer ones arrive truncated. */
const ANALYSISD_MAX_MESSAGE_BYTES = 65535;
/** unix-dgram reports EAGAIN/EWOULDBLOCK/ENOBUFS on send as this internal code ("congestion"). */
const CONGESTION = 1;

const ERRNO_NAMES = new Map<number, string>(Object.entries(constants.errno).map(([name, n]) => [n, name]));

/** unix-dgram errors carry `code` = -errno (or 1 for congestion): the errno name, e.g. `ECONNREFUSED`. */
export const errnoName = (error: { code?: unknown }): string => {
  if (error.code === CONGESTION) return 'EAGAIN';
  return typeof error.code === 'number' ? (ERRNO_NAMES.get(-error.code) ?? `errno ${-error.code}`) : String(error.code ?? 'unknown');
};

/**
 * What a socket error means for the message. Never silently dropped (Wazuh's Maltiverse ignores a
 * missing socket): socket missing, analysisd down or busy → retry (the pipeline retries, then
 * dead-letters); message too long → drop; anything else (permissions…) → retry, so that a fixed
 * setup plus a redrive delivers it.
 */
export const socketVerdict = (error: { code?: unknown }, path: string): Verdict => {
  const name = errnoName(error);
  switch (name) {
    case 'ENOENT':
      return { kind: 'retry', reason: `queue socket ${path} does not exist (analysisd not running?)` };
    case 'ECONNREFUSED':
      return { kind: 'retry', reason: `queue socket ${path} refused the message (analysisd not running)` };
    case 'EAGAIN':
    case 'EWOULDBLOCK':
    case 'ENOBUFS':
      return { kind: 'retry', reason: `queue socket ${path} is full (analysisd busy)` };
    case 'EMSGSIZE':
      return { kind: 'drop', reason: `message too long for queue socket ${path} (EMSGSIZE)` };
    default:
      return { kind: 'retry', reason: `queue socket ${path}: ${name}` };
  }
};

/**
 * Loads the optional native package (a variable specifier: it has no types and may be missing).
 * @throws IntegratordError `INTEGRATORD_UNSUPPORTED` naming the alternative `--enrichment-out FILE`.
 */
export const loadUnixDgram = async (name = 'unix-dgram'): Promise<UnixDgram> => {
  try {
    const module = (await import(name)) as { default?: UnixDgram } & UnixDgram;
    return module.default ?? module;
  } catch (cause) {
    throw new IntegratordError(
      'INTEGRATORD_UNSUPPORTED',
      `writing enrichment events to the Wazuh queue socket needs the optional package ${name}, which is not installed ` +
        '(npm install unix-dgram, needs a C++ toolchain); or write them to a file instead with --enrichment-out FILE',
      { cause },
    );
  }
};

/**
 * Opens a writer to analysisd's queue socket (`HOME/queue/sockets/queue`). Like Wazuh's scripts,
 * each message gets its own socket: create, connect, one send, close (~12 µs per message measured here). That
 * survives analysisd restarts without stale-connection handling (a kept socket stays connected to
 * the old, dead inode) and keeps no handle open between messages, so the process can exit.
 * The socket file need not exist yet: a missing socket is a `retry` verdict per message.
 * @throws IntegratordError `INTEGRATORD_UNSUPPORTED` when unix-dgram is not installed (the message
 * names `--enrichment-out FILE`); `INTEGRATORD_IO` when the path is too long for a unix socket.
 */
export const openQueueSocketWriter = async (path: string): Promise<QueueWriter> => {
  if (Buffer.byteLength(path) > MAX_SOCKET_PATH_BYTES) {
    throw new IntegratordError('INTEGRATORD_IO', `queue socket path ${path} is longer than ${MAX_SOCKET_PATH_BYTES} bytes: unix sockets cannot use it`);
  }
  const unix = await loadUnixDgram();
  let closed = false;

  const sendNow = (message: string): Verdict => {
    const buf = Buffer.from(message, 'utf8');
    if (buf.length > ANALYSISD_MAX_MESSAGE_BYTES) {
      log.debug('QueueMessageOversized', { bytes: buf.length, limit: ANALYSISD_MAX_MESSAGE_BYTES, note: 'analysisd truncates it' });
    }
    let socket: DgramSocket;
    try {
      socket = unix.createSocket('unix_dgram');
    } catch (error) {
      return { kind: 'retry', reason: `cannot create a unix socket: ${errnoName(error as { code?: unknown })}` };
    }
    let failure: (Error & { code?: number }) | undefined;
    socket.on('error', (error) => {
      failure = error;
    });
    try {
      socket.connect(path);
      if (failure === undefined) {
        socket.send(buf, (error) => {
          failure = error;
        });
      }
    } finally {
      socket.close();
    }
    return failure === undefined ? { kind: 'delivered' } : socketVerdict(failure, path);
  };

  return {
    // Synchronous system calls: a resolved promise, in call order.
    send: async (message, signal) => {
      if (closed) return { kind: 'retry', reason: 'queue writer is closed' };
      if (signal.aborted) return { kind: 'retry', reason: 'write-back aborted' };
      return sendNow(message);
    },
    close: async () => {
      closed = true;
    },
  };
};
