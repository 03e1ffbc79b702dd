// VirusTotal answers (API v2 file/report, API v3 files/{id}) read into one report, and their verdicts.

import { isAlert } from '../alerts/alert.js';
import type { HttpResponse, Verdict } from '../delivery/step.js';
import type { VirusTotalApiVersion } from './enrichment-options.js';
import { DEFAULT_RATE_LIMIT_WAIT_MS, retryAfterMs } from '../delivery/retry-after.js';

/**
 * What VirusTotal knows about a hash, in the terms of Wazuh's result event. `details` holds the
 * keys Wazuh copies from a v2 answer, in its order (sha1, scan_date, positives, total, permalink),
 * only those present in the answer.
 */
export type VirusTotalReport =
  | { readonly found: 0 }
  | { readonly found: 1; readonly malicious: 0 | 1; readonly details: Readonly<Record<string, unknown>> };

const NOT_FOUND: VirusTotalReport = { found: 0 };
const V2_DETAILS = ['sha1', 'scan_date', 'positives', 'total', 'permalink'] as const;
/** The v3 analysis categories that are a verdict of an engine (the v2 "total" counted engines that scanned). */
const V3_VERDICTS = ['malicious', 'suspicious', 'undetected', 'harmless'] as const;
/** Where v3 reports are shown to humans (the v2 `permalink` form). */
const GUI_BASE = 'https://www.virustotal.com/gui/file/';

/**
 * Reads a v2 `file/report` answer. `response_code` 0 → not found; −2 ("queued for analysis", where
 * Wazuh crashes) → not found as well: there is no result yet; any other number → found (as Wazuh's
 * `in_database`), with `malicious` = positives > 0 and the present detail keys copied. Returns
 * undefined when the answer has no numeric `response_code`.
 */
export const readV2Answer = (json: unknown): VirusTotalReport | undefined => {
  if (!isAlert(json) || typeof json['response_code'] !== 'number') return undefined;
  if (json['response_code'] === 0 || json['response_code'] === -2) return NOT_FOUND;
  const details: Record<string, unknown> = {};
  for (const key of V2_DETAILS) if (json[key] !== undefined) details[key] = json[key];
  const positives = json['positives'];
  return { found: 1, malicious: typeof positives === 'number' && positives > 0 ? 1 : 0, details };
};

const pad = (n: number) => String(n).padStart(2, '0');
/** v2's scan_date form, `2022-11-17 17:15:04` (UTC), from v3's epoch seconds. */
const scanDate = (epochSeconds: number): string => {
  const d = new Date(epochSeconds * 1000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
};

/**
 * Reads a v3 `files/{id}` answer (200) into v2 terms: positives = last_analysis_stats.malicious;
 * total = malicious + suspicious + undetected + harmless (engines that gave a verdict);
 * sha1 = attributes.sha1; scan_date = last_analysis_date as `YYYY-MM-DD HH:MM:SS` UTC; permalink =
 * the GUI page `https://www.virustotal.com/gui/file/<sha256>/detection/f-<sha256>-<date>` (v2's form).
 * Returns undefined when the answer has no `data.attributes` object.
 */
export const readV3Answer = (json: unknown): VirusTotalReport | undefined => {
  const data = isAlert(json) ? json['data'] : undefined;
  const attributes = isAlert(data) ? data['attributes'] : undefined;
  if (!isAlert(data) || !isAlert(attributes)) return undefined;
  const stats = isAlert(attributes['last_analysis_stats']) ? attributes['last_analysis_stats'] : {};
  const count = (key: string) => (typeof stats[key] === 'number' ? (stats[key] as number) : 0);
  const positives = count('malicious');
  const sha256 = typeof data['id'] === 'string' ? data['id'] : typeof attributes['sha256'] === 'string' ? attributes['sha256'] : undefined;
  const date = typeof attributes['last_analysis_date'] === 'number' ? attributes['last_analysis_date'] : undefined;
  const details: Record<string, unknown> = {};
  if (attributes['sha1'] !== undefined) details['sha1'] = attributes['sha1'];
  if (date !== undefined) details['scan_date'] = scanDate(date);
  details['positives'] = positives;
  details['total'] = V3_VERDICTS.reduce((sum, key) => sum + count(key), 0);
  if (sha256 !== undefined) details['permalink'] = date === undefined ? `${GUI_BASE}${sha256}` : `${GUI_BASE}${sha256}/detection/f-${sha256}-${date}`;
  return { found: 1, malicious: positives > 0 ? 1 : 0, details };
};

const parseJson = (body: string): unknown => {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
};

/** A verdict, and the report when the lookup is delivered. */
export interface VirusTotalClassification {
  readonly verdict: Verdict;
  readonly report?: VirusTotalReport;
}

const rateLimited = (response: HttpResponse): Verdict => ({
  kind: 'retry',
  reason: `virustotal rate limit (${response.status})`,
  afterMs: retryAfterMs(response.headers) ?? DEFAULT_RATE_LIMIT_WAIT_MS,
  pause: true,
});

/**
 * Classifies an answer. 200 with a readable report → delivered (v3: 404 too, as "not found");
 * 204 (v2's quota answer) and 429 → retry after Retry-After (else 60 s) with the destination
 * paused; 408 and 5xx → retry; 401/403 → drop (credentials); anything else, or an unreadable
 * 200 → drop. Never throws.
 */
export const classifyVirusTotal = (version: VirusTotalApiVersion, response: HttpResponse): VirusTotalClassification => {
  const { status } = response;
  if (status === 200) {
    const json = parseJson(response.body);
    const report = version === 'v2' ? readV2Answer(json) : readV3Answer(json);
    if (report !== undefined) return { verdict: { kind: 'delivered', detail: report.found ? 'found' : 'not found' }, report };
    return { verdict: { kind: 'drop', reason: `virustotal answered 200 with ${json === undefined ? 'a body that is not JSON' : 'JSON that is not a report'}` } };
  }
  if (status === 404 && version === 'v3') return { verdict: { kind: 'delivered', detail: 'not found' }, report: NOT_FOUND };
  if (status === 204 || status === 429) return { verdict: rateLimited(response) };
  if (status === 401 || status === 403) return { verdict: { kind: 'drop', reason: `virustotal refused the API key (${status})` } };
  if (status === 408 || status >= 500) {
    const afterMs = retryAfterMs(response.headers);
    return { verdict: afterMs === undefined ? { kind: 'retry', reason: `virustotal answered ${status}` } : { kind: 'retry', reason: `virustotal answered ${status}`, afterMs } };
  }
  return { verdict: { kind: 'drop', reason: `virustotal answered ${status}` } };
};
