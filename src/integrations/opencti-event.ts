// The `opencti` events custom-opencti.py writes back (indicator_pattern_match, observable_with_indicator, …) from OpenCTI's answer.

import { field, isAlert, type Alert } from '../alerts/alert.js';
import type { OpenCtiTarget } from './opencti-targets.js';
import { packetbeatDns } from './opencti-targets.js';

/** The location suffix (`[id] (name) ip->opencti`) and the events' `integration` value (rule 100210). */
export const OPENCTI = 'opencti';
/** The script's max_ind_alerts: events for at most this many direct indicators per lookup. */
export const MAX_INDICATOR_EVENTS = 3;
/** Longest string and list kept in an event (a write-back must stay far below analysisd's 64 KiB). */
export const MAX_EVENT_STRING_CHARS = 1024;
export const MAX_EVENT_LIST_ITEMS = 32;

type Json = Record<string, unknown>;
/** One event as the script builds it, before its `source` (the alert's context) is added. */
export type OpenCtiEvent = { readonly integration: string; readonly opencti: Json };

const isRecord = isAlert as (u: unknown) => u is Json;
const nodes = (connection: unknown): Json[] => {
  const edges = field(connection, 'edges');
  return Array.isArray(edges) ? edges.map((e) => field(e, 'node')).filter(isRecord) : [];
};

/** Python's remove_empties: drops None, '', 0, [] and {} (booleans stay), recursively; strings and lists bounded. */
export const removeEmpties = (value: unknown, maxChars = MAX_EVENT_STRING_CHARS, maxItems = MAX_EVENT_LIST_ITEMS): unknown => {
  const empty = (v: unknown) => typeof v !== 'boolean' && (v === null || v === undefined || v === '' || v === 0 || (Array.isArray(v) && v.length === 0) || (isRecord(v) && Object.keys(v).length === 0));
  const inner = (v: unknown) => removeEmpties(v, maxChars, maxItems);
  if (Array.isArray(value)) return value.slice(0, maxItems).map(inner).filter((v) => !empty(v));
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, inner(v)] as const).filter(([, v]) => !empty(v)));
  return typeof value === 'string' && value.length > maxChars ? `${value.slice(0, maxChars - 1)}…` : value;
};

/** Bytes of JSON an event may take before it is cut harder (analysisd reads 64 KiB per datagram, the location comes too). */
export const MAX_EVENT_JSON_CHARS = 48_000;

/** The script's order of preference: not revoked, detection on, higher score, higher confidence, not expired. */
const rank = (i: Json, nowMs: number): number[] => {
  const until = Date.parse(String(i['valid_until']));
  return [i['revoked'] === true ? 1 : 0, i['x_opencti_detection'] === true ? 0 : 1, -(Number(i['x_opencti_score']) || 0), -(Number(i['confidence']) || 0), Number.isNaN(until) || until <= nowMs ? 1 : 0];
};
export const sortIndicators = (list: readonly Json[], nowMs: number = Date.now()): Json[] =>
  list
    .map((i) => ({ i, r: rank(i, nowMs) }))
    .sort((a, b) => {
      const d = a.r.findIndex((x, n) => x !== b.r[n]);
      return d < 0 ? 0 : (a.r[d] ?? 0) - (b.r[d] ?? 0);
    })
    .map(({ i }) => i);

/** simplify_objectlist: a list of objects (or edges of nodes) at `listKey` → the `valueKey` of each at `newKey`. */
const simplify = (output: Json, listKey: string, valueKey: string, newKey: string): void => {
  const list = output[listKey];
  const items = isRecord(list) && Array.isArray(list['edges']) ? nodes(list) : Array.isArray(list) ? list : [];
  const values = items.map((item) => field(item, valueKey));
  if (newKey !== listKey) delete output[listKey];
  output[newKey] = values;
};

const modifyIndicator = (indicator: Json | null): Json | null => {
  if (indicator === null) return null;
  simplify(indicator, 'objectLabel', 'value', 'labels');
  simplify(indicator, 'killChainPhases', 'kill_chain_name', 'killChainPhases');
  if ('externalReferences' in indicator) simplify(indicator, 'externalReferences', 'url', 'externalReferences');
  return indicator;
};

