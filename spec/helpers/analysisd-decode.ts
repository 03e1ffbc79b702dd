// What analysisd makes of a write-back datagram (reference §6.6): agent from the location, scalars as strings.

import { parseQueueMessage } from '../../src/delivery/queue-message.js';

export interface DecodedEvent {
  readonly agent: { readonly id: string; readonly name?: string; readonly ip?: string };
  readonly location: string;
  readonly data: unknown;
}

/** Wazuh's json decoder turns every scalar into a string (`"found": "1"`). */
const stringify = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(stringify);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stringify(v)]));
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
};

/** Decodes a datagram like analysisd: `[id] (name) ip->integration` gives the agent; else the manager (000). */
export const decodeLikeAnalysisd = (datagram: string): DecodedEvent => {
  const parsed = parseQueueMessage(datagram);
  if (parsed === undefined) throw new Error(`not a write-back datagram: ${datagram}`);
  const agent = /^\[(.*?)\] \((.*?)\) (.*)->(.*)$/.exec(parsed.location);
  return agent
    ? { agent: { id: agent[1] ?? '', name: agent[2] ?? '', ip: agent[3] ?? '' }, location: agent[4] ?? '', data: stringify(parsed.event) }
    : { agent: { id: '000' }, location: parsed.location, data: stringify(parsed.event) };
};
