// The enrichment event of Wazuh's Maltiverse script (reference §6.5): ECS threat fields from one IoC answer.

import { isAlert } from '../alerts/alert.js';

/** The integration name: the event's `integration` value and the location of manager events. */
export const MALTIVERSE = 'maltiverse';

type JsonObject = Readonly<Record<string, unknown>>;

/** Python's sort order for strings: by code point (JS's default compares UTF-16 units). */
const byCodePoint = (a: string, b: string): number => {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i]?.codePointAt(0) ?? 0) - (y[i]?.codePointAt(0) ?? 0);
    if (d !== 0) return d;
  }
  return x.length - y.length;
};

/** `", ".join(sorted(set(values)))`, over the string values only (Wazuh crashes on others). */
const joinSortedUnique = (values: readonly unknown[]): string =>
  [...new Set(values.filter((v): v is string => typeof v === 'string'))].sort(byCodePoint).join(', ');

/** Python truthiness of a JSON value. */
export const truthy = (value: unknown): boolean => {
  if (Array.isArray(value)) return value.length > 0;
  if (isAlert(value)) return Object.keys(value).length > 0;
  return value !== undefined && value !== null && value !== false && value !== 0 && value !== '';
};

/** ECS threat.indicator.type: ip → ipv4-addr (ipv6-addr when ip_version is 6), hostname → domain-name, sample → file, url → url; else null. */
export const ecsType = (ioc: JsonObject): string | null => {
  switch (ioc['type']) {
    case 'ip':
      return ioc['ip_version'] === 6 ? 'ipv6-addr' : 'ipv4-addr';
    case 'hostname':
      return 'domain-name';
    case 'sample':
      return 'file';
    case 'url':
      return 'url';
    default:
      return null;
  }
};

/**
 * The STIX confidence of Wazuh's get_ioc_confidence: no classification → "Not Specified";
 * malicious → High (more than one blacklist entry) or Medium; suspicious → Medium or Low;
 * neutral/whitelist → Low or "None"; any other classification → null (Wazuh returns Python None).
 */
export const confidence = (ioc: JsonObject): string | null => {
  const classification = ioc['classification'];
  if (!truthy(classification)) return 'Not Specified';
  const many = (Array.isArray(ioc['blacklist']) ? ioc['blacklist'].length : 0) > 1;
  if (classification === 'malicious') return many ? 'High' : 'Medium';
  if (classification === 'suspicious') return many ? 'Medium' : 'Low';
  if (classification === 'neutral' || classification === 'whitelist') return many ? 'Low' : 'None';
  return null;
};

/**
 * threat.software from the LAST `external_references` entry (over every blacklist entry) whose
 * `source_name` is `mitre-attack` and whose `external_id` starts with `S`: `{id, reference: url,
 * name: description}`; undefined when there is none.
 */
export const mitreSoftware = (blacklist: readonly unknown[]): { id: string; reference: unknown; name: unknown } | undefined => {
  let software: { id: string; reference: unknown; name: unknown } | undefined;
  for (const entry of blacklist) {
    const references = isAlert(entry) ? entry['external_references'] : undefined;
    if (!Array.isArray(references)) continue;
    for (const ref of references) {
      if (!isAlert(ref) || ref['source_name'] !== 'mitre-attack') continue;
      const id = ref['external_id'];
      if (typeof id === 'string' && id.startsWith('S')) software = { id, reference: ref['url'] ?? null, name: ref['description'] ?? null };
    }
  }
  return software;
};

/**
 * Wazuh's event for one truthy IoC answer, key order included: `integration`, `alert_id`,
 * `maltiverse: {source: <answer>}`, `threat: {indicator: {name, type, description, provider,
 * first_seen, modified_at, last_seen, confidence, sightings, reference[, ip]}[, software]}`.
 * `name` is the looked-up value; `ref` (the URL checksum for URLs) replaces it in `reference`.
 * Missing answer fields are `null`; description/provider use the string values of `blacklist` only.
 */
export const maltiverseEvent = (alertId: unknown, ioc: JsonObject, name: string, ref?: string) => {
  const blacklist: readonly unknown[] = Array.isArray(ioc['blacklist']) ? ioc['blacklist'] : [];
  const entries = blacklist.filter(isAlert);
  const type = ioc['type'];
  const indicator: Record<string, unknown> = {
    name,
    type: ecsType(ioc),
    description: joinSortedUnique(entries.map((b) => b['description'])),
    provider: joinSortedUnique(entries.map((b) => b['source'])),
    first_seen: ioc['creation_time'] ?? null,
    modified_at: ioc['modification_time'] ?? null,
    last_seen: ioc['modification_time'] ?? null,
    confidence: confidence(ioc),
    sightings: blacklist.length,
    reference: truthy(type) ? `https://maltiverse.com/${String(type)}/${ref ?? name}` : '',
  };
  if (type === 'ip') indicator['ip'] = name;
  const software = mitreSoftware(blacklist);
  return {
    integration: MALTIVERSE,
    alert_id: alertId ?? null,
    maltiverse: { source: ioc },
    threat: software === undefined ? { indicator } : { indicator, software },
  };
};