/** The event builder of one lookup: links are made from OpenCTI's base (hook_url without `graphql`). */
export const openCtiEvents = (data: unknown, target: OpenCtiTarget, linkBase: string, nowMs: number = Date.now()): OpenCtiEvent[] => {
  const link = (kind: 'indicators' | 'observables', id: unknown) => `${linkBase}dashboard/observations/${kind}/${String(id)}`;
  const copy = (u: Json): Json => structuredClone(u);
  const direct = sortIndicators(nodes(field(data, 'indicators')).map(copy), nowMs);
  const directIds = new Set(direct.map((d) => d['id']));
  const events: OpenCtiEvent[] = direct.slice(0, MAX_INDICATOR_EVENTS).map((indicator) => ({
    integration: OPENCTI,
    opencti: {
      indicator: modifyIndicator(indicator),
      indicator_link: link('indicators', indicator['id']),
      query_key: target.key,
      query_values: target.patterns.join(';'),
      event_type: target.patterns.includes(String(indicator['pattern'])) ? 'indicator_pattern_match' : 'indicator_partial_pattern_match',
    },
  }));

  const relatedWithIndicator = (node: Json): Json | null => {
    const related: Json[] = [];
    for (const relationship of nodes(node['stixCoreRelationships'])) {
      const other = field(relationship, 'related');
      const indicators = nodes(field(other, 'indicators'));
      if (indicators.length === 0) continue;
      const indicator = modifyIndicator(sortIndicators(indicators.map(copy), nowMs)[0] ?? null);
      related.push({
        id: field(other, 'id'),
        type: relationship['type'],
        relationship: relationship['relationship_type'],
        value: field(other, 'value'),
        indicator,
        multipleIndicators: indicators.length > 1,
        ...(indicator === null ? {} : { indicator_link: link('indicators', indicator['id']) }),
      });
    }
    const best = sortIndicators(related.map((r) => ({ ...(r['indicator'] as Json), __r: r })), nowMs)[0];
    return best === undefined ? null : (best['__r'] as Json);
  };

  for (const original of nodes(field(data, 'stixCyberObservables'))) {
    const node = copy(original);
    const indicators = sortIndicators(nodes(node['indicators']), nowMs).filter((i) => !directIds.has(i['id']));
    let related = relatedWithIndicator(node);
    if (related !== null && directIds.has(field(related, 'indicator', 'id'))) related = null;
    if (indicators.length === 0 && related === null) continue;
    Object.assign(node, { related, query_key: target.key, query_values: target.values.join(';'), event_type: indicators.length > 0 ? 'observable_with_indicator' : 'observable_with_related_indicator' });
    node['observable_link'] = link('observables', node['id']);
    simplify(node, 'externalReferences', 'url', 'externalReferences');
    simplify(node, 'objectLabel', 'value', 'labels');
    const indicator = indicators[0] ?? null;
    Object.assign(node, { indicator, multipleIndicators: indicators.length > 1 });
    if (indicator !== null) node['indicator_link'] = link('indicators', indicator['id']);
    modifyIndicator(indicator);
    delete node['indicators'];
    delete node['stixCoreRelationships'];
    events.push({ integration: OPENCTI, opencti: node });
  }
  return events.map((e) => removeEmpties(e) as OpenCtiEvent);
};

const DATA_KEYS = ['in_iface', 'srcintf', 'src_ip', 'srcip', 'src_mac', 'srcmac', 'src_port', 'srcport', 'dest_ip', 'dstip', 'dst_mac', 'dstmac', 'dest_port', 'dstport', 'dstintf', 'proto', 'app_proto'];
const AUDIT_KEYS = ['success', 'key', 'uid', 'gid', 'euid', 'egid', 'exe', 'exit', 'pid'];
const pick = (from: unknown, keys: readonly string[]): Json => (isRecord(from) ? Object.fromEntries(keys.filter((k) => k in from).map((k) => [k, from[k]])) : {});

/**
 * add_context: `source` = alert_id, rule_id, the FIM file and hashes, the network fields of
 * `data`, a packetbeat DNS query, the IDS alert's action/category/signature, Sysmon's queryName,
 * queryResults and image, an audit command line and its ids. (The script's Suricata branch raises
 * a KeyError and writes nothing; here the alert fields go under `source.alert`.)
 */
export const openCtiSource = (alert: Alert): Json => {
  const data = field(alert, 'data');
  const syscheck = field(alert, 'syscheck');
  const execve = field(data, 'audit', 'execve');
  const answers = field(data, 'dns', 'answers');
  return {
    alert_id: field(alert, 'id'),
    rule_id: field(alert, 'rule', 'id'),
    ...(isRecord(syscheck) ? { file: syscheck['path'], md5: syscheck['md5_after'], sha1: syscheck['sha1_after'], sha256: syscheck['sha256_after'] } : {}),
    ...pick(data, DATA_KEYS),
    ...(packetbeatDns(alert) ? { queryName: field(data, 'dns', 'question', 'name'), ...(Array.isArray(answers) ? { queryResults: answers.map((a) => String(field(a, 'data'))).join(';') } : {}) } : {}),
    ...(isRecord(field(data, 'alert')) ? { alert: pick(field(data, 'alert'), ['action', 'category', 'signature', 'signature_id']) } : {}),
    ...pick(field(data, 'win', 'eventdata'), ['queryName', 'queryResults', 'image']),
    ...(isRecord(execve) ? { execve: Object.keys(execve).sort().map((k) => String(execve[k])).join(' '), ...pick(field(data, 'audit'), AUDIT_KEYS) } : {}),
  };
};

/** The event written back for one alert: the lookup's event with the alert's `source` last, empties removed, its size bounded. */
export const withSource = (event: OpenCtiEvent, alert: Alert): OpenCtiEvent => {
  const whole = { ...event, opencti: { ...event.opencti, source: openCtiSource(alert) } };
  const bounded = removeEmpties(whole) as OpenCtiEvent;
  // A feed with many long labels or references: strings to 128 characters, lists to 4 items, so the datagram fits.
  return JSON.stringify(bounded).length <= MAX_EVENT_JSON_CHARS ? bounded : (removeEmpties(whole, 128, 4) as OpenCtiEvent);
};

/** The script's send_error_event when OpenCTI cannot be reached (rule 100211 matches `opencti.error`). */
export const OPENCTI_CONNECTION_ERROR = 'Failed to connect to the OpenCTI API';
export const openCtiErrorEvent = (): OpenCtiEvent => ({ integration: OPENCTI, opencti: { error: OPENCTI_CONNECTION_ERROR, event_type: 'error' } });
