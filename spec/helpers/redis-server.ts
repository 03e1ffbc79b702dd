// A real redis-server for the cluster suite: on 127.0.0.1, a free port, a temp dir, no persistence; stopped and restarted by the specs.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closedPort } from './closed-port.js';

/** 10 s: only there so that a redis-server that never answers fails the spec instead of hanging it. */
const START_DEADLINE_MS = 10_000;

const answers = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => socket.write('PING\r\n'));
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => {
      socket.destroy();
      resolve(text.startsWith('+PONG'));
    });
    socket.on('error', () => resolve(false));
  });

/**
 * `redis-server --save '' --appendonly no --port N --dir TMP` (Debian's redis-server: .ci/run installs
 * it). `stop()` kills it (SIGKILL: an outage, not a shutdown); `start()` starts it again on the same
 * port, empty. `url` is redis://127.0.0.1:N.
 */
export class RedisServer {
  readonly port: number;
  readonly dir: string;
  #child: ChildProcess | undefined;

  private constructor(port: number) {
    this.port = port;
    this.dir = mkdtempSync(join(tmpdir(), 'integratord-redis-'));
  }

  static async start(): Promise<RedisServer> {
    const server = new RedisServer(await closedPort());
    await server.start();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.#child = spawn('redis-server', ['--save', '', '--appendonly', 'no', '--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir], { stdio: 'ignore' });
    const deadline = Date.now() + START_DEADLINE_MS;
    while (!(await answers(this.port))) {
      if (Date.now() > deadline) throw new Error(`redis-server did not answer on port ${this.port}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Kills it (SIGKILL) and waits for its exit. */
  async stop(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (child === undefined || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  /** Stops it and removes its directory. */
  async close(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
