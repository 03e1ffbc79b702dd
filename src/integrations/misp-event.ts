// MISP: the IOC of an alert the community custom-misp.py looks up, and the event it writes back (rules 100620–100622).
//
// Follows SOCFortress's custom-misp.py (github.com/socfortress/Wazuh-Rules, MISP/, 2022-23: the script most MISP
// guides and copies use; the revision that sets `integration: "misp"` on found attributes) and its rules: 100620
// `integration` = misp, 100621 `misp.error`, 100622 `misp.category`. Read for facts, not copied.

import { field, type Alert } from '../alerts/alert.js';
import { isGlobalIp, parseIp } from './public-ip.js';

/** The location suffix (`[id] (name) ip->misp`) and the event's `integration` value. */
export const MISP = 'misp';
/** Longest value sent: a DNS name is at most 253 characters, a URL of a configured field at most this. */
export const MAX_MISP_VALUE_CHARS = 2048;
const MAX_DOMAIN_CHARS = 253;

/** The fields of MISP's first matching attribute the event copies; null when MISP knows nothing. */
export type MispMatch = { readonly event_id: unknown; readonly category: unknown; readonly value: unknown; readonly type: unknown } | null;

/** The Sysmon event types (rule.groups[2]) whose `hashes` carry the SHA-256 the script looks up. */
const SYSMON_HASH_EVENTS = new Set(['sysmon_event1', 'sysmon_event6', 'sysmon_event7', 'sysmon_event_15', 'sysmon_event_23', 'sysmon_event_24', 'sysmon_event_25']);
/** Python's `re.compile('\w{64}').search` on ASCII text: the first run of 64 word characters. */
const SHA256_RUN = /[A-Za-z0-9_]{64}/;

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const hashIn = (value: unknown): string | undefined => text(value)?.match(SHA256_RUN)?.[0];
const globalIp = (value: unknown): string | undefined => {
  const ip = text(value);
  return ip !== undefined && isGlobalIp(ip) ? ip : undefined;
};
const domain = (value: unknown): string | undefined => {
  const name = text(value);
  return name !== undefined && name.length <= MAX_DOMAIN_CHARS ? name : undefined;
};

/**
 * The value the script looks up, from `rule.groups[0]` (source) and `rule.groups[2]` (event type):
 * windows + Sysmon 1/6/7/15/23/24/25 → the first 64-character hash in `data.win.eventdata.hashes`;
 * windows + sysmon_event3 with `destinationIsIpv6` "false" → a global `destinationIp`; windows +
 * sysmon_event_22 → `queryName`; linux + sysmon_event3 with `destinationIsIpv6` "false" → a global
 * `data.eventdata.DestinationIp`; ossec + syscheck_entry_added → `syscheck.sha256_after`. Anything
 * else: undefined (the script exits without a lookup).
 */
export const scriptTarget = (alert: Alert): string | undefined => {
  const groups = field(alert, 'rule', 'groups');
  if (!Array.isArray(groups)) return undefined;
  const [source, , type] = groups as unknown[];
  const win = (key: string) => field(alert, 'data', 'win', 'eventdata', key);
  if (source === 'windows') {
    if (typeof type === 'string' && SYSMON_HASH_EVENTS.has(type)) return hashIn(win('hashes'));
    if (type === 'sysmon_event3') return win('destinationIsIpv6') === 'false' ? globalIp(win('destinationIp')) : undefined;
    if (type === 'sysmon_event_22') return domain(win('queryName'));
    return undefined;
  }
  if (source === 'linux' && type === 'sysmon_event3') {
    return field(alert, 'data', 'eventdata', 'destinationIsIpv6') === 'false' ? globalIp(field(alert, 'data', 'eventdata', 'DestinationIp')) : undefined;
  }
  if (source === 'ossec' && type === 'syscheck_entry_added') return hashIn(field(alert, 'syscheck', 'sha256_after'));
  return undefined;
};

/**
 * The values of one alert to look up, each once: the script's target, then each configured field
 * (ours: `options.fields`, e.g. `data.url`, `data.srcip`) — an address only when global, any other
 * text only up to MAX_MISP_VALUE_CHARS. Returns the values and the ones refused (for a debug line).
 */
export const mispTargets = (alert: Alert, fields: readonly string[] = []): { readonly values: string[]; readonly refused: string[] } => {
  const values: string[] = [];
  const refused: string[] = [];
  const add = (value: string) => {
    if (!values.includes(value)) values.push(value);
  };
  const scripted = scriptTarget(alert);
  if (scripted !== undefined) add(scripted);
  for (const path of fields) {
    const value = field(alert, ...path.split('.'));
    if (value === undefined || value === null || value === '') continue;
    if (typeof value !== 'string' || value.length > MAX_MISP_VALUE_CHARS) refused.push(typeof value === 'string' ? value : JSON.stringify(value));
    else if (parseIp(value) === undefined || isGlobalIp(value)) add(value);
  }
  return { values, refused };
};

/**
 * The script's event for a found attribute, key order included: `{"misp": {"event_id",
 * "category", "value", "type"}, "integration": "misp"}` (copied from MISP's first attribute; a
 * missing key is null where the script would crash). Nothing is written for an unknown value.
 */
export const mispEvent = (match: NonNullable<MispMatch>) => ({
  misp: { event_id: match.event_id ?? null, category: match.category ?? null, value: match.value ?? null, type: match.type ?? null },
  integration: MISP,
});

/** The script's event when MISP cannot be reached (rule 100621 matches `misp.error`). */
export const MISP_CONNECTION_ERROR = 'Connection Error to MISP API';
export const mispErrorEvent = () => ({ misp: { error: MISP_CONNECTION_ERROR }, integration: MISP });
