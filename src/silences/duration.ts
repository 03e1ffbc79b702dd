// Durations as integratord's configuration and commands write them: seconds, or `30s`, `5m`, `2h`, `1d`.

const UNIT_MS: Readonly<Record<string, number>> = { '': 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Milliseconds of a duration: a positive whole number of seconds (`90`) or of a unit (`30s`, `5m`,
 * `2h`, `1d`). Undefined for anything else (zero, negative, fractions, other units, spaces inside).
 */
export const parseDuration = (text: string): number | undefined => {
  const m = /^\s*(\d{1,9})([smhd]?)\s*$/.exec(text);
  if (m === null) return undefined;
  const ms = Number(m[1]) * UNIT_MS[m[2] ?? '']!;
  return ms > 0 ? ms : undefined;
};
