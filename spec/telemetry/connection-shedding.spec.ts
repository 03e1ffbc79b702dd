// Specs for src/telemetry/connection-shedding.ts (limits that shed slow and idle connections first, never a request being answered).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { Registry } from 'prom-client';
import { shedConnections, type SheddingOptions } from '../../src/telemetry/connection-shedding.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A server whose requests wait for `release()` before they are answered: requests stay "being answered" as long as a spec needs. */
const holdingServer = async (options: SheddingOptions) => {
  const held: ServerResponse[] = [];
  const server = createServer((_req, res) => void held.push(res));
  const registry = new Registry();
  const limits = shedConnections(server, options, registry);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const sockets: Socket[] = [];
  const open = (first?: string): { socket: Socket; closed: () => boolean } => {
    const socket = connect(port, '127.0.0.1');
    let closed = false;
    socket.on('error', () => undefined);
    socket.on('close', () => (closed = true));
    if (first !== undefined) socket.on('connect', () => socket.write(first));
    sockets.push(socket);
    return { socket, closed: () => closed };
  };
  const shed = async (reason: string) => {
    const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === 'integratord_http_connections_shed_total');
    return (metric?.values as { labels: { reason?: string }; value: number }[] | undefined)?.find((v) => v.labels.reason === reason)?.value ?? 0;
  };
  const close = async () => {
    for (const s of sockets) s.destroy();
    for (const res of held) res.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { open, held, limits, shed, close };
};

const FULL_REQUEST = 'GET /x HTTP/1.1\r\nHost: x\r\n\r\n';
const shedding = suite('shedConnections');
shedding("beyond the address cap the address's oldest waiting connection is closed, the newcomer kept", async () => {
  const s = await holdingServer({ maxConnections: 10, maxPerAddress: 2, headTimeoutMs: 5_000 });
  try {
    const first = s.open('GET / HTTP/1.1\r\n');
    await sleep(50);
    const second = s.open();
    await sleep(50);
    const third = s.open();
    await sleep(100);
    assert.equal([first.closed(), second.closed(), third.closed()], [true, false, false]);
    assert.is(s.limits.open(), 2);
    assert.is(await s.shed('per_address'), 1);
  } finally {
    await s.close();
  }
});
shedding('a request being answered is never shed: with every slot answering, the newcomer is closed instead', async () => {
  const s = await holdingServer({ maxConnections: 2, maxPerAddress: 10, headTimeoutMs: 5_000 });
  try {
    const busy = [s.open(FULL_REQUEST), s.open(FULL_REQUEST)];
    while (s.held.length < 2) await sleep(10);
    const late = s.open(FULL_REQUEST);
    await sleep(150);
    assert.equal([busy[0]?.closed(), busy[1]?.closed(), late.closed()], [false, false, true]);
    assert.is(await s.shed('capacity'), 1);
  } finally {
    await s.close();
  }
});
shedding('a waiting connection goes before a busy one when the total cap is reached', async () => {
  const s = await holdingServer({ maxConnections: 2, maxPerAddress: 10, headTimeoutMs: 5_000 });
  try {
    const busy = s.open(FULL_REQUEST);
    while (s.held.length < 1) await sleep(10);
    const slow = s.open('GET / HTTP/1.1\r\nX-Slow: ');
    await sleep(50);
    const fresh = s.open(FULL_REQUEST);
    while (s.held.length < 2) await sleep(10);
    assert.equal([busy.closed(), slow.closed(), fresh.closed()], [false, true, false]);
  } finally {
    await s.close();
  }
});
shedding('a first request head not complete within headTimeoutMs closes the connection, counted', async () => {
  const s = await holdingServer({ maxConnections: 10, maxPerAddress: 10, headTimeoutMs: 200 });
  try {
    const trickling = s.open('GET / HTTP/1.1\r\n');
    const timer = setInterval(() => trickling.socket.write('X-A: b\r\n'), 50);
    const started = Date.now();
    while (!trickling.closed() && Date.now() - started < 3_000) await sleep(20);
    clearInterval(timer);
    assert.ok(trickling.closed(), 'closed although it kept sending');
    assert.ok(Date.now() - started >= 150, 'not before its time');
    assert.is(await s.shed('head_timeout'), 1);
    assert.is(s.limits.open(), 0);
  } finally {
    await s.close();
  }
});
shedding.run();
