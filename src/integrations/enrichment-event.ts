// The write-back datagram of Wazuh's VirusTotal/Maltiverse scripts: `1:<location>:<json>`, and its inverse.

import { field, isAlert, type Alert } from '../alerts/alert.js';
import { pythonJson } from '../delivery/python-json.js';
import type { QueueStep } from './definition.js';

/** Wazuh's queue id for "localfile" messages: the prefix of every write-back datagram. */
const LOCALFILE_QUEUE = '1';

/** Python's `str()` of a value in a location: strings as they are, anything else as JSON would show it. */
const text = (value: unknown): string => (typeof value === 'string' ? value : value === undefined ? '' : pythonJson(value));

/** Wazuh's location escaping, applied in this order: `|` → `||`, then `:` → `|:`. */
export const escapeLocation = (location: string): string => location.replaceAll('|', '||').replaceAll(':', '|:');

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

/** The datagram text: `1:<location>:<event as Python's json.dumps writes it>`. */
export const queueMessage = (location: string, event: unknown): string => `${LOCALFILE_QUEUE}:${location}:${pythonJson(event)}`;

/** The step that writes one event back to Wazuh. */
export const queueStep = (location: string, event: unknown): QueueStep => ({ kind: 'queue', message: queueMessage(location, event) });

/** A datagram taken apart: the location unescaped, the event parsed. */
export interface ParsedQueueMessage {
  readonly queue: string;
  readonly location: string;
  readonly event: unknown;
}

/**
 * Splits `1:<escaped location>:<json>` (the inverse of queueMessage). Returns undefined when the
 * text has no queue id, no unescaped `:` after the location, or no JSON after it.
 */
export const parseQueueMessage = (message: string): ParsedQueueMessage | undefined => {
  const first = message.indexOf(':');
  if (first <= 0) return undefined;
  let location = '';
  for (let i = first + 1; i < message.length; i++) {
    const ch = message[i];
    if (ch === '|' && i + 1 < message.length) {
      location += message[++i];
    } else if (ch === ':') {
      try {
        return { queue: message.slice(0, first), location, event: JSON.parse(message.slice(i + 1)) as unknown };
      } catch {
        return undefined;
      }
    } else {
      location += ch;
    }
  }
  return undefined;
};
