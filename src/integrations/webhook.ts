// The generic JSON webhook: a custom-* block with a hook_url and no script in integrations/.

import { createHash } from 'node:crypto';
import { alertId, type Alert } from '../alerts/alert.js';
import type { IntegrationConfig } from '../config/integration-config.js';
import type { BlockIntegration } from './definition.js';
import { hookUrlProblem, jsonPost } from './json-post.js';
import { compileTemplate } from './message-template.js';
import { digestBody, type Digest } from '../noise/digest.js';

/** An id usable as it is in a header: visible ASCII only (no space, control or non-ASCII character). */
const HEADER_SAFE_ID = /^[\x21-\x7e]+$/;

const sha256 = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;

/**
 * `<alert id>-<block index>`: the same alert sent twice by one block (retry, redrive, restart)
 * carries the same key, two blocks never share one. An alert without id is keyed by the
 * sha256 of its JSON instead (`sha256:<32 hex>`), an id that is not visible ASCII (a header could
 * not carry it) by the sha256 of the id.
 */
export const idempotencyKey = (alert: Alert, blockIndex: number): string => {
  const id = alertId(alert);
  const key = id === undefined || id === '' ? sha256(JSON.stringify(alert)) : HEADER_SAFE_ID.test(id) ? id : sha256(id);
  return `${key}-${blockIndex}`;
};

/**
 * POSTs the alert JSON (analysisd's key order) to hook_url with `Content-Type: application/json`
 * and `Idempotency-Key`. Answers are read with the shared HTTP rules (2xx delivered, 408/429/5xx
 * retried, other 4xx dropped). Unavailable when hook_url is not an http(s) URL. A `<body_template>`
 * replaces the body by its render (every interpolation JSON-escaped, the result checked to be JSON:
 * a render that is not is dead-lettered with the reason).
 */
export const webhookBlock = (config: IntegrationConfig): BlockIntegration => {
  const url = config.hookUrl?.reveal() ?? '';
  const problem = hookUrlProblem(url);
  if (problem !== undefined) return { unavailable: problem, plan: () => [] };
  const body = compileTemplate(config, 'body_template');
  if ('problem' in body) return { unavailable: body.problem, plan: () => [] };
  const secrets = [url, config.apiKey?.reveal() ?? ''];
  return {
    plan: (alert) => {
      const step = jsonPost(url, alert, secrets, undefined, { 'Content-Type': 'application/json', 'Idempotency-Key': idempotencyKey(alert, config.index) });
      const rendered = body.render(alert);
      return [rendered === undefined ? step : { ...step, request: { ...step.request, body: rendered } }];
    },
    // A digest keys its idempotency by its first alert and its size: the same digest re-sent carries the same key.
    planDigest: (digest: Digest) => [
      jsonPost(url, digestBody(digest), secrets, undefined, { 'Content-Type': 'application/json', 'Idempotency-Key': `digest-${idempotencyKey(digest.first, config.index)}-${digest.count}` }),
    ],
  };
};
