// Why a dead letter is dead, as a short label (metrics, dlq list) and whether the daemon may send it again by itself.

/** What the pipeline knows of a failure when it writes the dead letter (or what an older record still tells). */
export interface FailureFacts {
  readonly reason: string;
  readonly status?: number | undefined;
  /** The failing step ran out of retries on a retryable answer (not a final refusal); undefined in records of older versions. */
  readonly transient?: boolean | undefined;
  /** The failing step was a custom script. */
  readonly script?: boolean | undefined;
  readonly timedOut?: boolean | undefined;
}

/** The labels of `integratord_dead_letters{cause}` and of `dlq list`. */
export type DeadLetterCause = 'connection' | 'timeout' | 'http_408' | 'http_429' | 'http_5xx' | 'http_4xx' | 'http_other' | 'invalid_request' | 'script';

export interface CauseOf {
  readonly cause: DeadLetterCause;
  /** True when the cause is transient: the daemon redrives it on its schedule; false: it stays for a person. */
  readonly retryable: boolean;
}

const retryableStatus = (status: number): boolean => status === 408 || status === 429 || (status >= 500 && status < 600 && status !== 501);

/**
 * The cause of a failure. Transient (redriven automatically): connection errors, timeouts, 408, 429 and
 * 5xx except 501 — what the integrations retry — when the step ran out of retries. Permanent (kept for
 * a person): any other answer (4xx: the service refused this alert for good), a request that could not
 * be built (invalid template), and custom scripts: Wazuh runs a script once per alert and a script that
 * posted before it failed would post again, so only an operator's `dlq redrive` runs it again.
 */
export const causeOf = (facts: FailureFacts): CauseOf => {
  if (/^cannot build /.test(facts.reason)) return { cause: 'invalid_request', retryable: false };
  if (facts.script === true) return { cause: 'script', retryable: false };
  const { status } = facts;
  if (status !== undefined) {
    const cause: DeadLetterCause =
      status === 408 ? 'http_408' : status === 429 ? 'http_429' : status >= 500 && status < 600 ? 'http_5xx' : status >= 400 && status < 500 ? 'http_4xx' : 'http_other';
    return { cause, retryable: facts.transient ?? retryableStatus(status) };
  }
  const timeout = facts.timedOut === true || /\btimed out\b|\btimeout\b/i.test(facts.reason);
  return { cause: timeout ? 'timeout' : 'connection', retryable: facts.transient ?? true };
};
