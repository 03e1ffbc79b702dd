// A real HTTP proxy on loopback for specs: Debian's tinyproxy, started on a free port with its own config.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { tempDirSync } from './temp-dir.js';

export interface Tinyproxy {
  readonly url: string;
  /** What tinyproxy logged at the Connect level (one `Request` line per proxied request). */
  log(): string;
  stop(): Promise<void>;
}

export const TINYPROXY = '/usr/bin/tinyproxy';

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });

/** Starts tinyproxy in the foreground on 127.0.0.1 (run .ci/install-test-services when it is missing). */
export const startTinyproxy = async (): Promise<Tinyproxy> => {
  if (!existsSync(TINYPROXY)) throw new Error('tinyproxy is not installed: run .ci/install-test-services');
  const { dir, remove } = tempDirSync('tinyproxy');
  const logFile = join(dir, 'tinyproxy.log');
  const port = await freePort();
  const conf = join(dir, 'tinyproxy.conf');
  // No ConnectPort line: CONNECT (undici's tunnel) is allowed to every port, the stand-ins' included.
  writeFileSync(conf, [`Port ${port}`, 'Listen 127.0.0.1', 'Timeout 30', `LogFile "${logFile}"`, 'LogLevel Connect', 'MaxClients 50', 'Allow 127.0.0.1', ''].join('\n'));
  const child: ChildProcess = spawn(TINYPROXY, ['-d', '-c', conf], { stdio: 'ignore' });
  const log = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');
  const accepts = () =>
    new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
  const deadline = Date.now() + 10_000;
  while (!(await accepts())) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGTERM');
      remove();
      throw new Error(`tinyproxy did not start (exit ${String(child.exitCode)}): ${log()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      remove();
    },
  };
};
