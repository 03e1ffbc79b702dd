// The connection to a Wazuh cluster's shared state (Redis): keys namespaced by cluster, fail open when Redis is unreachable.

import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { Redis, type RedisOptions } from 'ioredis';
import client from 'prom-client';
import { IntegratordError, errorMessage } from '../errors.js';
import { log } from '../telemetry/log.js';
import { parseRedisUrl, registerRedisUrl, type RedisTarget } from './redis-url.js';

/** 'wazuh': the default name of a Wazuh cluster (<cluster><name>), the namespace of every key. */
export const DEFAULT_CLUSTER_NAME = 'wazuh';
/** 1 s: a command slower than this counts as Redis unreachable (the alert is decided locally, never stalled). */
export const COMMAND_TIMEOUT_MS = 1000;
/** Reconnect attempts back off to 1 s at most: a node re-joins within about a second of Redis coming back. */
export const MAX_RECONNECT_WAIT_MS = 1000;

const NAME = /^[A-Za-z0-9_.-]{1,64}$/;

export interface SharedStateOptions {
  /** redis://[user:pass@]host:port[/db] or rediss://… */
  readonly url: string;
  /** This node's name, recorded with every claim (default: the hostname). */
  readonly node?: string | undefined;
  /** The cluster's name: every key starts with `integratord:<cluster>:` (default DEFAULT_CLUSTER_NAME). */
  readonly cluster?: string | undefined;
  /** PEM file of the CA that signed the Redis server's certificate (rediss://). */
  readonly caFile?: string | undefined;
  /** Where integratord_shared_state_up and its fallback counter are registered. */
  readonly registry?: client.Registry | undefined;
  readonly commandTimeoutMs?: number | undefined;
}

/** What /healthz shows of the shared state (no credentials). */
export interface SharedStateReport {
  readonly url: string;
  readonly cluster: string;
  readonly node: string;
  readonly up: boolean;
  /** While down: since when (ISO 8601); alerts are decided with this node's local stores meanwhile. */
  readonly downSince?: string;
}

const checkName = (what: string, value: string): string => {
  if (!NAME.test(value)) throw new IntegratordError('INTEGRATORD_USAGE', `${what} must be 1 to 64 of A-Z a-z 0-9 _ . -, got '${value}'`);
  return value;
};

/** This host's name as a node name (characters outside the allowed set become '-'). */
export const defaultNodeName = (): string => hostname().replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 64) || 'node';

/**
 * One Redis connection for commands (the offline queue off: a command while Redis is down fails at
 * once) and, on demand, one for subscriptions. `attempt` runs a command and returns undefined when
 * Redis is down or the command fails: callers then decide with their local store (fail open). Down
 * is logged once per outage, up again once; `integratord_shared_state_up` says which.
 */
export class SharedState {
  readonly node: string;
  readonly cluster: string;
  readonly target: RedisTarget;
  readonly redis: Redis;
  readonly #options: RedisOptions;
  readonly #up: client.Gauge;
  readonly #fallbacks: client.Counter;
  readonly #listeners = new Set<(up: boolean) => void>();
  readonly #subscribers: Redis[] = [];
  #isUp = false;
  #downSince: number | undefined = Date.now();
  #loggedDown = false;
  #everUp = false;
  #closed = false;

