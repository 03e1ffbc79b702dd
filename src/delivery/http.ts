// The one HTTP client of integratord: one undici Pool per origin (and proxy, CA), bounded, keep-alive; send() by AbortSignal, prepare() for the hot path.

import type { Dispatcher } from 'undici';
import type { HttpRequest, HttpResponse } from './step.js';
import { createDispatcher, dispatcherKey, proxyEnv, type ProxyEnv } from './transport.js';
import { headerProblem } from '../config/http-header.js';
import { dispatchRequest, flatHeaders, type CancelSend, type DispatchRequest } from './http-dispatch.js';
import { HttpError, toHttpError } from './http-error.js';

export { HttpError, toHttpError, type HttpErrorCode } from './http-error.js';

/** Connections per origin: enough for a block's concurrency (4) twice over, never unbounded (undici's default). */
export const DEFAULT_CONNECTIONS = 8;
/** Bytes of a response body kept (1 MiB): answers we classify are small; the rest is discarded. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Idle keep-alive sockets are closed after 30 s (ms): long enough to reuse between bursts of alerts. */
const KEEP_ALIVE_MS = 30_000;

/** What the block pipeline needs from an HTTP client (specs and the library may pass their own). */
export interface HttpSender {
  /**
   * Sends one request; resolves with any HTTP answer (every status), the body read up to 1 MiB.
   * Rejects only with HttpError: no answer (refused, reset, DNS), or `signal` aborted
   * (HTTP_TIMEOUT when its reason is a TimeoutError, else HTTP_ABORTED).
   */
  send(request: HttpRequest, signal: AbortSignal): Promise<HttpResponse>;
  /**
   * The hot path's form of `send` (optional: the block pipeline adapts `send` when absent): the request is
   * checked and built once (`destination` is its origin, for pauses), then each `start` is one attempt —
   * `done` gets an HttpError or the answer; the returned function cancels it (no `done` after it).
   */
  prepare?(request: HttpRequest): PreparedSend;
}

/** A request checked and built once, sent by each `start` (one per attempt). */
export interface PreparedSend {
  readonly destination: string | undefined;
  start(done: (error: HttpError | undefined, response: HttpResponse | undefined) => void): CancelSend;
}

/** Parsed URLs kept by the client (a block posts to one URL; a lookup per alert to many): cleared when full. */
const URL_CACHE_SIZE = 256;

export interface HttpClientOptions {
  /** Connections per origin (default 8). */
  readonly connections?: number;
  /** Body bytes kept per response (default 1 MiB). */
  readonly maxBodyBytes?: number;
  /** Where HTTPS_PROXY/HTTP_PROXY/NO_PROXY are read (default process.env, at construction). */
  readonly env?: NodeJS.ProcessEnv;
}

/** The part of undici's response body this client uses. */
interface ResponseBody extends AsyncIterable<Buffer> {
  text(): Promise<string>;
}

const readBody = async (body: ResponseBody, contentLength: string | string[] | undefined, limit: number): Promise<string> => {
  // A declared length within the limit: undici's own consumer instead of async iteration of the stream.
  const declared = typeof contentLength === 'string' ? Number(contentLength) : Number.NaN;
  if (Number.isInteger(declared) && declared <= limit) return body.text();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    if (size + chunk.length > limit) {
      chunks.push(chunk.subarray(0, limit - size));
      // Leaving the loop destroys the rest of the body: we never hold more than `limit` bytes.
      break;
    }
    chunks.push(chunk);
    size += chunk.length;
  }
  return Buffer.concat(chunks).toString('utf8');
};

/** Path and query characters a URL parser passes through unchanged (no space, quote, `<>`, backslash, `{}`, backtick). */
const PLAIN_PATH = /^\/[A-Za-z0-9\-._~!$&()*+,;=:@/%?[\]|^]*$/;

/**
 * The path and query to send: as written in `text` when it holds only characters a URL parser
 * passes through — so `/hostname/%2E%2E` stays itself instead of resolving to `/` — else the
 * parsed form (which percent-encodes the rest). The two differ only in dot segments.
 */
