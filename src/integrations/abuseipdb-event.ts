// The AbuseIPDB community script's event, and which IPs of an alert it looks up (public ones only).

import { field, stringField, type Alert } from '../alerts/alert.js';
import { classifySourceIp } from './public-ip.js';

/** The location suffix of the write-back (`[id] (name) ip->abuseipdb`), as the community script sends. */
export const ABUSEIPDB = 'abuseipdb';
/** The event's `integration` value the published rules 199801–199810 match on. */
export const ABUSEIPDB_INTEGRATION = 'custom-abuseipdb';
/** The fields looked up when `options.fields` is not set: the community script's srcip, and dstip. */
export const DEFAULT_IP_FIELDS: readonly string[] = ['data.srcip', 'data.dstip'];

/** What AbuseIPDB's `/api/v2/check` answered in `data` (the fields the event copies). */
export type AbuseIpdbReport = Readonly<Record<string, unknown>>;

/** The IPs of an alert to look up, in field order, each once; and the values that are not addresses. */
export const abuseIpdbTargets = (alert: Alert, fields: readonly string[] = DEFAULT_IP_FIELDS): { readonly ips: string[]; readonly invalid: string[] } => {
  const ips: string[] = [];
  const invalid: string[] = [];
  for (const path of fields) {
    const value = field(alert, ...path.split('.'));
    if (value === undefined || value === null || value === '') continue;
    const kind = typeof value === 'string' ? classifySourceIp(value) : 'invalid';
    if (kind === 'public' && !ips.includes(value as string)) ips.push(value as string);
    if (kind === 'invalid') invalid.push(typeof value === 'string' ? value : JSON.stringify(value));
  }
  return { ips, invalid };
};

/**
 * The community script's `found`: 1 when AbuseIPDB has reports of the address (`totalReports` not 0;
 * the script's `in_database`). An answer without totalReports (where the script crashes) is not found.
 */
export const isFound = (report: AbuseIpdbReport): boolean => report['totalReports'] !== undefined && report['totalReports'] !== 0;

/** A negative answer (cached for the shorter TTL): nothing reported about the address. */
export const isNegative = (report: AbuseIpdbReport): boolean => !isFound(report);

/** A field of the answer, `null` where AbuseIPDB has none (Python's `data["x"]` would raise; the script crashes). */
const copied = (report: AbuseIpdbReport, key: string): unknown => report[key] ?? null;

/**
 * The community script's event (Wazuh's blog "Detecting known bad actors with Wazuh and AbuseIPDB",
 * `custom-abuseipdb.py`), key order included: `{"abuseipdb": {"found": 0|1, "source": {"alert_id",
 * "rule", "description", "full_log", "srcip"}, then for a found address "abuse_confidence_score",
 * "country_code", "usage_type", "isp", "domain", "total_reports", "last_reported_at"}, "integration":
 * "custom-abuseipdb"}`. `rule` is rule.id, `description` rule.description, `srcip` the checked address
 * (the script checks data.srcip only; an address from another configured field is reported there
 * too, so that rules and active responses reading `abuseipdb.source.srcip` work); missing alert values
 * are `null` (where the script crashes).
 */
export const abuseIpdbEvent = (alert: Alert, ip: string, report: AbuseIpdbReport) => {
  const found = isFound(report);
  return {
    abuseipdb: {
      found: found ? 1 : 0,
      source: {
        alert_id: field(alert, 'id') ?? null,
        rule: stringField(alert, 'rule', 'id') ?? field(alert, 'rule', 'id') ?? null,
        description: field(alert, 'rule', 'description') ?? null,
        full_log: field(alert, 'full_log') ?? null,
        srcip: ip,
      },
      ...(found
        ? {
            abuse_confidence_score: copied(report, 'abuseConfidenceScore'),
            country_code: copied(report, 'countryCode'),
            usage_type: copied(report, 'usageType'),
            isp: copied(report, 'isp'),
            domain: copied(report, 'domain'),
            total_reports: copied(report, 'totalReports'),
            last_reported_at: copied(report, 'lastReportedAt'),
          }
        : {}),
    },
    integration: ABUSEIPDB_INTEGRATION,
  };
};

/**
 * The script's error event for an answer other than 200 (sent without the agent, to location
 * `abuseipdb`): `{"abuseipdb": {"error": <status>, "description": <errors[0].detail>}, "integration":
 * "custom-abuseipdb"}`. The script sends it at once; we send it only when a lookup is given up.
 */
export const abuseIpdbErrorEvent = (status: number, detail: string) => ({ abuseipdb: { error: status, description: detail }, integration: ABUSEIPDB_INTEGRATION });
