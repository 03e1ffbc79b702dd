// Error classes with stable codes: callers check `code`, never the message.

export type ErrorCode =
  | 'INTEGRATORD_CONFIG'
  | 'INTEGRATORD_USAGE'
  | 'INTEGRATORD_IO'
  | 'INTEGRATORD_DELIVERY'
  | 'INTEGRATORD_UNSUPPORTED';

/** Base error of the project; `code` is stable across releases, the message is for humans. */
export class IntegratordError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IntegratordError';
    this.code = code;
  }
}
