// The location of Wazuh's VirusTotal/Maltiverse write-back events: which agent an enrichment event is filed under.

import { field, isAlert, type Alert } from '../alerts/alert.js';
import { pythonJson } from '../delivery/python-json.js';
import { escapeLocation } from '../delivery/queue-message.js';

/** Python's `str()` of a value in a location: strings as they are, anything else as JSON would show it. */
const text = (value: unknown): string => (typeof value === 'string' ? value : value === undefined ? '' : pythonJson(value));

/**
 * The location analysisd files the event under (reference §6.6). No agent, an empty agent, an
 * agent without `id` (where Wazuh's script crashes) or agent `000` → the integration name.
 * Otherwise `[<id>] (<name>) <ip or "any">-><integration>`, escaped as a whole; a missing
 * `agent.name` (Wazuh crashes) prints as an empty name.
 */
export const wazuhLocation = (alert: Alert | undefined, integration: string): string => {
  const agent = alert === undefined ? undefined : field(alert, 'agent');
  if (!isAlert(agent) || Object.keys(agent).length === 0 || agent['id'] === undefined || agent['id'] === '000') return integration;
  const ip = 'ip' in agent ? text(agent['ip']) : 'any';
  return escapeLocation(`[${text(agent['id'])}] (${text(agent['name'])}) ${ip}->${integration}`);
};
