// Durations as integratord's configuration and commands write them: seconds, or `30s`, `5m`, `2h`, `1d`.

const UNIT_SECONDS: Readonly<Record<string, number>> = { '': 1, s: 1, m: 60, h: 3600, d: 86400 };

/**
 * Seconds of a duration: a whole number of seconds (`90`) or of a unit (`30s`, `5m`, `2h`, `1d`),
 * surrounding spaces ignored. Undefined for anything else (negative, fractions, other units, spaces
 * inside). Zero is a duration (`<group_wait>0</group_wait>`); callers that need more refuse it.
 */
export const durationSeconds = (text: string): number | undefined => {
  const m = /^\s*(\d{1,9})([smhd]?)\s*$/.exec(text);
  return m === null ? undefined : Number(m[1]) * (UNIT_SECONDS[m[2] ?? ''] ?? 1);
};
