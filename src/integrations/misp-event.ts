// MISP: the IOCs the wazuh-misp-integration custom-misp.py extracts from an alert, and the one event it writes back.
//
// Follows the async "wazuh-misp-integration" custom-misp.py (httpx, with its retry queue): SUPPORTED_KEYS, one
// event per alert aggregating every IOC (`ioc`, `result_flags`, `misp_response`, `original_alert`, `integration`,
// `threat`), or its `misp_error_response` event; the rules 100620–100624 read these fields. Read for facts, not copied.

import { field, isAlert, type Alert } from '../alerts/alert.js';

/** The location suffix (`[id] (name) ip->misp`) and the event's `integration` value. */
export const MISP = 'misp';
/** Longest value sent (ours: the script sends any length); a longer one is refused, logged. */
export const MAX_MISP_VALUE_CHARS = 2048;

/** The script's SUPPORTED_KEYS: each IOC key and the alert fields (under `data`, dotted paths) it is read from, in order. */
export const MISP_IOC_FIELDS: readonly (readonly [string, readonly string[]])[] = [
  ['ip_src', ['src_ip', 'source_ip', 'srcip', 'SourceIP', 'aws.source_ip_address', 'client_ip', 'clientIP_s', 'IPAddress', 'originalHost_s', 'CallerIPAddress']],
  ['ip_dst', ['dst_ip', 'destination_ip', 'dstip', 'DestinationIP', 'remote_ip', 'external_ip']],
  ['sha1', ['sha1', 'sha1sum', 'file_sha1', 'ciscoendpoint.file.identity.sha1']],
  ['sha256', ['sha256', 'sha256sum', 'file_sha256', 'ciscoendpoint.file.identity.sha256']],
  ['md5', ['md5', 'md5sum', 'file_md5', 'ciscoendpoint.file.identity.md5']],
  ['url', ['url', 'source_url', 'TargetURL', 'download_url', 'http_url']],
  ['domain', ['domain', 'hostname', 'base_domain', 'fqdn', 'TargetDestination', 'Fqdn_s', 'win.eventdata.queryName']],
];

/** What the event copies of MISP's first attribute when its value is the IOC (the script's `attr_info`). */
export interface MispAttribute {
  readonly value: unknown;
  readonly comment: unknown;
  readonly uuid: unknown;
  readonly timestamp: unknown;
  readonly event_id: unknown;
  readonly event_org_id: unknown;
  readonly event_info: unknown;
  readonly threat_level_id: unknown;
}

/** MISP's answer for one value: 200 → the matching attribute or null (cached); another status → its error. */
export type MispAnswer = { readonly kind: 'found'; readonly match: MispAttribute | null } | { readonly kind: 'error'; readonly status: number; readonly message: unknown; readonly url: unknown };

/** Python truthiness of a JSON value (the script keeps a candidate only when `if val:`). */
const truthy = (value: unknown): boolean =>
  !(value === undefined || value === null || value === false || value === 0 || value === '' || (Array.isArray(value) && value.length === 0) || (isAlert(value) && Object.keys(value).length === 0));

/**
 * The IOCs of one alert in the script's order: for each key, the first candidate with a truthy value
 * under `data` (dotted path), else `syscheck["<candidate>_after"]` for an undotted candidate. The
 * script sends any value; ours sends text up to MAX_MISP_VALUE_CHARS and refuses others (listed for
 * a debug line: a list or object makes the script crash, a number is never an attribute's value).
 */
export const mispIocs = (alert: Alert): { readonly iocs: (readonly [string, string])[]; readonly refused: string[] } => {
  const iocs: (readonly [string, string])[] = [];
  const refused: string[] = [];
  for (const [key, candidates] of MISP_IOC_FIELDS) {
    for (const candidate of candidates) {
      let value = field(alert, 'data', ...candidate.split('.'));
      if ((value === undefined || value === null) && !candidate.includes('.')) value = field(alert, 'syscheck', `${candidate}_after`);
      if (!truthy(value)) continue;
      if (typeof value === 'string' && value.length <= MAX_MISP_VALUE_CHARS) iocs.push([key, value]);
      else refused.push(typeof value === 'string' ? value : JSON.stringify(value));
      break;
    }
  }
  return { iocs, refused };
};

/** The distinct values of the IOCs, first appearance first (the order the event lists them in). */
export const mispValues = (iocs: readonly (readonly [string, string])[]): string[] => [...new Set(iocs.map(([, value]) => value))];

/** The script's `filtered_alert`: what the event keeps of the alert (missing fields are null). */
const originalAlert = (alert: Alert) => ({
  id: field(alert, 'id') ?? null,
  'manager.name': field(alert, 'manager', 'name') ?? null,
  'rule.groups': field(alert, 'rule', 'groups') ?? null,
  'rule.id': field(alert, 'rule', 'id') ?? null,
  'rule.level': field(alert, 'rule', 'level') ?? null,
  timestamp: field(alert, 'timestamp') ?? null,
  'rule.description': field(alert, 'rule', 'description') ?? null,
});

/**
 * The script's event for one alert, key order included, given every value's answer: keys grouped by
 * value (first appearance), `"<key>_misp"` true when MISP's first attribute has exactly that value.
 * Any error answer → `{misp_error_response: {key: {status, message, url}}, integration, threat}`;
 * else `{ioc, result_flags, misp_response, original_alert, integration, threat: "MISP match"}`.
 * Undefined when nothing matched and nothing failed (the script writes nothing).
 */
export const mispAlertEvent = (alert: Alert, iocs: readonly (readonly [string, string])[], answers: ReadonlyMap<string, MispAnswer>): Record<string, unknown> | undefined => {
  const ioc: Record<string, string> = {};
  const flags: Record<string, boolean> = {};
  const response: Record<string, MispAttribute | Record<string, never>> = {};
  const errors: Record<string, { status: number; message: unknown; url: unknown }> = {};
  for (const value of mispValues(iocs)) {
    const answer = answers.get(value);
    const match = answer?.kind === 'found' ? answer.match : null;
    for (const [key] of iocs.filter(([, v]) => v === value)) {
      if (answer?.kind === 'error') errors[key] = { status: answer.status, message: answer.message, url: answer.url };
      ioc[key] = value;
      flags[`${key}_misp`] = match !== null;
      response[key] = match ?? {};
    }
  }
  const matched = Object.values(flags).some(Boolean);
  const failed = Object.keys(errors).length > 0;
  if (!matched && !failed) return undefined;
  const enrichment = failed ? { misp_error_response: errors } : { ioc, result_flags: flags, misp_response: response, original_alert: originalAlert(alert) };
  return { ...enrichment, integration: MISP, threat: matched ? 'MISP match' : 'MISP error' };
};
