// OpenCTI: what misje/wazuh-opencti's custom-opencti.py looks up in an alert (observable values and STIX patterns).
//
// Follows misje/wazuh-opencti custom-opencti.py (2024, OpenCTI ≥ 5.12.24 FilterGroup filters) and its rules
// 100210–100215: read for facts, not copied. Where the script crashes (a missing key, an invalid address) nothing
// is looked up here either; the audit URL pattern (the script sends the literal 'x') carries the URL.

import { field, isAlert, type Alert } from '../alerts/alert.js';
import { explodedIp, isGlobalIp, parseIp } from './public-ip.js';

/** Longest value looked up (a URL, a domain from a DNS query): longer ones are refused. */
export const MAX_OPENCTI_VALUE_CHARS = 2048;
/** Most DNS answers / URLs of one alert looked up (the alert is attacker input). */
export const MAX_OPENCTI_VALUES = 16;

/** One lookup: the observable filter key and values, and the indicator patterns (STIX) sent. */
export interface OpenCtiTarget {
  readonly key: 'value' | 'hashes.SHA256';
  readonly values: readonly string[];
  readonly patterns: readonly string[];
}

const SHA256_GROUP = /^sysmon_(?:(?:event_?|eid)(?:1|6|7|15|23|24|25)|process-anomalies)/;
const EVENT3_GROUP = /^sysmon_(?:event|eid)3/;
const EVENT22_GROUP = /^sysmon_(?:event_|eid)22/;
const SHA256 = /[A-Fa-f0-9]{64}/;
/** Entries of Sysmon's queryResults that are not `type: N …` records. */
const DNS_RESULT = /type:\s*\d+\s*[^;]+|([^\s;]+)/g;

