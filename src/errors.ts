// Error classes with stable codes (callers check `code`, never the message), and the one reader of a thrown value's message and errno code.

export type ErrorCode =
  | 'INTEGRATORD_CONFIG'
  | 'INTEGRATORD_USAGE'
  | 'INTEGRATORD_IO'
  | 'INTEGRATORD_DELIVERY'
  | 'INTEGRATORD_UNSUPPORTED'
  /** The integrator is stopping or stopped: it accepts no more alerts (not a misuse). */
  | 'INTEGRATORD_STOPPED'
  /** Too many callers already wait for room (`maxWaiting`): retry later, or wait with `whenReady()`. */
  | 'INTEGRATORD_BACKPRESSURE'
  /** The caller's AbortSignal fired before the alert was accepted (it was not taken). */
  | 'INTEGRATORD_ABORTED';

/** Base error of the project; `code` is stable across releases, the message is for humans. */
export class IntegratordError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IntegratordError';
    this.code = code;
  }
}

/** The message of anything thrown: an Error's `message`, anything else as `String(value)`. The one helper for it. */
export const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** The errno code of a file system error (`ENOENT` …), else the error as text: what log lines and reasons show. */
export const errorCode = (error: unknown): string => (error as NodeJS.ErrnoException)?.code ?? String(error);
