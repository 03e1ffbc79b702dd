// The table `integratord demo` prints: what each stand-in service received, and what went back to Wazuh.

import { field } from '../alerts/alert.js';
import type { IntegrationConfig } from '../config/integration-config.js';
import { parseQueueMessage } from '../delivery/queue-message.js';
import type { ReceivedRequest } from '../stand-ins/stand-in-server.js';
import type { DemoServices } from './demo-services.js';

export interface BlockTally {
  delivered: number;
  skipped: number;
  deadLettered: number;
}

const text = (value: unknown): string => (typeof value === 'string' || typeof value === 'number' ? String(value) : '?');
const short = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** A few words about one request, as the service saw it. */
const describeRequest = (service: keyof DemoServices, r: ReceivedRequest): string => {
  const json = r.json;
  switch (service) {
    case 'slack': {
      const attachments = field(json, 'attachments');
      const first: unknown = Array.isArray(attachments) ? attachments[0] : undefined;
      return `${text(field(first, 'color'))} "${short(text(field(first, 'title')), 40)}"`;
    }
    case 'pagerduty':
      return `${text(field(json, 'payload', 'severity'))} "${short(text(field(json, 'payload', 'summary')), 40)}"`;
    case 'shuffle':
      return `rule ${text(field(json, 'rule_id'))} severity ${text(field(json, 'severity'))}`;
    case 'virustotal':
      return `lookup ${short(new URL(r.url, 'http://x').searchParams.get('resource') ?? r.url.split('/').pop() ?? '', 12)}`;
    case 'maltiverse':
      return `lookup ${short(decodeURIComponent(r.url), 40)}`;
    case 'webhook':
      return `rule ${text(field(json, 'rule', 'id'))} "${short(text(field(json, 'rule', 'description')), 36)}"`;
  }
};

const serviceOf = (config: IntegrationConfig): keyof DemoServices | undefined =>
  (['slack', 'pagerduty', 'shuffle', 'virustotal', 'maltiverse'] as const).find((s) => s === config.name) ?? (config.name.startsWith('custom-') ? 'webhook' : undefined);

/** One row per block: service, requests it received, outcomes, and the first few requests in words. */
export const demoTable = (configs: readonly IntegrationConfig[], services: DemoServices, tallies: ReadonlyMap<number, BlockTally>): string[] => {
  const rows = [['block', 'service', 'requests', 'delivered', 'skipped', 'dead', 'what the service received (first 3)']];
  for (const config of configs) {
    const service = serviceOf(config);
    if (service === undefined) continue;
    const requests = services[service].received.filter((r) => service !== 'webhook' || r.url === `/${config.name}`);
    const t = tallies.get(config.index) ?? { delivered: 0, skipped: 0, deadLettered: 0 };
    const what = requests.slice(0, 3).map((r) => describeRequest(service, r));
    rows.push([`#${config.index}`, config.name, String(requests.length), String(t.delivered), String(t.skipped), String(t.deadLettered), what.join('; ') || '-']);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  '));
};

/** The write-backs as analysisd would file them: `location: integration found/malicious or indicator`. */
export const writeBackLines = (messages: readonly string[]): string[] =>
  messages.map((m) => {
    const parsed = parseQueueMessage(m);
    if (parsed === undefined) return `  (unreadable) ${short(m, 80)}`;
    const e = parsed.event;
    const vt = field(e, 'virustotal');
    const detail =
      vt !== undefined
        ? field(vt, 'error') !== undefined
          ? `error ${text(field(vt, 'error'))}: ${text(field(vt, 'description'))}`
          : `found ${text(field(vt, 'found'))}, malicious ${text(field(vt, 'malicious'))}${field(vt, 'positives') === undefined ? '' : ` (${text(field(vt, 'positives'))}/${text(field(vt, 'total'))} engines)`}`
        : `${text(field(e, 'threat', 'indicator', 'type'))} ${short(text(field(e, 'threat', 'indicator', 'name')), 40)}, confidence ${text(field(e, 'threat', 'indicator', 'confidence'))}`;
    return `  ${parsed.location} → ${detail}`;
  });
