// A real HTTP proxy on loopback for specs: the `proxy` package from npm (undici's own tests use it), port 0, optional Basic credentials.

import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createProxy } from 'proxy';

export interface HttpProxy {
  readonly url: string;
  /** What the proxy was asked, in order: `CONNECT host:port` for a tunnel, `METHOD url` for a forwarded request. */
  readonly requests: readonly string[];
  /** Requests refused with 407 (missing or wrong credentials). */
  readonly refused: () => number;
  stop(): Promise<void>;
}

/** Starts a proxy on 127.0.0.1, port 0; with `credentials` it answers 407 unless Proxy-Authorization is `Basic user:pass`. */
export const startHttpProxy = async (credentials?: { user: string; pass: string }): Promise<HttpProxy> => {
  const requests: string[] = [];
  let refused = 0;
  const server = createServer();
  // Tunnels leave the HTTP server's own bookkeeping: every socket is tracked so stop() ends them all.
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  // Recorded before the proxy's own listeners run, so a refused request is recorded too.
  server.on('connect', (request: { url?: string }) => requests.push(`CONNECT ${request.url ?? ''}`));
  server.on('request', (request: { method?: string; url?: string }) => requests.push(`${request.method ?? ''} ${request.url ?? ''}`));
  const proxy = createProxy(server);
  if (credentials !== undefined) {
    const expected = `Basic ${Buffer.from(`${credentials.user}:${credentials.pass}`).toString('base64')}`;
    proxy.authenticate = (request) => {
      const ok = request.headers['proxy-authorization'] === expected;
      if (!ok) refused += 1;
      return ok;
    };
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    refused: () => refused,
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
};
