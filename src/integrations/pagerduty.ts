// PagerDuty Events API v2: Wazuh's pagerduty.py payload with the intended severity ladder and a dedup key.

import { field, stringField, type Alert } from '../alerts/alert.js';
import { member, ruleLevel, ruleMember } from './alert-fields.js';
import type { BlockIntegration, Integration } from './definition.js';
import { hookUrlProblem, jsonPost } from './json-post.js';
import { createHash } from 'node:crypto';
import { digestFields, type Digest } from '../noise/digest.js';
import { startPagerDutyStandIn } from '../stand-ins/pagerduty.js';
import { demoText, shortText } from './demo-text.js';

export const PAGERDUTY_URL = 'https://events.pagerduty.com/v2/enqueue';
const DEFAULT_PATH = '/v2/enqueue';

/**
 * The ladder pagerduty.py meant (its ≥ 7 test comes first, so it only ever sends info/warning):
 * ≥ 13 critical, ≥ 10 error, ≥ 7 warning, else info.
 */
export const pagerDutySeverity = (level: number): 'critical' | 'error' | 'warning' | 'info' =>
  level >= 13 ? 'critical' : level >= 10 ? 'error' : level >= 7 ? 'warning' : 'info';

/** Where events go: hook_url when set (a path-less URL gets `/v2/enqueue`), else PagerDuty's endpoint. */
export const pagerDutyUrl = (hookUrl: string | undefined): string => {
  if (hookUrl === undefined || hookUrl === '') return PAGERDUTY_URL;
  const url = new URL(hookUrl);
  if (url.pathname === '/' || url.pathname === '') url.pathname = DEFAULT_PATH;
  return url.toString();
};

/**
 * pagerduty.py's body, key order kept (routing_key, event_action, payload{summary, timestamp,
 * source, severity, group, custom_details}, client, client_url), plus `dedup_key` = the alert id
 * after `event_action` so that a retried event is not a second incident; options merged at the
 * top level. Fallbacks where the script crashes: no `agent.name` → `manager.name`, else
 * "wazuh-manager"; no `rule.groups` → no `group`; no `timestamp` → none (PagerDuty uses receipt
 * time); no alert id → no dedup_key.
 */
export const pagerDutyPayload = (alert: Alert, routingKey: string, options: Readonly<Record<string, unknown>> | undefined): Record<string, unknown> => {
  const payload: Record<string, unknown> = { summary: ruleMember(alert, 'description', 'N/A') };
  if ('timestamp' in alert) payload['timestamp'] = alert['timestamp'];
  payload['source'] = stringField(alert, 'agent', 'name') ?? stringField(alert, 'manager', 'name') ?? 'wazuh-manager';
  payload['severity'] = pagerDutySeverity(ruleLevel(alert));
  const groups = ruleMember(alert, 'groups', undefined);
  if (Array.isArray(groups)) payload['group'] = groups.map(String).join(', ');
  payload['custom_details'] = alert;
  const message: Record<string, unknown> = { routing_key: routingKey, event_action: 'trigger' };
  const id = member(alert, 'id', undefined);
  if (typeof id === 'string' && id !== '') message['dedup_key'] = id;
  Object.assign(message, { payload, client: 'Wazuh Monitoring Service', client_url: 'https://wazuh.com' });
  return { ...message, ...options };
};

/**
 * A digest as one event: the first alert's event, its summary prefixed with the count, the digest in
 * custom_details, and dedup_key the group key (`integratord-<block>-<sha256 of the key>`), so PagerDuty
 * folds every digest of a group into one incident.
 */
export const pagerDutyDigestPayload = (digest: Digest, blockIndex: number, routingKey: string, options: Readonly<Record<string, unknown>> | undefined): Record<string, unknown> => {
  const single = pagerDutyPayload(digest.first, routingKey, undefined);
  const payload = single['payload'] as Record<string, unknown>;
  const dedupKey = `integratord-${blockIndex}-${createHash('sha256').update(digest.key).digest('hex').slice(0, 32)}`;
  return {
    ...single,
    dedup_key: dedupKey,
    payload: { ...payload, summary: `${digest.count} alerts: ${String(payload['summary'])}`, custom_details: { integratord_digest: { ...digestFields(digest), alert: digest.first } } },
    ...options,
  };
};

/**
 * Needs api_key (the routing key). PagerDuty answers 202; 400 (invalid event) is dropped,
 * 429 and 5xx are retried (Retry-After honoured) by the shared HTTP rules.
 */
export const pagerduty: Integration = {
  name: 'pagerduty',
  requires: { hookUrl: false, apiKey: true },
  jsonOnlyScript: true,
  demo: {
    service: 'pagerduty',
    label: 'PagerDuty',
    start: () => startPagerDutyStandIn(),
    hookUrl: (base) => `${base}${DEFAULT_PATH}`,
    describe: (r) => `${demoText(field(r.json, 'payload', 'severity'))} "${shortText(demoText(field(r.json, 'payload', 'summary')), 40)}"`,
  },
  create(config): BlockIntegration {
    const key = config.apiKey?.reveal() ?? '';
    const hook = config.hookUrl?.reveal();
    if (hook !== undefined && hook !== '') {
      const problem = hookUrlProblem(hook);
      if (problem !== undefined) return { unavailable: problem, plan: () => [] };
    }
    const url = pagerDutyUrl(hook);
    return {
      plan: (alert) => [jsonPost(url, pagerDutyPayload(alert, key, config.options), [key, hook ?? ''])],
      planDigest: (digest) => [jsonPost(url, pagerDutyDigestPayload(digest, config.index, key, config.options), [key, hook ?? ''])],
    };
  },
};
