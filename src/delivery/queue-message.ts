// The write-back datagram analysisd reads on its queue socket: `1:<location>:<json>`, its escaping, and its inverse.

import { pythonJson } from './python-json.js';
import { escapeControls } from '../telemetry/control-escapes.js';
import type { QueueStep } from './step.js';

/** Wazuh's queue id for "localfile" messages: the prefix of every write-back datagram. */
const LOCALFILE_QUEUE = '1';

/**
 * Wazuh's location escaping, applied in this order: `|` → `||`, then `:` → `|:`. Before it, control
 * characters (from agent fields) become visible escapes (`\n`, `\x00`): analysisd reads the datagram
 * as a C string (a NUL cut the event off) and has no escape for them (`|` only protects `:`), and a
 * newline would split the location in alerts.log. Locations without them are unchanged.
 */
export const escapeLocation = (location: string): string => escapeControls(location).replaceAll('|', '||').replaceAll(':', '|:');

/** The datagram text: `1:<location>:<event as Python's json.dumps writes it>` (`compact`: with separators `,` and `:`). */
export const queueMessage = (location: string, event: unknown, compact = false): string => `${LOCALFILE_QUEUE}:${location}:${pythonJson(event, compact)}`;

/** The step that writes one event back to Wazuh. */
export const queueStep = (location: string, event: unknown, compact = false): QueueStep => ({ kind: 'queue', message: queueMessage(location, event, compact) });

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
