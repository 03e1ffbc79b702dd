// The generic JSON webhook: a custom-* block with a hook_url and no script in integrations/.

import { createHash } from 'node:crypto';
import { alertId, type Alert } from '../alerts/alert.js';
import type { IntegrationConfig } from '../config/integration-config.js';
import type { BlockIntegration } from './definition.js';
import { hookUrlProblem, jsonPost } from './json-post.js';

/**
 * `<alert id>-<block index>`: the same alert sent twice by one block (retry, redrive, restart)
 * carries the same key, two blocks never share one. An alert without id is keyed by the
 * sha256 of its JSON instead (`sha256:<32 hex>`).
 */
export const idempotencyKey = (alert: Alert, blockIndex: number): string => {
  const id = alertId(alert);
  const key = id !== undefined && id !== '' ? id : `sha256:${createHash('sha256').update(JSON.stringify(alert)).digest('hex').slice(0, 32)}`;
  return `${key}-${blockIndex}`;
};

/**
 * POSTs the alert JSON (analysisd's key order) to hook_url with `Content-Type: application/json`
 * and `Idempotency-Key`. Answers are read with the shared HTTP rules (2xx delivered, 408/429/5xx
 * retried, other 4xx dropped). Unavailable when hook_url is not an http(s) URL.
 */
export const webhookBlock = (config: IntegrationConfig): BlockIntegration => {
  const url = config.hookUrl?.reveal() ?? '';
  const problem = hookUrlProblem(url);
  if (problem !== undefined) return { unavailable: problem, plan: () => [] };
  const secrets = [url, config.apiKey?.reveal() ?? ''];
  return {
    plan: (alert) => [
      jsonPost(url, alert, secrets, undefined, { 'Content-Type': 'application/json', 'Idempotency-Key': idempotencyKey(alert, config.index) }),
    ],
  };
};
