// One-line, secret-free description of a block for `check`, logs and `explain`.

import type { IntegrationConfig } from './integration-config.js';

/** e.g. `#0 slack: level>=10, group=syscheck, hook_url set, json`. Never prints secret values. */
export const describeBlock = (c: IntegrationConfig): string => {
  const filters: string[] = [];
  if (c.eventLocation !== undefined) filters.push(`event_location=${JSON.stringify(c.eventLocation.pattern)}`);
  if (c.level !== 0) filters.push(`level>=${c.level}`);
  if (c.group !== undefined) filters.push(`group=${JSON.stringify(c.group)}`);
  if (c.ruleIds !== undefined) filters.push(`rule_id=${c.ruleIds.join(',')}`);
  if (filters.length === 0) filters.push('every alert');
  const secrets = [c.hookUrl ? 'hook_url set' : undefined, c.apiKey ? 'api_key set' : undefined].filter(Boolean);
  const format = c.jsonFormat ? 'json' : 'legacy format';
  return `#${c.index} ${c.name}: ${[...filters, ...secrets, format, `timeout ${c.timeout}s`, `retries ${c.retries}`].join(', ')}`;
};
