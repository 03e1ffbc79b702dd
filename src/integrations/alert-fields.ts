// The alert fields Wazuh's webhook scripts read, with the values we use where Wazuh's script would crash.

import { field, isAlert, type Alert } from '../alerts/alert.js';

/**
 * rule.level as a number. Missing or not a number → 0: analysisd omits `level` when it is 0,
 * so 0 is what a missing level means (Wazuh's scripts raise KeyError and exit 1 instead).
 */
export const ruleLevel = (alert: Alert): number => {
  const level = field(alert, 'rule', 'level');
  return typeof level === 'number' && Number.isFinite(level) ? level : 0;
};

/** A member of `rule` as the scripts read it (`'x' in alert['rule']`): the raw value or `fallback`. */
export const ruleMember = (alert: Alert, key: string, fallback: unknown): unknown => {
  const rule = alert['rule'];
  return isAlert(rule) && key in rule ? rule[key] : fallback;
};

/** A top-level member, raw, or `fallback` when absent (`alert.get(key, fallback)`). */
export const member = (alert: Alert, key: string, fallback: unknown): unknown => (key in alert ? alert[key] : fallback);

/** Python's `str()` of a JSON scalar, for values formatted into text ('{0}'.format(x)). */
export const pythonText = (value: unknown): string => {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return typeof value === 'number' ? String(value) : JSON.stringify(value);
};
