// The events Wazuh's VirusTotal script writes back: the result of a lookup, and its error events.

import { field, type Alert } from '../alerts/alert.js';
import type { VirusTotalReport } from './virustotal-answer.js';

/** The integration name: the events' `integration` value and the location of error events. */
export const VIRUSTOTAL = 'virustotal';

/** A field of the alert as Wazuh copies it; `null` where Wazuh's script would crash on a KeyError. */
const copied = (alert: Alert, ...path: string[]): unknown => field(alert, ...path) ?? null;

/**
 * Wazuh's result event, key order included: `{"virustotal": {"found", "malicious", "source":
 * {"alert_id", "file", "md5", "sha1"}, then for a found hash "sha1", "scan_date", "positives",
 * "total", "permalink"}, "integration": "virustotal"}`. Source values are the alert's own, copied
 * as they are; a missing `id`, `syscheck.path` or `syscheck.sha1_after` (Wazuh: KeyError, exit 1,
 * no event) is sent as `null`.
 */
export const resultEvent = (alert: Alert, report: VirusTotalReport) => ({
  virustotal: {
    found: report.found,
    malicious: report.found ? report.malicious : 0,
    source: {
      alert_id: copied(alert, 'id'),
      file: copied(alert, 'syscheck', 'path'),
      md5: copied(alert, 'syscheck', 'md5_after'),
      sha1: copied(alert, 'syscheck', 'sha1_after'),
    },
    ...(report.found ? report.details : {}),
  },
  integration: VIRUSTOTAL,
});

/** Wazuh's error event: `{"virustotal": {"error": <code>, "description": …}, "integration": "virustotal"}`. */
export const errorEvent = (error: number, description: string) => ({ virustotal: { error, description }, integration: VIRUSTOTAL });

/** Wazuh's error descriptions, verbatim (rules 87101, 87102, 87106 match the error codes). */
export const RATE_LIMIT_DESCRIPTION = 'Error: Public API request rate limit reached';
export const CREDENTIALS_DESCRIPTION = 'Error: Check credentials';
export const TIMEOUT_DESCRIPTION = 'Error: API request timed out';
export const FAILURE_DESCRIPTION = 'Error: API request fail';

/** A timeout told by its wording, when the caller does not say `timedOut` (Wazuh sends 408 only for those). */
const TIMED_OUT = /time[ds]?[ -]?out/i;

/**
 * The error event Wazuh would send when a lookup is given up, or undefined when Wazuh sends none.
 * 204 and 429 (retried first, with the block paused) → the rate-limit event, error 204 (rule
 * 87101; v3 signals its quota with 429); 401 and 403 → the credentials event, error 403 (rule
 * 87102; v3 answers 401 for a bad key); no status and a timeout reason → 408 (rule 87106); no
 * status otherwise (connection error: Wazuh exits 4 without an event) → none; 200 (an unreadable
 * report: Wazuh crashes) → none; any other status → `"Error: API request fail"` with that status.
 */
export const giveUpEvent = (last: { readonly status?: number; readonly reason: string; readonly timedOut?: boolean }) => {
  const { status } = last;
  if (status === undefined) return (last.timedOut ?? TIMED_OUT.test(last.reason)) ? errorEvent(408, TIMEOUT_DESCRIPTION) : undefined;
  if (status === 204 || status === 429) return errorEvent(204, RATE_LIMIT_DESCRIPTION);
  if (status === 401 || status === 403) return errorEvent(403, CREDENTIALS_DESCRIPTION);
  if (status === 200) return undefined;
  return errorEvent(status, FAILURE_DESCRIPTION);
};
