// The --http endpoint: /metrics (Prometheus text) and /healthz (JSON, 503 when unhealthy), loopback and capped by default.

import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { HealthReport } from './health.js';
import { registerSecret } from './log.js';
import { shedConnections } from './connection-shedding.js';
import { IntegratordError } from '../errors.js';

export interface HttpEndpoint {
  /** `http://HOST:PORT` actually bound (port 0 resolves to a free port). */
  readonly url: string;
  close(): Promise<void>;
}

/** Limits of the endpoint; the defaults fit one Prometheus and a load balancer. */
export interface TelemetryOptions {
  /** When set, every path needs `Authorization: Bearer <token>` (else 401). */
  readonly token?: string;
  /**
   * Connections open at once (default 64; 6,000 idle ones exhausted the fd limit). A new one beyond
   * it closes the oldest connection still sending its head or idle, so slow clients cannot hold
   * every slot; a request being answered is never closed.
   */
  readonly maxConnections?: number;
  /** Connections of one remote address at once (default 16); beyond it that address's oldest waiting connection is closed. */
  readonly maxPerAddress?: number;
  /** ms a client has for its whole request head, request line and headers (default 2,000, at most `timeoutMs`). */
  readonly headTimeoutMs?: number;
  /** ms a client has for its whole request, and a kept-alive idle connection lives (default 5,000). */
  readonly timeoutMs?: number;
  /** ms a rendered /metrics text is served again (default 1,000): a scrape flood renders once a second, not per request. */
  readonly metricsCacheMs?: number;
}

const DEFAULT_MAX_CONNECTIONS = 64;
const DEFAULT_MAX_PER_ADDRESS = 16;
const DEFAULT_HEAD_TIMEOUT_MS = 2_000;
const DEFAULT_TIMEOUT_MS = 5_000;
const DEFAULT_METRICS_CACHE_MS = 1_000;

/** Parses `HOST:PORT` or `PORT` (host defaults to 127.0.0.1: metrics are not for the network). */
export const parseListenAddress = (text: string): { host: string; port: number } => {
  const match = /^(?:(\[[^\]]+\]|[^:]+):)?(\d{1,5})$/.exec(text.trim());
  const port = Number(match?.[2]);
  if (!match || port > 65535) {
    throw new IntegratordError('INTEGRATORD_USAGE', `--http expects HOST:PORT or PORT, got '${text}'`);
  }
  const host = (match[1] ?? '127.0.0.1').replace(/^\[|\]$/g, '');
  return { host, port };
};

/** 127.0.0.0/8, ::1 (and ::ffff:127.x) or `localhost`: only this host can connect. Names that may resolve elsewhere are not. */
export const isLoopbackHost = (host: string): boolean => {
  const h = host.toLowerCase();
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || h === '0:0:0:0:0:0:0:1' || /^(?:0:0:0:0:0:|::)ffff:127\./.test(h);
  return false;
};

/**
 * Refuses (INTEGRATORD_USAGE: exit 2) a listen address beyond loopback — 0.0.0.0, [::], a routable
 * address or a host name — unless `allowRemote` (`--http-allow-remote`) says the operator means it.
 */
export const checkListenAddress = (address: { host: string; port: number }, allowRemote: boolean): void => {
  if (allowRemote || isLoopbackHost(address.host)) return;
  throw new IntegratordError(
    'INTEGRATORD_USAGE',
    `--http ${address.host}:${address.port} listens beyond loopback: add --http-allow-remote to mean it (and --http-token-file to require a token)`,
  );
};

/**
 * Reads the bearer token of `--http-token-file` (surrounding whitespace trimmed) and registers it as
 * a secret. Throws INTEGRATORD_IO when the file cannot be read, is empty, or others may read or write it.
 */
export const readTokenFile = (path: string): string => {
  let text: string;
  try {
    if ((statSync(path).mode & 0o006) !== 0) {
      throw new IntegratordError('INTEGRATORD_IO', `--http-token-file ${path} is readable or writable by other users: chmod o-rw it`);
    }
    text = readFileSync(path, 'utf8').trim();
  } catch (error) {
    if (error instanceof IntegratordError) throw error;
    throw new IntegratordError('INTEGRATORD_IO', `cannot read --http-token-file ${path}: ${(error as Error).message}`, { cause: error });
  }
  if (text === '') throw new IntegratordError('INTEGRATORD_IO', `--http-token-file ${path} is empty`);
  registerSecret(text);
  return text;
};

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** `Authorization: Bearer <token>` checked in constant time (both sides hashed to the same length). */
const bearerMatches = (expected: Buffer, header: string | undefined): boolean => {
  const given = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1] ?? '';
  return timingSafeEqual(digest(given), expected) && given !== '';
};

/**
 * Serves /metrics and /healthz on the given address. Anything else is 404; a method other than
 * GET/HEAD 405; with a token, a request without it 401 (/healthz included: a load balancer then
 * sends the header too). Rejects when the address cannot be bound (in use, not local).
 */
export const serveTelemetry = async (
  address: { host: string; port: number },
  registry: Registry,
  health: () => HealthReport,
  options: TelemetryOptions = {},
): Promise<HttpEndpoint> => {
  const expected = options.token === undefined ? undefined : digest(options.token);
  const cacheMs = options.metricsCacheMs ?? DEFAULT_METRICS_CACHE_MS;
  let rendered: { readonly at: number; readonly text: Promise<string> } | undefined;
  const metricsText = (): Promise<string> => {
    const now = Date.now();
    if (rendered === undefined || now - rendered.at >= cacheMs) {
      const text = registry.metrics();
      rendered = { at: now, text };
      text.catch(() => (rendered = undefined));
    }
    return rendered.text;
  };
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const headTimeoutMs = Math.min(options.headTimeoutMs ?? DEFAULT_HEAD_TIMEOUT_MS, timeoutMs);
  const server: Server = createServer(
    { headersTimeout: headTimeoutMs, requestTimeout: timeoutMs, keepAliveTimeout: timeoutMs, connectionsCheckingInterval: Math.min(250, headTimeoutMs) },
    (req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD' }).end();
        return;
      }
      if (expected !== undefined && !bearerMatches(expected, req.headers.authorization)) {
        // Closed after the answer: an unauthenticated client keeps no slot.
        res.writeHead(401, { 'www-authenticate': 'Bearer', 'content-type': 'text/plain', connection: 'close' }).end('a bearer token is required\n');
        return;
      }
      if (path === '/metrics') {
        metricsText().then(
          (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
          (error: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error)),
        );
        return;
      }
      if (path === '/healthz') {
        const report = health();
        res.writeHead(report.ok ? 200 : 503, { 'content-type': 'application/json' }).end(`${JSON.stringify(report)}\n`);
        return;
      }
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /metrics or /healthz\n');
    },
  );
  shedConnections(server, { maxConnections: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS, maxPerAddress: options.maxPerAddress ?? DEFAULT_MAX_PER_ADDRESS, headTimeoutMs }, registry);
  // A connection that sends nothing at all is closed after the same time (headersTimeout needs a first byte on some Node versions).
  server.setTimeout(timeoutMs, (socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(new IntegratordError('INTEGRATORD_IO', `cannot listen on ${address.host}:${address.port}: ${error.message}`, { cause: error })));
    server.listen(address.port, address.host, () => resolve());
  });
  const bound = server.address() as AddressInfo;
  const host = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
  return {
    url: `http://${host}:${bound.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};
