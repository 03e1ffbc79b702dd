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

/** The community script's `found`: 1 when AbuseIPDB's answer carries an abuseConfidenceScore. */
export const isFound = (report: AbuseIpdbReport): boolean => 'abuseConfidenceScore' in report;

/** A negative answer (cached for the shorter TTL): nothing reported about the address. */
export const isNegative = (report: AbuseIpdbReport): boolean => !isFound(report) || !(Number(report['totalReports']) > 0);

/** A field of the answer, `null` where AbuseIPDB has none (Python's `data["x"]` would raise; the script crashes). */
const copied = (report: AbuseIpdbReport, key: string): unknown => report[key] ?? null;

/**
 * The community script's event, key order included: `{"abuseipdb": {"found": 0|1, "source":
 * {"alert_id", "rule", "ip"}, then for a found IP "abuse_confidence_score", "country_code",
 * "usage_type", "isp", "domain", "total_reports", "last_reported_at", "permalink"}, "integration":
 * "custom-abuseipdb"}`. `rule` is the alert's rule.id; `ip` the looked-up address (srcip or
 * another configured field); missing alert values are `null`.
 */
export const abuseIpdbEvent = (alert: Alert, ip: string, report: AbuseIpdbReport) => {
  const found = isFound(report);
  return {
    abuseipdb: {
      found: found ? 1 : 0,
      source: { alert_id: field(alert, 'id') ?? null, rule: stringField(alert, 'rule', 'id') ?? field(alert, 'rule', 'id') ?? null, ip },
      ...(found
        ? {
            abuse_confidence_score: copied(report, 'abuseConfidenceScore'),
            country_code: copied(report, 'countryCode'),
            usage_type: copied(report, 'usageType'),
            isp: copied(report, 'isp'),
            domain: copied(report, 'domain'),
            total_reports: copied(report, 'totalReports'),
            last_reported_at: copied(report, 'lastReportedAt'),
            permalink: `https://www.abuseipdb.com/check/${ip}`,
          }
        : {}),
    },
    integration: ABUSEIPDB_INTEGRATION,
  };
};
