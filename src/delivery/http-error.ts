// Why a request got no HTTP answer: stable codes, and the mapping of whatever undici or the socket layer throws to them.

/** Stable codes of failed sends: classification reads these, never messages. */
export type HttpErrorCode =
  | 'HTTP_CONNECTION_REFUSED'
  | 'HTTP_CONNECTION_RESET'
  | 'HTTP_TIMEOUT'
  | 'HTTP_ABORTED'
  | 'HTTP_DNS'
  | 'HTTP_INVALID_URL'
  | 'HTTP_INVALID_HEADER'
  | 'HTTP_TLS'
  | 'HTTP_PROXY'
  | 'HTTP_NETWORK';

/** A request that got no HTTP answer. The message names the cause, never the URL (it may hold a token). */
export class HttpError extends Error {
  readonly code: HttpErrorCode;
  constructor(code: HttpErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HttpError';
    this.code = code;
  }
}

const errorCode = (error: unknown): string | undefined => {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { code?: unknown; errors?: unknown };
  if (typeof e.code === 'string') return e.code;
  // Happy-eyeballs connects (localhost) fail with an AggregateError of per-address errors.
  if (Array.isArray(e.errors)) return e.errors.map(errorCode).find((c) => c !== undefined);
  return undefined;
};

/** undici's refusal of a tunnel (`Proxy response (407) !== 200 when HTTP Tunneling`): the proxy's status. */
const proxyStatus = (error: unknown): number | undefined => {
  const message = error instanceof Error ? error.message : '';
  const status = /^Proxy response \((\d{3})\)/.exec(message)?.[1];
  return status === undefined ? undefined : Number(status);
};

/** What a proxy's refusal of CONNECT means; never the proxy URL (it may hold the credentials). */
const proxyRefusal = (status: number, cause: unknown): HttpError =>
  new HttpError(
    'HTTP_PROXY',
    status === 407
      ? 'proxy refused the credentials (407 Proxy Authentication Required): check the user and password in <proxy> or HTTPS_PROXY'
      : `proxy refused the tunnel to the destination (HTTP ${status})`,
    { cause },
  );

/** Maps anything undici or the socket layer throws to an HttpError with a stable code. */
export const toHttpError = (error: unknown, signal?: AbortSignal): HttpError => {
  if (error instanceof HttpError) return error;
  if (signal?.aborted) {
    const reason: unknown = signal.reason;
    const timedOut = reason instanceof Error && reason.name === 'TimeoutError';
    return new HttpError(timedOut ? 'HTTP_TIMEOUT' : 'HTTP_ABORTED', timedOut ? 'request timed out' : 'request aborted', { cause: error });
  }
  const code = errorCode(error);
  const refusedBy = code === 'UND_ERR_ABORTED' ? proxyStatus(error) : undefined;
  if (refusedBy !== undefined) return proxyRefusal(refusedBy, error);
  const text = (c: HttpErrorCode, m: string) => new HttpError(c, code ? `${m} (${code})` : m, { cause: error });
  switch (code) {
    case 'ECONNREFUSED':
      return text('HTTP_CONNECTION_REFUSED', 'connection refused');
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
      return text('HTTP_CONNECTION_RESET', 'connection reset');
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return text('HTTP_TIMEOUT', 'request timed out');
    case 'UND_ERR_ABORTED':
    case 'ABORT_ERR':
      return text('HTTP_ABORTED', 'request aborted');
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'CERT_HAS_EXPIRED':
    case 'CERT_NOT_YET_VALID':
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return text('HTTP_TLS', "TLS certificate not trusted: give the destination's CA in <ca_file>, or fix its certificate");
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return text('HTTP_DNS', 'host name not resolved');
    case 'ERR_INVALID_URL':
    case 'UND_ERR_INVALID_ARG':
      return text('HTTP_INVALID_URL', 'invalid request URL');
    default:
      return text('HTTP_NETWORK', 'network error');
  }
};
