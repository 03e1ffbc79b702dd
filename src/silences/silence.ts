// A silence: alerts whose fields equal given values are not delivered (one block or all) until it expires.

import { field, type Alert } from '../alerts/alert.js';

/** One `--match FIELD=VALUE`: a dotted alert path (`data.srcip`) and the exact value it must have. */
export interface Matcher {
  readonly field: string;
  readonly value: string;
}

/** As kept in STATE/silences.json. Times are ISO 8601 (UTC). */
export interface Silence {
  readonly id: string;
  readonly matchers: readonly Matcher[];
  /** The block id it applies to (config/block-identity.ts); absent: every block. */
  readonly block?: string;
  readonly created_at: string;
  readonly expires_at: string;
  readonly comment: string;
  /** The user who added it, when known. */
  readonly created_by?: string;
}

/** What a block asks for each alert its filters took: the silence that skips it, if any. */
export interface SilenceMatcher {
  match(alert: Alert, blockId: string): Silence | undefined;
}

/**
 * Parses `FIELD=VALUE` (split at the first `=`): FIELD is dotted names, none empty; VALUE may be
 * anything, empty included. Undefined when it is not of that shape.
 */
export const parseMatcher = (text: string): Matcher | undefined => {
  const at = text.indexOf('=');
  if (at <= 0) return undefined;
  const path = text.slice(0, at);
  if (path.split('.').some((part) => part === '')) return undefined;
  return { field: path, value: text.slice(at + 1) };
};

/**
 * True when the alert's field equals the value exactly: a string field as it is, a number or
 * boolean field as JSON writes it (`rule.level=10`); objects, arrays, null and missing never match.
 */
const fieldEquals = (alert: Alert, matcher: Matcher): boolean => {
  const value = field(alert, ...matcher.field.split('.'));
  if (typeof value === 'string') return value === matcher.value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value) === matcher.value;
  return false;
};

/** True while `now` (ms since the epoch) is before its expiry. */
export const isActive = (silence: Silence, now: number): boolean => Date.parse(silence.expires_at) > now;

/** The first silence active at `now`, for this block (or every block), whose every matcher holds for the alert. */
export const findSilence = (silences: readonly Silence[], alert: Alert, blockId: string, now: number): Silence | undefined =>
  silences.find((s) => (s.block === undefined || s.block === blockId) && isActive(s, now) && s.matchers.every((m) => fieldEquals(alert, m)));

/** `FIELD=VALUE, FIELD=VALUE` (values JSON-quoted when they hold a comma, a quote, a space or nothing). */
export const describeMatchers = (matchers: readonly Matcher[]): string =>
  matchers.map((m) => `${m.field}=${m.value === '' || /[\s,"=]/.test(m.value) ? JSON.stringify(m.value) : m.value}`).join(', ');

/** One line naming a silence for logs and `explain`: id, matchers, expiry and comment. */
export const describeSilence = (s: Silence): string =>
  `silence ${s.id} (${describeMatchers(s.matchers)}; until ${s.expires_at}; ${JSON.stringify(s.comment)})`;
