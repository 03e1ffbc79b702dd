// A parsed Wazuh alert: a JSON object as analysisd wrote it; every field may be missing or mistyped.

export type Alert = Readonly<Record<string, unknown>>;

/** True for a JSON object (not null, not an array): the only value that can be an alert. */
export const isAlert = (value: unknown): value is Alert => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads a nested field without trusting any type on the way: `field(a, 'rule', 'id')`. */
export const field = (alert: unknown, ...path: readonly string[]): unknown => {
  let value: unknown = alert;
  for (const key of path) {
    if (!isAlert(value)) return undefined;
    value = value[key];
  }
  return value;
};

/** A nested field when it is a string, else undefined. */
export const stringField = (alert: unknown, ...path: readonly string[]): string | undefined => {
  const value = field(alert, ...path);
  return typeof value === 'string' ? value : undefined;
};

/** The alert id (`<epoch>.<counter>`), or undefined. */
export const alertId = (alert: unknown): string | undefined => stringField(alert, 'id');
