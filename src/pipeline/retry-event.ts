// What an app is told each time a delivery is retried (block, alert, attempt, wait, why), and the guard that tells it.

import { errorMessage } from '../errors.js';
import { log } from '../telemetry/log.js';

/** One failed attempt that will be tried again (createIntegrator's and deliver's `onRetry`). */
export interface RetryEvent {
  /** The block: its position in ossec.conf, its `<name>`, its stable id (as in outcomes). */
  readonly block: number;
  readonly integration: string;
  readonly blockId: string;
  /** The alert's `id`, when it has one. */
  readonly id?: string;
  /** The attempt that failed, 1-based: the next one is `attempt + 1`. */
  readonly attempt: number;
  /** How long until the next attempt (backoff, or the service's Retry-After). */
  readonly delayMs: number;
  /** Why it failed (`HTTP 503: …`, `connection refused (ECONNREFUSED)`, `timed out after 10 s`): secrets scrubbed, never the URL. */
  readonly reason: string;
  /** The HTTP status, when the service answered. */
  readonly status?: number;
  /** Why no answer came, when none did: an HTTP failure code (`HTTP_CONNECTION_REFUSED`, `HTTP_TIMEOUT`, …) or `TIMEOUT`. */
  readonly code?: string;
}

export type RetryListener = (event: RetryEvent) => void;

/** The code of an attempt that ran past its deadline: `HTTP_TIMEOUT` for a request, `TIMEOUT` for a script, e-mail or write-back. */
export const timeoutCode = (stepKind: string): string => (stepKind === 'http' ? 'HTTP_TIMEOUT' : 'TIMEOUT');

/** Tells the app's listener; a listener that throws is logged and never breaks the delivery. */
export const notifyRetry = (listener: RetryListener, event: RetryEvent): void => {
  try {
    listener(event);
  } catch (error) {
    log.warning('RetryListenerFailed', { block: event.block, integration: event.integration, alert_id: event.id, error: errorMessage(error) });
  }
};
