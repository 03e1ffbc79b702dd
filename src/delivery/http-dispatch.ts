// One request through undici's dispatch(): a small callback handler instead of request()'s streams and AbortSignal.

import type { Dispatcher } from 'undici';
import { headerPairProblem } from '../config/http-header.js';
import type { HttpRequest, HttpResponse } from './step.js';

/** How a started request ends: an error (mapped by the caller) or the answer with its body read up to the limit. */
export type DispatchDone = (error: unknown, response: HttpResponse | undefined) => void;

/** Stops a started request (its deadline passed, or its block is stopping); `done` is not called after it. */
export type CancelSend = (reason?: Error) => void;

/**
 * The request as undici takes it, built once per step and reused by its retries: the body as a Buffer
 * (a string would be copied on every write) and the headers as a flat [name, value, …] array in the
 * integration's own spelling (the bytes on the wire stay the integration's).
 */
export interface DispatchRequest {
  readonly origin: string;
  readonly path: string;
  readonly method: HttpRequest['method'];
  readonly headers: string[];
  readonly body: Buffer | null;
}

/** The headers as a flat [name, value, …] array, or why undici would refuse one of them (headerProblem's rule, in the same pass). */
export const flatHeaders = (headers: Readonly<Record<string, string>>): string[] | { readonly problem: string } => {
  const flat: string[] = [];
  for (const name in headers) {
    const value = headers[name]!;
    const problem = headerPairProblem(name, value);
    if (problem !== undefined) return { problem };
    flat.push(name, value);
  }
  return flat;
};

type ParseHeaders = (raw: Buffer[], into?: Record<string, string | string[]>) => Record<string, string | string[]>;

/**
 * Sends `request` on `dispatcher` and calls `done` once: with the response (every status; the body
 * kept up to `maxBody` bytes — past that the connection is dropped and the body cut, as the stream
 * reader did) or with undici's error. The returned function cancels: undici aborts the request
 * (before it even got a connection, it is aborted when it gets one) and `done` is never called.
 */
export const dispatchRequest = (
  dispatcher: Dispatcher,
  request: DispatchRequest,
  maxBody: number,
  parseHeaders: ParseHeaders,
  done: DispatchDone,
): CancelSend => {
  let over = false;
  let abort: ((reason?: Error) => void) | undefined;
  let cancelled = false;
  let cancelReason: Error | undefined;
  let status = 0;
  let rawHeaders: Buffer[] = [];
  const chunks: Buffer[] = [];
  let size = 0;
  const finish = (error: unknown, response: HttpResponse | undefined) => {
    if (over) return;
    over = true;
    done(error, response);
  };
  // Headers are parsed when read (classify reads them on a 429 or 503, rarely on a 2xx): most answers never pay for it.
  const answer = (): HttpResponse => {
    const raw = rawHeaders;
    let parsed: Record<string, string | string[]> | undefined;
    return {
      status,
      get headers() {
        return (parsed ??= parseHeaders(raw));
      },
      body: chunks.length === 0 ? '' : chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8'),
    };
  };
  const handler: Dispatcher.DispatchHandler = {
    onConnect(abortRequest: (reason?: Error) => void) {
      abort = abortRequest;
      if (cancelled) abortRequest(cancelReason);
    },
    onHeaders(statusCode: number, raw: Buffer[]) {
      status = statusCode;
      rawHeaders = raw;
      return true;
    },
    onData(chunk: Buffer) {
      if (size + chunk.length > maxBody) {
        chunks.push(chunk.subarray(0, maxBody - size));
        size = maxBody;
        // We never hold more than `maxBody` bytes: the answer so far is the answer, the rest is dropped with the socket.
        finish(undefined, answer());
        abort?.();
        return false;
      }
      chunks.push(chunk);
      size += chunk.length;
      return true;
    },
    onComplete() {
      finish(undefined, answer());
    },
    onError(error: Error) {
      finish(error, undefined);
    },
  };
  try {
    dispatcher.dispatch({ origin: request.origin, path: request.path, method: request.method, headers: request.headers, body: request.body }, handler);
  } catch (error) {
    finish(error, undefined);
  }
  return (reason) => {
    if (over) return;
    over = true;
    cancelled = true;
    cancelReason = reason;
    abort?.(reason);
  };
};
