// Connection limits of the --http endpoint that shed slow and idle connections first, so an answerable request always finds a slot.

import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { Counter, type Registry } from 'prom-client';

export interface SheddingOptions {
  /** Connections open at once; a new one beyond it closes the oldest connection that has no request being answered. */
  readonly maxConnections: number;
  /** Connections of one remote address at once; beyond it, that address's oldest waiting connection is closed. */
  readonly maxPerAddress: number;
  /** ms a new connection has to send its whole first request head (request line and headers). */
  readonly headTimeoutMs: number;
}

/** Why a connection was closed by the endpoint rather than by its client. */
export type ShedReason = 'capacity' | 'per_address' | 'head_timeout';

const SHED_METRIC = 'integratord_http_connections_shed_total';

/** The shed counter on `registry` (one per registry, whichever endpoint registered it first). */
const shedCounter = (registry: Registry): Counter<'reason'> =>
  (registry.getSingleMetric(SHED_METRIC) as Counter<'reason'> | undefined) ??
  new Counter({
    name: SHED_METRIC,
    help: 'Connections the --http endpoint closed to keep room for requests it can answer, by reason (capacity, per_address, head_timeout).',
    labelNames: ['reason'],
    registers: [registry],
  });

/**
 * Applies the limits to `server`. A connection is "waiting" from its arrival until its request head
 * is complete, and again while idle between kept-alive requests; only waiting connections are ever
 * shed, oldest first, and a request being answered never is. A new connection beyond the address
 * cap closes that address's oldest waiting one, beyond the total cap the oldest waiting one of any
 * address; when every connection is busy answering, the newcomer itself is closed. A first request
 * head not complete within `headTimeoutMs` closes the connection. Returns the count of open connections (for specs).
 */
export const shedConnections = (server: Server, options: SheddingOptions, registry: Registry): { readonly open: () => number } => {
  const counter = shedCounter(registry);
  const addressOf = new Map<Socket, string>();
  const perAddress = new Map<string, number>();
  /** Waiting connections in the order they started waiting (Map iteration order): the first is the oldest. */
  const waiting = new Map<Socket, string>();
  const timers = new Map<Socket, NodeJS.Timeout>();

  const forget = (socket: Socket): void => {
    const address = addressOf.get(socket);
    if (address === undefined) return;
    addressOf.delete(socket);
    waiting.delete(socket);
    clearTimeout(timers.get(socket));
    timers.delete(socket);
    const left = (perAddress.get(address) ?? 1) - 1;
    if (left === 0) perAddress.delete(address);
    else perAddress.set(address, left);
  };
  const shed = (socket: Socket, reason: ShedReason): void => {
    forget(socket);
    counter.inc({ reason });
    socket.destroy();
  };
  const oldestWaiting = (address?: string): Socket | undefined => {
    for (const [socket, from] of waiting) if (address === undefined || from === address) return socket;
    return undefined;
  };

  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    if ((perAddress.get(address) ?? 0) >= options.maxPerAddress) {
      const victim = oldestWaiting(address);
      if (victim === undefined) return shed(socket, 'per_address');
      shed(victim, 'per_address');
    }
    if (addressOf.size >= options.maxConnections) {
      const victim = oldestWaiting();
      if (victim === undefined) return shed(socket, 'capacity');
      shed(victim, 'capacity');
    }
    addressOf.set(socket, address);
    perAddress.set(address, (perAddress.get(address) ?? 0) + 1);
    waiting.set(socket, address);
    const timer = setTimeout(() => shed(socket, 'head_timeout'), options.headTimeoutMs);
    timer.unref();
    timers.set(socket, timer);
    socket.once('close', () => forget(socket));
  });
  server.on('request', (req, res) => {
    const socket = req.socket;
    const address = addressOf.get(socket);
    if (address === undefined) return;
    waiting.delete(socket);
    clearTimeout(timers.get(socket));
    timers.delete(socket);
    // Answered and kept alive: waiting again (Node's keepAliveTimeout and headersTimeout bound the idle time and the next head).
    res.once('finish', () => {
      if (addressOf.has(socket) && !socket.destroyed) waiting.set(socket, address);
    });
  });
  return { open: () => addressOf.size };
};
