// The --http endpoint: /metrics (Prometheus text) and /healthz (JSON, 503 when unhealthy).

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { HealthReport } from './health.js';
import { IntegratordError } from '../errors.js';

export interface HttpEndpoint {
  /** `http://HOST:PORT` actually bound (port 0 resolves to a free port). */
  readonly url: string;
  close(): Promise<void>;
}

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

/**
 * Serves /metrics and /healthz on the given address. Anything else is 404. Rejects when the
 * address cannot be bound (in use, not local).
 */
export const serveTelemetry = async (
  address: { host: string; port: number },
  registry: Registry,
  health: () => HealthReport,
): Promise<HttpEndpoint> => {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/metrics') {
      registry.metrics().then(
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
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(new IntegratordError('INTEGRATORD_IO', `cannot listen on ${address.host}:${address.port}: ${error.message}`, { cause: error })));
    server.listen(address.port, address.host, () => resolve());
  });
  const bound = server.address() as AddressInfo;
  const host = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
  return {
    url: `http://${host}:${bound.port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
