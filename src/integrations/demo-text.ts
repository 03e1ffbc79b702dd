// Short words for the demo's table: a value as text, a string cut to a width (what each integration's demo.describe uses).

/** A string or number as text; anything else as `?`. */
export const demoText = (value: unknown): string => (typeof value === 'string' || typeof value === 'number' ? String(value) : '?');

/** `s` cut to `n` characters, the last one an ellipsis when cut. */
export const shortText = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