const requestPath = (text: string, url: URL): string => {
  const written = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*([^#]*)/.exec(text)?.[1] ?? '';
  return PLAIN_PATH.test(written) ? written : `${url.pathname}${url.search}`;
};

/** undici, loaded on the first request: commands that send nothing (check, explain, a dry run) never pay for it (~70 ms CPU). */
let undici: typeof import('undici') | undefined;

/**
 * The client every HTTP step goes through. Pools are created on first use per origin — per proxy
 * and CA for a block with `<proxy>`/`<ca_file>` (transport.ts), so blocks with the same settings
 * share them — and kept until `close()`. The deadline is the caller's AbortSignal (undici's own
 * timeouts fire late).
 */
export class HttpClient implements HttpSender {
  readonly #pools = new Map<string, Dispatcher>();
  readonly #targets = new Map<string, { origin: string; path: string } | HttpError>();
  readonly #connections: number;
  readonly #maxBody: number;
  readonly #env: ProxyEnv;
  #closed = false;

  constructor(options: HttpClientOptions = {}) {
    this.#connections = options.connections ?? DEFAULT_CONNECTIONS;
    this.#maxBody = options.maxBodyBytes ?? MAX_BODY_BYTES;
    this.#env = proxyEnv(options.env);
  }

  #pool(origin: string, transport: HttpRequest['transport'], { Pool, ProxyAgent, EnvHttpProxyAgent }: typeof import('undici')): Dispatcher {
    const key = dispatcherKey(origin, transport, this.#env);
    let pool = this.#pools.get(key);
    if (!pool) {
      const settings = { connections: this.#connections, keepAliveTimeout: KEEP_ALIVE_MS };
      pool = createDispatcher({ Pool, ProxyAgent, EnvHttpProxyAgent }, origin, transport, this.#env, settings);
      this.#pools.set(key, pool);
    }
    return pool;
  }

  /** The origin and path of `text`, or why it cannot be sent; kept for the next request to the same URL. */
  #target(text: string): { origin: string; path: string } | HttpError {
    const known = this.#targets.get(text);
    if (known !== undefined) return known;
    let target: { origin: string; path: string } | HttpError;
    try {
      const url = new URL(text);
      target =
        url.protocol !== 'http:' && url.protocol !== 'https:'
          ? new HttpError('HTTP_INVALID_URL', `unsupported protocol ${url.protocol}`)
          : { origin: url.origin, path: requestPath(text, url) };
    } catch (error) {
      return new HttpError('HTTP_INVALID_URL', 'invalid request URL', { cause: error });
    }
    if (this.#targets.size >= URL_CACHE_SIZE) this.#targets.clear();
    this.#targets.set(text, target);
    return target;
  }

  prepare(request: HttpRequest): PreparedSend {
    const target = this.#target(request.url);
    const headers = target instanceof HttpError ? undefined : flatHeaders(request.headers);
    if (target instanceof HttpError || headers === undefined || !Array.isArray(headers)) {
      const error = target instanceof HttpError ? target : new HttpError('HTTP_INVALID_HEADER', (headers as { problem: string }).problem);
      return { destination: target instanceof HttpError ? undefined : target.origin, start: (done) => (done(error, undefined), () => undefined) };
    }
    const built: DispatchRequest = {
      origin: target.origin,
      path: target.path,
      method: request.method,
      headers,
      body: request.body === undefined ? null : Buffer.from(request.body, 'utf8'),
    };
    const start = (loaded: typeof import('undici'), done: (error: HttpError | undefined, response: HttpResponse | undefined) => void): CancelSend =>
      dispatchRequest(this.#pool(target.origin, request.transport, loaded), built, this.#maxBody, loaded.util.parseHeaders, (error, response) =>
        error === undefined ? done(undefined, response) : done(toHttpError(error), undefined),
      );
    return {
      destination: target.origin,
      start: (done) => {
        if (this.#closed) return (done(new HttpError('HTTP_ABORTED', 'client closed'), undefined), () => undefined);
        if (undici !== undefined) return start(undici, done);
        // The first request loads undici (see `undici`): cancelled meanwhile, it is never sent.
        let cancel: CancelSend | undefined;
        let cancelled = false;
        void import('undici').then((loaded) => {
          undici = loaded;
          if (cancelled) return;
          if (this.#closed) return done(new HttpError('HTTP_ABORTED', 'client closed'), undefined);
          cancel = start(loaded, done);
        }, (error: unknown) => cancelled || done(toHttpError(error), undefined));
        return (reason) => {
          cancelled = true;
          cancel?.(reason);
        };
      },
    };
  }

  async send(request: HttpRequest, signal: AbortSignal): Promise<HttpResponse> {
    if (this.#closed) throw new HttpError('HTTP_ABORTED', 'client closed');
    let url: URL;
    try {
      url = new URL(request.url);
    } catch (error) {
      throw new HttpError('HTTP_INVALID_URL', 'invalid request URL', { cause: error });
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new HttpError('HTTP_INVALID_URL', `unsupported protocol ${url.protocol}`);
    const problem = headerProblem(request.headers);
    if (problem !== undefined) throw new HttpError('HTTP_INVALID_HEADER', problem);
    try {
      const loaded = undici ?? (undici = await import('undici'));
      if (this.#closed) throw new HttpError('HTTP_ABORTED', 'client closed');
      const answer = await this.#pool(url.origin, request.transport, loaded).request({
        origin: url.origin,
        path: requestPath(request.url, url),
        method: request.method,
        headers: request.headers,
        body: request.body ?? null,
        signal,
      });
      const body = await readBody(answer.body, answer.headers['content-length'], this.#maxBody);
      return { status: answer.statusCode, headers: answer.headers, body };
    } catch (error) {
      throw toHttpError(error, signal);
    }
  }

  /** Closes every pool (waits for in-flight requests); later sends reject with HTTP_ABORTED. */
  async close(): Promise<void> {
    this.#closed = true;
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map((p) => p.close()));
  }
}