/** A STIX string literal: `\` and `'` escaped (alert text never closes the pattern's quotes). */
const stix = (value: string): string => `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
export const ipPattern = (ip: string): string => `[${parseIp(ip)?.version === 6 ? 'ipv6' : 'ipv4'}-addr:value = ${stix(ip)}]`;
export const filePattern = (sha256: string): string => `[file:hashes.'SHA-256' = ${stix(sha256)}]`;
const namePatterns = (name: string): string[] => [`[domain-name:value = ${stix(name)}]`, `[hostname:value = ${stix(name)}]`];

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' && value.length <= MAX_OPENCTI_VALUE_CHARS ? value : undefined);
const hash = (sha256: string): OpenCtiTarget => ({ key: 'hashes.SHA256', values: [sha256], patterns: [filePattern(sha256)] });
const oneOf = (data: unknown, ...keys: string[]): unknown => keys.map((k) => field(data, k)).find((v) => v !== undefined);

/** Sysmon's queryResults: the A/AAAA answers, IPv4-mapped as IPv4, exploded, global only; none if any is not an address (as the script). */
export const dnsResults = (results: unknown): string[] => {
  if (typeof results !== 'string') return [];
  const found = [...results.matchAll(DNS_RESULT)].map((m) => m[1]).filter((r): r is string => r !== undefined && r !== '');
  const exploded = found.map(explodedIp);
  if (exploded.some((e) => e === undefined)) return [];
  return (exploded as string[]).filter(isGlobalIp).slice(0, MAX_OPENCTI_VALUES);
};

/** Whether the alert holds a packetbeat DNS query (`data.method` "QUERY" and `data.dns`). */
export const packetbeatDns = (alert: Alert): boolean => field(alert, 'data', 'method') === 'QUERY' && field(alert, 'data', 'dns') !== undefined;

const nameLookup = (name: string, addresses: readonly string[]): OpenCtiTarget => ({ key: 'value', values: [name, ...addresses], patterns: [...namePatterns(name), ...addresses.map(ipPattern)] });

const idsTarget = (alert: Alert): OpenCtiTarget | undefined => {
  if (packetbeatDns(alert)) {
    const name = text(field(alert, 'data', 'dns', 'question', 'name'));
    const answers = field(alert, 'data', 'dns', 'answers');
    const addresses = (Array.isArray(answers) ? answers : [])
      .filter((a) => isAlert(a) && (a['type'] === 'A' || a['type'] === 'AAAA') && typeof a['data'] === 'string' && isGlobalIp(a['data']))
      .map((a) => (a as { data: string }).data)
      .slice(0, MAX_OPENCTI_VALUES);
    return name === undefined ? undefined : nameLookup(name, addresses);
  }
  const data = field(alert, 'data');
  // Python's next(filter(...)): destination first; an invalid address met before a global one raises (nothing looked up).
  for (const candidate of [oneOf(data, 'dest_ip', 'dstip'), oneOf(data, 'src_ip', 'srcip')]) {
    if (candidate === undefined || candidate === null || candidate === '') continue;
    if (typeof candidate !== 'string' || parseIp(candidate) === undefined) return undefined;
    if (isGlobalIp(candidate)) return { key: 'value', values: [candidate], patterns: [ipPattern(candidate)] };
  }
  return undefined;
};

/**
 * The script's lookup for an alert, by its rule groups, first rule that applies: Sysmon events with
 * a SHA-256 (1, 6, 7, 15, 23, 24, 25, process anomalies) → the hash in `data.win.eventdata.hashes`;
 * Sysmon 3 → a global `destinationIp`; group `ids` → a packetbeat DNS query (name and global A/AAAA
 * answers), else the first global of destination/source IP; Sysmon 22 → `queryName` and its global
 * `queryResults`; FIM added/modified → `syscheck.sha256_after`; osquery → `data.osquery.columns.sha256`;
 * `audit_command` → the execve arguments starting with "http". Undefined: nothing to look up.
 */
export const openCtiTarget = (alert: Alert): OpenCtiTarget | undefined => {
  const raw = field(alert, 'rule', 'groups');
  const groups = Array.isArray(raw) ? raw.filter((g): g is string => typeof g === 'string') : [];
  const win = (key: string) => field(alert, 'data', 'win', 'eventdata', key);
  if (groups.some((g) => SHA256_GROUP.test(g))) {
    const found = typeof win('hashes') === 'string' ? (win('hashes') as string).match(SHA256)?.[0] : undefined;
    return found === undefined ? undefined : hash(found);
  }
  if (groups.some((g) => EVENT3_GROUP.test(g))) {
    const ip = text(win('destinationIp'));
    return ip !== undefined && isGlobalIp(ip) ? { key: 'value', values: [ip], patterns: [ipPattern(ip)] } : undefined;
  }
  if (groups.includes('ids')) return idsTarget(alert);
  if (groups.some((g) => EVENT22_GROUP.test(g))) {
    const name = text(win('queryName'));
    return name === undefined ? undefined : nameLookup(name, dnsResults(win('queryResults')));
  }
  if (groups.includes('syscheck_file') && (groups.includes('syscheck_entry_added') || groups.includes('syscheck_entry_modified'))) {
    const sha256 = text(field(alert, 'syscheck', 'sha256_after'));
    return sha256 === undefined ? undefined : hash(sha256);
  }
  if (groups.includes('osquery') || groups.includes('osquery_file')) {
    const sha256 = text(field(alert, 'data', 'osquery', 'columns', 'sha256'));
    return sha256 === undefined ? undefined : hash(sha256);
  }
  if (groups.includes('audit_command')) {
    const execve = field(alert, 'data', 'audit', 'execve');
    const urls = isAlert(execve) ? Object.values(execve).filter((v): v is string => text(v) !== undefined && (v as string).startsWith('http')).slice(0, MAX_OPENCTI_VALUES) : [];
    return urls.length === 0 ? undefined : { key: 'value', values: urls, patterns: urls.map((u) => `[url:value = ${stix(u)}]`) };
  }
  return undefined;
};
