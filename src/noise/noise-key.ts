// A noise key: a fixed-size digest of the key fields' values, and those values truncated for display in digests.

import { createHash } from 'node:crypto';
import { alertId, field, type Alert } from '../alerts/alert.js';

/** Characters of one key value kept for display (digests, explain); the key itself is a digest of the whole values. */
export const DISPLAY_VALUE_CHARS = 128;
/** Characters of an alert id kept as a key's first alert (ids are `<epoch>.<counter>`; anything longer is cut). */
export const ID_CHARS = 64;

export interface NoiseKey {
  /** 22 base64url characters (132 bits of SHA-256 of the values' JSON): the same size whatever the alert holds. */
  readonly key: string;
  /** Dotted path → value, long values truncated (DISPLAY_VALUE_CHARS); a missing field is null. */
  readonly values: Readonly<Record<string, unknown>>;
  /** The fields absent from the alert (their value is null in the key). */
  readonly missing: number;
}

/**
 * The first `n` characters as a string of their own. A plain `slice` of a long string may keep the
 * whole of it alive (V8's sliced strings): a 200 KB key value kept by its cut would defeat the cut.
 */
export const cut = (text: string, n: number): string => Buffer.from(text.slice(0, n), 'utf8').toString('utf8');

/** A value as shown: strings and JSON beyond DISPLAY_VALUE_CHARS cut with an ellipsis; numbers, booleans and null kept. */
export const displayValue = (value: unknown): unknown => {
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? null;
  if (text === null) return null;
  if (text.length <= DISPLAY_VALUE_CHARS) return value;
  return `${cut(text, DISPLAY_VALUE_CHARS)}…`;
};

/** The readable form of a key: the JSON of its display values (explain, logs). */
export const readableKey = (fields: readonly string[], values: Readonly<Record<string, unknown>>): string => JSON.stringify(fields.map((f) => values[f] ?? null));

/** The key of `alert` by `fields` (dotted paths). Cost grows with the alert's key values, never with the state. */
export const keyOf = (fields: readonly string[], alert: Alert): NoiseKey => {
  const whole: unknown[] = [];
  const values: Record<string, unknown> = {};
  let missing = 0;
  for (const path of fields) {
    const value = field(alert, ...path.split('.'));
    if (value === undefined) missing++;
    whole.push(value ?? null);
    values[path] = displayValue(value ?? null);
  }
  const key = createHash('sha256').update(JSON.stringify(whole)).digest('base64url').slice(0, 22);
  return { key, values, missing };
};

/** The alert's id as noise state keeps it (at most ID_CHARS), or undefined. */
export const keptId = (alert: Alert): string | undefined => {
  const id = alertId(alert);
  return id === undefined || id.length <= ID_CHARS ? id : cut(id, ID_CHARS);
};
