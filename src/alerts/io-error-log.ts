// Logs the I/O errors of a followed file once per distinct error (not once per retry), and the recovery.

import { log } from '../telemetry/log.js';
import { errorCode } from '../errors.js';

/**
 * A follower retries a failing file every poll; this turns that into one WARNING per distinct error
 * (repeats go to debug) and one INFO when reading works again: no error storm in ossec.log.
 */
export class IoErrorLog {
  readonly #path: string;
  #last: string | undefined;

  constructor(path: string) {
    this.#path = path;
  }

  /** Reports a failed open/read/stat at `offset`. */
  failed(error: unknown, offset: number): void {
    const code = errorCode(error);
    const fields = { path: this.#path, offset, error: code };
    if (code !== this.#last) log.warning('cannot read the alerts file; retrying', fields);
    else log.debug('still cannot read the alerts file', fields);
    this.#last = code;
  }

  /** Reports a success; logs the recovery once after failures. */
  succeeded(): void {
    if (this.#last === undefined) return;
    log.info('alerts file readable again', { path: this.#path });
    this.#last = undefined;
  }
}
