// One alerts.json line to an Alert, or the reason it is not one; never throws.

import { isAlert, type Alert } from './alert.js';
import { errorMessage } from '../errors.js';

export type ParseResult =
  | { readonly ok: true; readonly alert: Alert }
  | { readonly ok: false; readonly reason: 'invalid-json' | 'not-an-object'; readonly detail: string };

/** 200 characters: enough for JSON.parse's message and position, short enough for a log line. */
const MAX_DETAIL = 200;

/**
 * Deepest nesting of arrays and objects accepted: 1000, cJSON's default limit (CJSON_NESTING_LIMIT), so
 * Wazuh's reader refuses deeper lines as invalid JSON too. JSON.parse takes any depth but JSON.stringify
 * overflows the stack at a few thousand levels, so such an alert could be neither sent nor dead-lettered.
 */
export const MAX_NESTING = 1000;

/** True when arrays/objects of a valid JSON text nest deeper than `limit`. */
const nestedDeeperThan = (text: string, limit: number): boolean => {
  // Deeper nesting needs more than `limit` opening and closing brackets: short lines (most alerts) are
  // decided by their length, longer ones by counting brackets with native scans (measured: within noise
  // of JSON.parse alone on the bench corpus, 200k lines).
  if (text.length <= 2 * limit) return false;
  let opening = 0;
  for (const bracket of ['[', '{']) {
    for (let i = text.indexOf(bracket); i !== -1 && opening <= limit; i = text.indexOf(bracket, i + 1)) opening++;
  }
  if (opening <= limit) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
};

const kindOf = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`);

/**
 * Parses one line. Surrounding whitespace (a `\r`, spaces) is accepted, unlike Wazuh's cJSON check.
 * `invalid-json` carries JSON.parse's message (or says the object nests deeper than MAX_NESTING);
 * `not-an-object` says what the value was instead.
 */
export const parseAlertLine = (text: string): ParseResult => {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = errorMessage(error);
    return { ok: false, reason: 'invalid-json', detail: message.length > MAX_DETAIL ? `${message.slice(0, MAX_DETAIL)}…` : message };
  }
  if (!isAlert(value)) return { ok: false, reason: 'not-an-object', detail: `the line is ${kindOf(value)}, not a JSON object` };
  if (nestedDeeperThan(text, MAX_NESTING)) return { ok: false, reason: 'invalid-json', detail: `nested deeper than ${MAX_NESTING} levels (Wazuh's cJSON limit)` };
  return { ok: true, alert: value };
};
