// Shuffle: Wazuh's shuffle.py payload and its skip list, sent natively to the webhook URL.

import { field, type Alert } from '../alerts/alert.js';
import { member, ruleLevel, ruleMember } from './alert-fields.js';
import type { BlockIntegration, Integration } from './definition.js';
import { hookUrlProblem, jsonPost } from './json-post.js';
import { digestBody } from '../noise/digest.js';
import { startShuffleStandIn } from '../stand-ins/shuffle.js';
import { demoText } from './demo-text.js';

/** shuffle.py never sends these rule ids (Shuffle's own Docker activity would loop back as alerts). */
export const SHUFFLE_SKIPPED_RULES: ReadonlySet<string> = new Set([
  '87924', '87900', '87901', '87902', '87903', '87904', '86001', '86002', '86003', '87932', '80710', '87929', '87928', '5710',
]);

/** shuffle.py's severity: 1 for level ≤ 4, 2 for 5–7, 3 otherwise. */
export const shuffleSeverity = (level: number): 1 | 2 | 3 => (level <= 4 ? 1 : level >= 5 && level <= 7 ? 2 : 3);

/**
 * shuffle.py's body, key order kept: severity, pretext, title, text, rule_id, timestamp, id,
 * all_fields; options merged at the top level. Missing `rule.level` → 0; missing `rule.id`,
 * `timestamp` or `id` → null (the script raises KeyError).
 */
export const shufflePayload = (alert: Alert, options: Readonly<Record<string, unknown>> | undefined): Record<string, unknown> => ({
  severity: shuffleSeverity(ruleLevel(alert)),
  pretext: 'WAZUH Alert',
  title: ruleMember(alert, 'description', 'N/A'),
  text: member(alert, 'full_log', null),
  rule_id: ruleMember(alert, 'id', null),
  timestamp: member(alert, 'timestamp', null),
  id: member(alert, 'id', null),
  all_fields: alert,
  ...options,
});

/** Needs hook_url. Skips the rule ids of SHUFFLE_SKIPPED_RULES (`skip` returns Wazuh's `Skipping rule <id>`). */
export const shuffle: Integration = {
  name: 'shuffle',
  requires: { hookUrl: true, apiKey: false },
  jsonOnlyScript: true,
  demo: {
    service: 'shuffle',
    label: 'Shuffle',
    start: () => startShuffleStandIn(),
    hookUrl: (base) => `${base}/api/v1/hooks/webhook_demo`,
    describe: (r) => `rule ${demoText(field(r.json, 'rule_id'))} severity ${demoText(field(r.json, 'severity'))}`,
  },
  create(config): BlockIntegration {
    const url = config.hookUrl?.reveal() ?? '';
    const problem = hookUrlProblem(url);
    if (problem !== undefined) return { unavailable: problem, plan: () => [] };
    return {
      skip: (alert) => {
        const id = ruleMember(alert, 'id', undefined);
        return typeof id === 'string' && SHUFFLE_SKIPPED_RULES.has(id) ? `Skipping rule ${id}` : undefined;
      },
      plan: (alert) => [jsonPost(url, shufflePayload(alert, config.options), [url])],
      planDigest: (digest) => [jsonPost(url, digestBody(digest), [url])],
    };
  },
};
