// A private CA and a server certificate for 127.0.0.1 made in-process (the `selfsigned` package, no openssl), and an HTTPS stand-in serving it.

import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { tempDirSync } from './temp-dir.js';

export interface PrivateCa {
  /** The CA certificate's PEM file (what <ca_file> names). */
  readonly caFile: string;
  readonly caPem: string;
  readonly keyPem: string;
  readonly certPem: string;
  remove(): void;
}

const TWO_DAYS_MS = 2 * 24 * 3600 * 1000;

/** Generates a CA and a leaf certificate for IP 127.0.0.1 signed by it (RSA 2048, SHA-256; about half a second). */
export const privateCa = async (): Promise<PrivateCa> => {
  const validity = { notBeforeDate: new Date(Date.now() - 60_000), notAfterDate: new Date(Date.now() + TWO_DAYS_MS) };
  const ca = await generate([{ name: 'commonName', value: 'integratord spec CA' }], {
    ...validity,
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const leaf = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    ...validity,
    keySize: 2048,
    algorithm: 'sha256',
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
    ],
  });
  const { dir, remove } = tempDirSync('private-ca');
  const caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, ca.cert);
  return { caFile, caPem: ca.cert, keyPem: leaf.private, certPem: leaf.cert, remove };
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
