// What noise state persists: one change per journal line, and the checks that clamp lines read back to the configured windows.

import type { NoiseSettings } from '../config/integration-config.js';
import { cut, displayValue, ID_CHARS } from './noise-key.js';

/**
 * One change of a block's noise state (one JSON line of STATE/noise/<block id>.journal). Keys are
 * digests (noise-key.ts): a line's size does not depend on the alerts. Held alerts are never in it:
 * they stay unsettled for the cursor and are read (and held) again after a restart.
 */
export type NoiseEntry =
  /** A dedup key seen until `until` (ms since the epoch), or forgotten (`gone`). */
  | { readonly d: string; readonly until: number; readonly firstId?: string }
  | { readonly d: string; readonly gone: true }
  /** An open group: its next digest at `nextAt`, its display values; or closed (`gone`). */
  | { readonly g: string; readonly nextAt: number; readonly firstId?: string; readonly values: Readonly<Record<string, unknown>> }
  | { readonly g: string; readonly gone: true }
  /** The hour's budget: when the hour started, how many messages it sent. */
  | { readonly hour: { readonly start: number; readonly sent: number } };

export type DedupEntry = Extract<NoiseEntry, { until: number }>;
export type GroupEntry = Extract<NoiseEntry, { nextAt: number }>;

const HOUR_MS = 3_600_000;
const isKey = (u: unknown): u is string => typeof u === 'string' && u.length > 0 && u.length <= 64;
const isTime = (u: unknown): u is number => typeof u === 'number' && Number.isFinite(u);
const idOf = (u: unknown): { firstId?: string } => (typeof u === 'string' ? { firstId: u.length <= ID_CHARS ? u : cut(u, ID_CHARS) } : {});
const isObject = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u);

/** The state a journal describes, lines applied in order; later lines win. */
export interface RestoredNoise {
  readonly dedup: Map<string, { until: number; firstId?: string }>;
  readonly groups: Map<string, { nextAt: number; firstId?: string; values: Record<string, unknown> }>;
  hour: { start: number; sent: number } | undefined;
}

/**
 * Applies journal lines (already parsed; anything malformed is skipped) and clamps what they say to
 * the block's settings at `now`: a dedup key is seen at most one window from now, a group's next
 * digest at most one wait or interval from now, the hour starts no later than now and has sent at
 * most the cap. Expired keys are dropped. A line planted or damaged can shorten a window, never
 * stretch one beyond the configuration.
 */
export const restoreNoise = (lines: Iterable<unknown>, settings: NoiseSettings, now: number): RestoredNoise => {
  const out: RestoredNoise = { dedup: new Map(), groups: new Map(), hour: undefined };
  const dedupMax = now + settings.dedupWindow * 1000;
  const groupMax = now + Math.max(settings.groupWait, settings.groupInterval) * 1000;
  for (const line of lines) {
    if (!isObject(line)) continue;
    if (isKey(line['d'])) {
      if (line['gone'] === true) out.dedup.delete(line['d']);
      else if (isTime(line['until'])) out.dedup.set(line['d'], { until: Math.min(line['until'], dedupMax), ...idOf(line['firstId']) });
    } else if (isKey(line['g'])) {
      if (line['gone'] === true) out.groups.delete(line['g']);
      else if (isTime(line['nextAt'])) {
        const raw = isObject(line['values']) ? line['values'] : {};
        const values = Object.fromEntries((settings.groupBy ?? []).map((f) => [f, displayValue(raw[f] ?? null)]));
        out.groups.set(line['g'], { nextAt: Math.min(line['nextAt'], groupMax), ...idOf(line['firstId']), values });
      }
    } else if (isObject(line['hour']) && isTime(line['hour']['start']) && isTime(line['hour']['sent'])) {
      const cap = settings.maxPerHour ?? 0;
      out.hour = { start: Math.min(line['hour']['start'], now), sent: Math.max(0, Math.min(Math.floor(line['hour']['sent']), cap)) };
    }
  }
  for (const [key, entry] of out.dedup) if (entry.until <= now) out.dedup.delete(key);
  if (out.hour !== undefined && out.hour.start + HOUR_MS <= now) out.hour = undefined;
  return out;
};
