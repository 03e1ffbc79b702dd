// One alerts.json line to an Alert, or the reason it is not one; never throws.

import { isAlert, type Alert } from './alert.js';

export type ParseResult =
  | { readonly ok: true; readonly alert: Alert }
  | { readonly ok: false; readonly reason: 'invalid-json' | 'not-an-object'; readonly detail: string };

/** 200 characters: enough for JSON.parse's message and position, short enough for a log line. */
const MAX_DETAIL = 200;

const kindOf = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`);

/**
 * Parses one line. Surrounding whitespace (a `\r`, spaces) is accepted, unlike Wazuh's cJSON check.
 * `invalid-json` carries JSON.parse's message; `not-an-object` says what the value was instead.
 */
export const parseAlertLine = (text: string): ParseResult => {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: 'invalid-json', detail: message.length > MAX_DETAIL ? `${message.slice(0, MAX_DETAIL)}…` : message };
  }
  return isAlert(value) ? { ok: true, alert: value } : { ok: false, reason: 'not-an-object', detail: `the line is ${kindOf(value)}, not a JSON object` };
};
