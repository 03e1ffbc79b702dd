// Slack: Wazuh's slack.py payload (one attachment), sent natively to the incoming-webhook URL.

import { field, isAlert, type Alert } from '../alerts/alert.js';
import { member, pythonText, ruleLevel, ruleMember } from './alert-fields.js';
import type { BlockIntegration, Integration } from './definition.js';
import { jsonPost, messageHook } from './json-post.js';
import { topValues, type Digest } from '../noise/digest.js';
import { startSlackStandIn } from '../stand-ins/slack.js';
import { demoText, shortText } from './demo-text.js';
import { escapeSlack } from './markup-escapes.js';

/** A value with Slack's control characters escaped when it is text (numbers and objects go as they are, as slack.py sends them). */
const slackSafe = (value: unknown): unknown => (typeof value === 'string' ? escapeSlack(value) : value);

/** slack.py's attachment colour by rule level: good ≤ 4, warning 5–7, danger otherwise. */
export const slackColor = (level: number): 'good' | 'warning' | 'danger' => (level <= 4 ? 'good' : level >= 5 && level <= 7 ? 'warning' : 'danger');

/**
 * slack.py's fields, in its order: Agent `(id) - name` (when the alert has `agent`), Agentless Host
 * (when it has `agentless`), Location, Rule ID `id _(Level n)_`; "N/A" where a value is missing.
 * Teams and Discord show the same facts.
 */
export const slackFields = (alert: Alert): { title: string; value: unknown }[] => {
  const level = ruleLevel(alert);
  const fields: { title: string; value: unknown }[] = [];
  const agent = alert['agent'];
  if ('agent' in alert) {
    const id = isAlert(agent) && 'id' in agent ? agent['id'] : 'N/A';
    const name = isAlert(agent) && 'name' in agent ? agent['name'] : 'N/A';
    fields.push({ title: 'Agent', value: `(${pythonText(id)}) - ${pythonText(name)}` });
  }
  if ('agentless' in alert) {
    const agentless = alert['agentless'];
    fields.push({ title: 'Agentless Host', value: isAlert(agentless) && 'host' in agentless ? agentless['host'] : 'N/A' });
  }
  fields.push({ title: 'Location', value: member(alert, 'location', 'N/A') });
  fields.push({ title: 'Rule ID', value: `${pythonText(ruleMember(alert, 'id', 'N/A'))} _(Level ${level})_` });
  return fields;
};

/**
 * The body slack.py posts, key for key: `{"attachments":[{color, pretext, title, text, fields, ts}]}`
 * with `options` shallow-merged into the attachment. Where slack.py crashes we send instead:
 * missing `rule.level` → 0 (good); missing `location` → "N/A"; missing `rule.id`, `agent.id`
 * or `agent.name` → "N/A"; missing alert `id` → no `ts`. With `escape` (`<escape_markup>yes`),
 * `<`, `>` and `&` of the title, full_log and field values are escaped as Slack documents, so
 * `<!channel>`, `<@U…>` and `<url|text>` in an alert are shown, not acted on (a template's
 * `text` is escaped by its render).
 */
export const slackPayload = (alert: Alert, options: Readonly<Record<string, unknown>> | undefined, text?: string, escape = false): Record<string, unknown> => {
  const level = ruleLevel(alert);
  const safe = escape ? slackSafe : (v: unknown) => v;
  const fields = slackFields(alert).map((f) =>
    !escape ? f : { title: f.title, value: f.title === 'Rule ID' ? `${escapeSlack(pythonText(ruleMember(alert, 'id', 'N/A')))} _(Level ${level})_` : safe(f.value) },
  );
  const attachment: Record<string, unknown> = {
    color: slackColor(level),
    pretext: 'WAZUH Alert',
    title: safe(ruleMember(alert, 'description', 'N/A')),
    text: text ?? safe(member(alert, 'full_log', null)),
    fields,
  };
  if ('id' in alert) attachment['ts'] = alert['id'];
  return { attachments: [{ ...attachment, ...options }] };
};

/**
 * A digest as one message: the count and the group's values in the pretext, the colour and title of
 * its highest-level alert (a level-10 alert never hides in a "warning" digest), first and last time,
 * the count per rule, and the top agents and source IPs as fields.
 */
export const slackDigestPayload = (digest: Digest, options: Readonly<Record<string, unknown>> | undefined, escape = false): Record<string, unknown> => {
  const safe = escape ? escapeSlack : (v: string) => v;
  const top = (path: readonly string[]) => safe(topValues(digest, path).map((v) => `${v.value} (${v.count})`).join(', ') || 'N/A');
  const group = safe(Object.entries(digest.group).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(', '));
  const highest = digest.alerts.reduce((best, alert) => (ruleLevel(alert) > ruleLevel(best) ? alert : best), digest.first);
  const attachment: Record<string, unknown> = {
    color: slackColor(ruleLevel(highest)),
    pretext: `WAZUH Digest: ${digest.count} alerts${group === '' ? ' (hourly cap reached)' : ` for ${group}`}`,
    title: escape ? slackSafe(ruleMember(highest, 'description', 'N/A')) : ruleMember(highest, 'description', 'N/A'),
    text: `First ${digest.firstTimestamp ?? 'N/A'}, last ${digest.lastTimestamp ?? 'N/A'}`,
    fields: [
      { title: 'Alerts', value: digest.count },
      { title: 'Alerts per rule', value: safe(topValues(digest, ['rule', 'id'], 10).map((v) => `${v.value} (${v.count})`).join(', ') || 'N/A') },
      { title: 'Top agents', value: top(['agent', 'name']) },
      { title: 'Top source IPs', value: top(['data', 'srcip']) },
    ],
  };
  return { attachments: [{ ...attachment, ...options }] };
};

/**
 * Needs hook_url (Wazuh's check). Slack answers 200 `ok`; 400/403/404/410 with a reason such
 * as `invalid_payload` or `no_service` are dropped, 429 with Retry-After pauses and retries,
 * 5xx retries (the shared HTTP rules).
 */
export const slack: Integration = {
  name: 'slack',
  requires: { hookUrl: true, apiKey: false },
  jsonOnlyScript: true,
  templates: ['template'],
  demo: {
    service: 'slack',
    label: 'Slack',
    start: () => startSlackStandIn(),
    hookUrl: (base) => `${base}/services/T00000000/B00000000/DEMO`,
    describe: (r) => {
      const attachments = field(r.json, 'attachments');
      const first: unknown = Array.isArray(attachments) ? attachments[0] : undefined;
      return `${demoText(field(first, 'color'))} "${shortText(demoText(field(first, 'title')), 40)}"`;
    },
  },
  create(config): BlockIntegration {
    const escape = config.escapeMarkup === true;
    const hook = messageHook(config, escape ? escapeSlack : undefined);
    if ('unavailable' in hook) return { unavailable: hook.unavailable, plan: () => [] };
    const { url } = hook;
    return {
      plan: (alert) => [jsonPost(url, slackPayload(alert, config.options, hook.render(alert), escape), [url])],
      planDigest: (digest) => [jsonPost(url, slackDigestPayload(digest, config.options, escape), [url])],
    };
  },
};
