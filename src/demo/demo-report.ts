// The table `integratord demo` prints: what each stand-in service received, and what went back to Wazuh.

import { field } from '../alerts/alert.js';
import type { IntegrationConfig } from '../config/integration-config.js';
import { parseQueueMessage } from '../delivery/queue-message.js';
import { demoText as text, shortText as short } from '../integrations/demo-text.js';
import { integrationFor } from '../integrations/registry.js';
import type { DemoServices } from './demo-services.js';

export interface BlockTally {
  delivered: number;
  skipped: number;
  /** Matched, but noise control sent no message of their own (dedup): delivered + skipped + suppressed + dead = alerts. */
  suppressed: number;
  deadLettered: number;
}

/**
 * One row per block of an integration with a demo (its `demo.describe` words): service, requests it
 * received, outcomes (adding up to the alerts read), and the first few requests in words.
 */
export const demoTable = (configs: readonly IntegrationConfig[], services: DemoServices, tallies: ReadonlyMap<number, BlockTally>): string[] => {
  const rows = [['block', 'service', 'requests', 'delivered', 'skipped', 'suppressed', 'dead', 'what the service received (first 3)']];
  for (const config of configs) {
    const demo = integrationFor(config.name)?.demo;
    const service = demo === undefined ? undefined : services[demo.service];
    if (demo === undefined || service === undefined) continue;
    const requests = service.received.filter((r) => demo.sentBy?.(r, config.name) ?? true);
    const t = tallies.get(config.index) ?? { delivered: 0, skipped: 0, suppressed: 0, deadLettered: 0 };
    const what = requests.slice(0, 3).map((r) => demo.describe(r));
    rows.push([`#${config.index}`, config.name, String(requests.length), String(t.delivered), String(t.skipped), String(t.suppressed), String(t.deadLettered), what.join('; ') || '-']);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  '));
};

/** A MISP event (one per alert) in words: `MISP match: sha1, sha256 (event 1542)`, or `MISP error 403: sha1, md5`. */
const mispWords = (e: unknown): string => {
  const errors = field(e, 'misp_error_response');
  if (errors !== undefined && errors !== null && typeof errors === 'object') {
    const statuses = [...new Set(Object.values(errors).map((v) => text(field(v, 'status'))))];
    return `${text(field(e, 'threat'))} ${statuses.join('/')}: ${Object.keys(errors).join(', ')}`;
  }
  const flags = field(e, 'result_flags');
  const keys = Object.entries(typeof flags === 'object' && flags !== null ? flags : {}).filter(([, v]) => v === true).map(([k]) => k.replace(/_misp$/, ''));
  const events = [...new Set(keys.map((k) => text(field(e, 'misp_response', k, 'event_id'))))];
  return `${text(field(e, 'threat'))}: ${keys.join(', ')} (event ${events.join(', ')})`;
};

/** The write-backs as analysisd would file them: `location: integration found/malicious or indicator`. */
export const writeBackLines = (messages: readonly string[]): string[] =>
  messages.map((m) => {
    const parsed = parseQueueMessage(m);
    if (parsed === undefined) return `  (unreadable) ${short(m, 80)}`;
    const e = parsed.event;
    const vt = field(e, 'virustotal');
    const abuse = field(e, 'abuseipdb');
    const isMisp = field(e, 'integration') === 'misp';
    const cti = field(e, 'opencti');
    const failed = field(vt ?? abuse, 'error');
    const detail =
      failed !== undefined
        ? `error ${text(failed)}: ${text(field(vt ?? abuse, 'description'))}`
        : isMisp
        ? mispWords(e)
        : cti !== undefined
        ? `${text(field(cti, 'event_type'))} ${short(text(field(cti, 'observable_value') ?? field(cti, 'indicator', 'name')), 24)}`
        : abuse !== undefined
        ? `${text(field(abuse, 'source', 'srcip'))} found ${text(field(abuse, 'found'))}${field(abuse, 'found') === 1 ? `, abuse confidence ${text(field(abuse, 'abuse_confidence_score'))}, ${text(field(abuse, 'total_reports'))} reports` : ''}`
        : vt !== undefined
        ? `found ${text(field(vt, 'found'))}, malicious ${text(field(vt, 'malicious'))}${field(vt, 'positives') === undefined ? '' : ` (${text(field(vt, 'positives'))}/${text(field(vt, 'total'))} engines)`}`
        : `${text(field(e, 'threat', 'indicator', 'type'))} ${short(text(field(e, 'threat', 'indicator', 'name')), 40)}, confidence ${text(field(e, 'threat', 'indicator', 'confidence'))}`;
    return `  ${parsed.location} → ${detail}`;
  });
