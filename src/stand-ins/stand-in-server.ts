// A loopback HTTP server core for stand-in services (demo and specs): records requests, scripts failures.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { CountWaiters } from './count-waiters.js';

export interface ReceivedRequest {
  readonly method: string;
  /** Path and query, as sent. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  readonly json: unknown;
  /** Date.now() when the request was complete. */
  readonly receivedAt: number;
  /** The client's port: requests sharing it came over one kept-alive connection. */
  readonly remotePort: number;
}

export interface Reply {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** A string is sent as is; anything else as JSON. */
  readonly body?: unknown;
  /** Delay before this answer, in ms (replaces the server's delay for this request). */
  readonly delayMs?: number;
}

/**
 * What to do with one request: answer, never answer (`hang`), or destroy the connection (`reset`).
 * A scripted misbehaviour is a queue of these, consumed one per request before the normal answer.
 */
export type Behaviour = Reply | 'hang' | 'reset';

export interface StandInOptions {
  /** The service's normal answer to a request. */
  readonly answer: (request: ReceivedRequest) => Reply;
  /** Delay before every answer, in ms (a slow service). */
  readonly delayMs?: number;
  /** Port to listen on (default 0: any free port). Always 127.0.0.1. */
  readonly port?: number;
  /** Requests kept in `received` (default all); older ones are dropped, `count` still counts them. */
  readonly keep?: number;
}

export interface StandIn {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly received: ReceivedRequest[];
  /** Requests received since the start (including those no longer kept). */
  readonly count: number;
  /** Queues behaviours for the next requests (e.g. 503, 503, then the normal answer). */
  script(...behaviours: Behaviour[]): void;
  setDelay(ms: number): void;
  /** Resolves once `count` requests have been received; rejects after 15 s (a lost request fails, never hangs). */
  waitFor(count: number): Promise<void>;
  close(): Promise<void>;
}

const parseJson = (body: string): unknown => {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
};

const send = (res: ServerResponse, reply: Reply) => {
  const text = typeof reply.body === 'string' ? reply.body : reply.body === undefined ? '' : JSON.stringify(reply.body);
  const type = typeof reply.body === 'string' || reply.body === undefined ? 'text/plain; charset=utf-8' : 'application/json';
  res.writeHead(reply.status, { 'content-type': type, ...reply.headers });
  res.end(text);
};

/** Starts a stand-in on 127.0.0.1; never reachable from another host. */
export const startStandIn = async (options: StandInOptions): Promise<StandIn> => {
  const received: ReceivedRequest[] = [];
  const queue: Behaviour[] = [];
  const waiters = new CountWaiters('requests', () => count);
  const sockets = new Set<Socket>();
  let delayMs = options.delayMs ?? 0;
  let count = 0;
  const keep = options.keep ?? Number.POSITIVE_INFINITY;

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const request: ReceivedRequest = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: req.headers,
        body,
        json: parseJson(body),
        receivedAt: Date.now(),
        remotePort: req.socket.remotePort ?? 0,
      };
      count += 1;
      received.push(request);
      if (received.length > keep) received.shift();
      waiters.notify();
      const behaviour = queue.shift() ?? options.answer(request);
      if (behaviour === 'hang') return;
      if (behaviour === 'reset') {
        req.socket.destroy();
        return;
      }
      const reply = () => send(res, behaviour);
      const wait = behaviour.delayMs ?? delayMs;
      if (wait > 0) setTimeout(reply, wait);
      else reply();
    });
  };

  const server: Server = createServer(handle);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    received,
    get count() {
      return count;
    },
    script: (...behaviours) => queue.push(...behaviours),
    setDelay: (ms) => {
      delayMs = ms;
    },
    waitFor: (n) => waiters.wait(n),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
