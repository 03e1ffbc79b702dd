// Where enrichment events go: Wazuh's queue socket, or a JSON Lines file where no Wazuh runs.

import type { Verdict } from './step.js';

/**
 * Sends one write-back message (`1:<location>:<json>`). Resolves with a Verdict: `delivered`,
 * `retry` (socket missing, analysisd down or busy) or `drop` (message too long). Never throws.
 */
export interface QueueWriter {
  send(message: string, signal: AbortSignal): Promise<Verdict>;
  close(): Promise<void>;
}