  constructor(options: SharedStateOptions) {
    registerRedisUrl(options.url);
    this.target = parseRedisUrl(options.url);
    this.node = checkName('--node', options.node ?? defaultNodeName());
    this.cluster = checkName('--cluster', options.cluster ?? DEFAULT_CLUSTER_NAME);
    if (options.caFile !== undefined && !this.target.tls) throw new IntegratordError('INTEGRATORD_USAGE', '--shared-state-ca only applies to a rediss:// URL');
    let ca: Buffer | undefined;
    try {
      ca = options.caFile === undefined ? undefined : readFileSync(options.caFile);
    } catch (error) {
      throw new IntegratordError('INTEGRATORD_IO', `cannot read the CA file ${options.caFile} (${errorMessage(error)})`, { cause: error });
    }
    const t = this.target;
    this.#options = {
      host: t.host,
      port: t.port,
      db: t.db,
      ...(t.username === undefined ? {} : { username: t.username }),
      ...(t.password === undefined ? {} : { password: t.password }),
      ...(t.tls ? { tls: { servername: t.host, ...(ca === undefined ? {} : { ca }) } } : {}),
      connectionName: `integratord-${this.node}`,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: options.commandTimeoutMs ?? COMMAND_TIMEOUT_MS,
      connectTimeout: 2000,
      retryStrategy: (times) => Math.min(100 * times, MAX_RECONNECT_WAIT_MS),
    };
    const registers = options.registry === undefined ? [] : [options.registry];
    this.#up = new client.Gauge({ name: 'integratord_shared_state_up', help: '1 while the shared state (Redis) is reachable; 0 while this node decides with its local stores.', registers });
    this.#fallbacks = new client.Counter({ name: 'integratord_shared_state_fallbacks_total', help: 'Decisions made with the local stores because the shared state was unreachable, by store.', labelNames: ['store'], registers });
    this.#up.set(0);
    this.redis = new Redis(this.#options);
    this.redis.on('ready', () => this.#set(true));
    this.redis.on('error', (error: unknown) => this.#set(false, error));
    this.redis.on('close', () => this.#set(false));
  }

  get up(): boolean {
    return this.#isUp;
  }

  /** `integratord:<cluster>:<parts joined by ':'>` */
  key(...parts: readonly string[]): string {
    return ['integratord', this.cluster, ...parts].join(':');
  }

  /** Resolves once connected, or after `timeoutMs` (Redis down at start: this node starts on its local stores). */
  ready(timeoutMs = 2000): Promise<boolean> {
    if (this.#isUp) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#listeners.delete(on);
        resolve(this.#isUp);
      }, timeoutMs);
      const on = (up: boolean) => {
        if (!up) return;
        clearTimeout(timer);
        this.#listeners.delete(on);
        resolve(true);
      };
      this.#listeners.add(on);
    });
  }

  /** Called on every change between up and down. Returns the unsubscribe. */
  onChange(listener: (up: boolean) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Runs a command; undefined when Redis is down or the command failed (counted under `store`; the caller falls back). */
  async attempt<T>(store: string, op: (redis: Redis) => Promise<T>): Promise<T | undefined> {
    if (this.#isUp) {
      try {
        return await op(this.redis);
      } catch (error) {
        // A script error is a bug, not an outage; a timeout or a closed connection is an outage.
        if (!/ERR|NOSCRIPT|WRONGTYPE/.test(errorMessage(error))) this.#set(false, error);
        else log.error('SharedStateCommandFailed', { store, error: errorMessage(error) });
      }
    }
    this.#fallbacks.inc({ store });
    return undefined;
  }

  /** A second connection for SUBSCRIBE (a subscribed connection takes no other command); closed with this one. */
  subscriber(): Redis {
    const sub = new Redis({ ...this.#options, enableOfflineQueue: true, commandTimeout: undefined });
    sub.on('error', () => undefined); // reported by the command connection
    this.#subscribers.push(sub);
    return sub;
  }

  report(): SharedStateReport {
    return { url: this.target.shown, cluster: this.cluster, node: this.node, up: this.#isUp, ...(this.#downSince === undefined ? {} : { downSince: new Date(this.#downSince).toISOString() }) };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#listeners.clear();
    await Promise.all([this.redis, ...this.#subscribers].map((r) => r.quit().catch(() => r.disconnect())));
  }

  #set(up: boolean, error?: unknown): void {
    if (this.#closed) return;
    if (up === this.#isUp) {
      if (!up && !this.#loggedDown) this.#logDown(error);
      return;
    }
    this.#isUp = up;
    this.#up.set(up ? 1 : 0);
    if (up) {
      const was = this.#downSince;
      this.#downSince = undefined;
      this.#loggedDown = false;
      log.info('SharedStateUp', { url: this.target.shown, cluster: this.cluster, node: this.node, ...(was === undefined || !this.#everUp ? {} : { down_for_seconds: Math.round((Date.now() - was) / 1000) }) });
      this.#everUp = true;
    } else {
      this.#downSince = Date.now();
      this.#logDown(error);
      // Commands in flight on a dropped connection fail: their callers fall back.
    }
    for (const listener of [...this.#listeners]) listener(up);
  }

  #logDown(error: unknown): void {
    this.#loggedDown = true;
    log.warning('SharedStateDown', { url: this.target.shown, cluster: this.cluster, node: this.node, reason: error === undefined ? 'connection closed' : errorMessage(error), fallback: 'local stores until Redis is back (duplicates across nodes possible meanwhile, no loss)' });
  }
}
