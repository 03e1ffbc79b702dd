// `--shared-state redis://[user:pass@]host:port[/db]` (or rediss://): parsed, checked, and its credentials registered as secrets.

import { IntegratordError } from '../errors.js';
import { registerSecret } from '../telemetry/log.js';

/** Where the shared state lives, as ioredis takes it (the password is never logged: see `registerRedisUrl`). */
export interface RedisTarget {
  readonly tls: boolean;
  readonly host: string;
  readonly port: number;
  readonly db: number;
  readonly username?: string;
  readonly password?: string;
  /** The URL without credentials, for logs and /healthz: `redis://host:port/db`. */
  readonly shown: string;
}

/** 6379: Redis's default port. */
export const DEFAULT_REDIS_PORT = 6379;

/**
 * Parses a redis:// or rediss:// URL. Throws INTEGRATORD_USAGE naming what is wrong, never the URL
 * itself (it may hold a password).
 */
export const parseRedisUrl = (text: string): RedisTarget => {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new IntegratordError('INTEGRATORD_USAGE', '--shared-state expects redis://[user:pass@]host:port[/db] or rediss://…; the value given is not a URL');
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new IntegratordError('INTEGRATORD_USAGE', `--shared-state expects a redis:// or rediss:// URL, got a ${u.protocol.slice(0, -1)}: URL`);
  if (u.hostname === '') throw new IntegratordError('INTEGRATORD_USAGE', '--shared-state: the URL has no host');
  const port = u.port === '' ? DEFAULT_REDIS_PORT : Number(u.port);
  const dbText = u.pathname.replace(/^\//, '');
  if (dbText !== '' && !/^\d{1,2}$/.test(dbText)) throw new IntegratordError('INTEGRATORD_USAGE', `--shared-state: the path must be a database number (/0 … /15), got '/${dbText}'`);
  const db = dbText === '' ? 0 : Number(dbText);
  const decode = (s: string) => (s === '' ? undefined : decodeURIComponent(s));
  const username = decode(u.username);
  const password = decode(u.password);
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  return {
    tls: u.protocol === 'rediss:',
    host,
    port,
    db,
    ...(username === undefined ? {} : { username }),
    ...(password === undefined ? {} : { password }),
    shown: `${u.protocol}//${u.host}/${db}`,
  };
};

/**
 * Registers the URL's credentials with the logger: the whole URL, `user:pass` and the password (as
 * written and decoded), so that no log line or error shows them. A URL without a password registers
 * nothing (host and port are not secret: logs name them).
 */
export const registerRedisUrl = (text: string): void => {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return; // Not a URL: parseRedisUrl says so, without echoing it.
  }
  if (u.password === '') return;
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  for (const secret of [text, `${u.username}:${u.password}`, u.password, decode(u.password)]) registerSecret(secret);
};
