// The follower's log lines about alerts.json going away and coming back: INFO for a rotation, WARNING when it stays away.

import { log } from '../telemetry/log.js';
import { GONE_WARNING_MS } from './follow-options.js';

/**
 * analysisd's daily rotation unlinks and re-links the name: that is an INFO; still missing
 * `warnAfterMs` later, a WARNING (once). A file missing at open is warned once until it is found.
 */
export class PresenceLog {
  readonly #path: string;
  readonly #warnAfterMs: number;
  #goneSince: number | undefined;
  #goneWarned = false;
  #missingWarned = false;

  constructor(path: string, warnAfterMs = GONE_WARNING_MS) {
    this.#path = path;
    this.#warnAfterMs = warnAfterMs;
  }

  /** The open file's name is gone (the follower keeps reading the open file until a new one appears). */
  gone(offset: number): void {
    const fields = { path: this.#path, offset };
    if (this.#goneSince === undefined) log.info('alerts file removed (a rotation?); reading the open file until a new one appears', fields);
    this.#goneSince ??= Date.now();
    if (!this.#goneWarned && Date.now() - this.#goneSince >= this.#warnAfterMs) {
      this.#goneWarned = true;
      log.warning('alerts file still missing; reading the open file until a new one appears', fields);
    }
  }

  /** The file could not be opened because it does not exist. */
  missing(): void {
    if (this.#missingWarned) return;
    this.#missingWarned = true;
    log.warning('alerts file not found; waiting for it', { path: this.#path });
  }

  /** The file is open again. */
  opened(): void {
    this.#goneSince = undefined;
    this.#goneWarned = false;
    if (this.#missingWarned) log.info('alerts file found; reading it from the start', { path: this.#path });
    this.#missingWarned = false;
  }
}
