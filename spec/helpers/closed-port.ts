// A loopback port nothing listens on: connecting to it is refused (ECONNREFUSED).

import { createServer } from 'node:net';

/** Binds a port on 127.0.0.1, closes it, and returns it. */
export const closedPort = async (): Promise<number> => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
};
