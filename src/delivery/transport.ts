// How one block's requests reach their destination: a proxy (its <proxy> or the environment's) and a private CA.

import type * as Undici from 'undici';

/** A block's transport settings, carried on each of its HTTP requests. */
export interface Transport {
  /** The block's `<proxy>` URL; when absent, HTTPS_PROXY/HTTP_PROXY/NO_PROXY of the environment apply. */
  readonly proxy?: string;
  /** The `<ca_file>` path (it keys shared dispatchers) and its PEM text (read when the block starts). */
  readonly ca?: { readonly file: string; readonly pem: string };
}

/** The environment's proxy settings, either case (curl's convention); empty values count as unset. */
export interface ProxyEnv {
  readonly httpProxy?: string;
  readonly httpsProxy?: string;
  readonly noProxy?: string;
}

export const proxyEnv = (env: NodeJS.ProcessEnv = process.env): ProxyEnv => {
  const read = (name: string) => env[name.toLowerCase()] || env[name.toUpperCase()] || undefined;
  const httpProxy = read('http_proxy');
  const httpsProxy = read('https_proxy');
  const noProxy = read('no_proxy');
  return { ...(httpProxy ? { httpProxy } : {}), ...(httpsProxy ? { httpsProxy } : {}), ...(noProxy ? { noProxy } : {}) };
};

/** Settings shared by every dispatcher: connections per origin and the keep-alive of idle sockets. */
export interface PoolSettings {
  readonly connections: number;
  readonly keepAliveTimeout: number;
}

/**
 * The key of the dispatcher a request goes through: requests with the same key share one pool (or
 * proxy agent). A direct request is keyed by its origin as before; a proxied one by proxy and CA.
 */
export const dispatcherKey = (origin: string, transport: Transport | undefined, env: ProxyEnv): string => {
  const ca = transport?.ca === undefined ? '' : ` ca=${transport.ca.file}`;
  if (transport?.proxy !== undefined) return `proxy=${transport.proxy}${ca}`;
  if (env.httpProxy !== undefined || env.httpsProxy !== undefined) return `env-proxy${ca}`;
  return `${origin}${ca}`;
};

/**
 * Creates the dispatcher of a key: a Pool for a direct request (with `connect.ca` for a private
 * CA), a ProxyAgent for the block's proxy (tunnelled; the CA checks the destination through the
 * tunnel), an EnvHttpProxyAgent when the environment names a proxy (it honours NO_PROXY).
 */
export const createDispatcher = (
  undici: Pick<typeof Undici, 'Pool' | 'ProxyAgent' | 'EnvHttpProxyAgent'>,
  origin: string,
  transport: Transport | undefined,
  env: ProxyEnv,
  settings: PoolSettings,
): Undici.Dispatcher => {
  const tls = transport?.ca === undefined ? {} : { ca: transport.ca.pem };
  const pool = { connections: settings.connections, keepAliveTimeout: settings.keepAliveTimeout };
  if (transport?.proxy !== undefined) return new undici.ProxyAgent({ uri: transport.proxy, ...pool, requestTls: tls });
  if (env.httpProxy !== undefined || env.httpsProxy !== undefined) {
    return new undici.EnvHttpProxyAgent({ ...env, ...pool, connect: tls, requestTls: tls });
  }
  return new undici.Pool(origin, { ...pool, connect: tls });
};
