// A private CA and a server certificate for 127.0.0.1 made with the openssl CLI, and an HTTPS stand-in serving it.

import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { tempDirSync } from './temp-dir.js';

export interface PrivateCa {
  /** The CA certificate's PEM file (what <ca_file> names). */
  readonly caFile: string;
  readonly caPem: string;
  readonly keyPem: string;
  readonly certPem: string;
  remove(): void;
}

/** Generates a CA and a leaf certificate for IP 127.0.0.1 signed by it (a few hundred ms). */
export const privateCa = (): PrivateCa => {
  const { dir, remove } = tempDirSync('private-ca');
  const at = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', at('ca.key'), '-out', at('ca.pem'), '-days', '2', '-subj', '/CN=integratord spec CA');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', at('server.key'), '-out', at('server.csr'), '-subj', '/CN=127.0.0.1');
  writeFileSync(at('ext.cnf'), 'subjectAltName=IP:127.0.0.1\n');
  openssl('x509', '-req', '-in', at('server.csr'), '-CA', at('ca.pem'), '-CAkey', at('ca.key'), '-CAcreateserial', '-out', at('server.pem'), '-days', '2', '-extfile', at('ext.cnf'));
  return {
    caFile: at('ca.pem'),
    caPem: readFileSync(at('ca.pem'), 'utf8'),
    keyPem: readFileSync(at('server.key'), 'utf8'),
    certPem: readFileSync(at('server.pem'), 'utf8'),
    remove,
  };
};

export interface TlsStandIn {
  readonly url: string;
  /** Bodies of the requests received, in order. */
  readonly bodies: string[];
  close(): Promise<void>;
}

/** An HTTPS server on 127.0.0.1, port 0, with the CA's leaf certificate, answering 200 `ok`. */
export const startTlsStandIn = async (ca: PrivateCa): Promise<TlsStandIn> => {
  const bodies: string[] = [];
  const server: Server = createServer({ key: ca.keyPem, cert: ca.certPem }, (request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      bodies.push(body);
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    bodies,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
