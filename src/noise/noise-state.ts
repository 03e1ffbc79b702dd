// One block's noise control as a state machine: dedup windows, open groups, the hourly budget and the alerts held for digests.

import { alertId, field, type Alert } from '../alerts/alert.js';
import type { NoiseSettings } from '../config/integration-config.js';

/** An alert held for a digest: its place in the block's source (it stays unsettled until the digest's outcome). */
export interface HeldAlert {
  readonly seq: number;
  readonly alert: Alert;
}

/** Alerts to send as one digest: a group's (reason `group`) or those beyond the hourly cap (`max_per_hour`). */
export interface DigestBatch {
  readonly reason: 'group' | 'max_per_hour';
  /** The group key (JSON of the group_by values), or `max_per_hour`. */
  readonly key: string;
  /** The group's field values (dotted path → value); empty for the hourly cap. */
  readonly group: Readonly<Record<string, unknown>>;
  readonly held: readonly HeldAlert[];
}

/** What to do with one matched alert now. */
export type Admission =
  | { readonly kind: 'send' }
  | { readonly kind: 'suppressed'; readonly reason: 'dedup'; readonly key: string }
  | { readonly kind: 'held'; readonly reason: 'group' | 'max_per_hour'; readonly key: string };

/**
 * What survives a restart (STATE/noise/<block id>.json): seen dedup keys, open groups and the hour's
 * budget, times in ms since the epoch. Held alerts are not in it: they stay unsettled for the cursor
 * and are read again after a restart.
 */
export interface NoiseSnapshot {
  readonly dedup: Readonly<Record<string, { readonly until: number; readonly firstId?: string }>>;
  readonly groups: Readonly<Record<string, { readonly nextAt: number; readonly firstId?: string }>>;
  readonly hour?: { readonly start: number; readonly sent: number };
}

const HOUR_MS = 3_600_000;

interface OpenGroup {
  nextAt: number;
  firstId?: string;
  readonly values: Readonly<Record<string, unknown>>;
  held: HeldAlert[];
}

/** The values of `fields` in `alert` (a missing one is null), as a stable key and as a dotted-path object. */
export const keyOf = (fields: readonly string[], alert: Alert): { readonly key: string; readonly values: Readonly<Record<string, unknown>> } => {
  const values: Record<string, unknown> = {};
  for (const path of fields) values[path] = field(alert, ...path.split('.')) ?? null;
  return { key: JSON.stringify(fields.map((f) => values[f])), values };
};

/**
 * Decides per matched alert: dedup (a key seen within its window suppresses), then groups (the first
 * alert of a new group is sent at once, or held group_wait; later ones are held until the group's
 * next digest), then the hourly budget (a message beyond max_per_hour is held for the digest sent
 * when the budget renews). `now` is the caller's clock (wall or the alerts' own timestamps). An
 * alert whose id is the recorded first alert of its key (read again after a restart) is sent again,
 * never suppressed: a restart may duplicate it, never lose it. Not thread-safe; no I/O.
 */
export class NoiseState {
  readonly #settings: NoiseSettings;
  readonly #dedup = new Map<string, { until: number; firstId?: string }>();
  readonly #groups = new Map<string, OpenGroup>();
  #hour: { start: number; sent: number } | undefined;
  #capped: HeldAlert[] = [];
  #changed = false;

  constructor(settings: NoiseSettings, snapshot?: NoiseSnapshot) {
    this.#settings = settings;
    for (const [key, entry] of Object.entries(snapshot?.dedup ?? {})) this.#dedup.set(key, { ...entry });
    for (const [key, entry] of Object.entries(snapshot?.groups ?? {})) {
      let values: Record<string, unknown> = {};
      try {
        const parsed: unknown = JSON.parse(key);
        if (Array.isArray(parsed)) values = Object.fromEntries((settings.groupBy ?? []).map((f, i) => [f, parsed[i] ?? null]));
      } catch {
        values = {};
      }
      this.#groups.set(key, { nextAt: entry.nextAt, ...(entry.firstId === undefined ? {} : { firstId: entry.firstId }), values, held: [] });
    }
    if (snapshot?.hour !== undefined) this.#hour = { ...snapshot.hour };
  }

  /** Alerts held now, in every group and beyond the cap. */
  get held(): number {
    let n = this.#capped.length;
    for (const group of this.#groups.values()) n += group.held.length;
    return n;
  }

  /** The dedup and group keys of an alert (for explain), without changing anything. */
  keys(alert: Alert): { readonly dedup?: string; readonly group?: string } {
    const { dedupBy, groupBy } = this.#settings;
    return { ...(dedupBy ? { dedup: keyOf(dedupBy, alert).key } : {}), ...(groupBy ? { group: keyOf(groupBy, alert).key } : {}) };
  }

  /** Decides for one alert at `now` (call `due(now)` first, so that digests due are sent before). */
  admit(held: HeldAlert, now: number): Admission {
    const { alert } = held;
    const id = alertId(alert);
    const s = this.#settings;
    if (s.dedupBy !== undefined) {
      const { key } = keyOf(s.dedupBy, alert);
      const seen = this.#dedup.get(key);
      if (seen !== undefined && seen.until > now && (id === undefined || seen.firstId !== id)) return { kind: 'suppressed', reason: 'dedup', key };
      if (seen === undefined || seen.until <= now) {
        this.#dedup.set(key, { until: now + s.dedupWindow * 1000, ...(id === undefined ? {} : { firstId: id }) });
        this.#changed = true;
      }
    }
    if (s.groupBy !== undefined) {
      const { key, values } = keyOf(s.groupBy, alert);
      const open = this.#groups.get(key);
      const closed = open === undefined || (open.held.length === 0 && open.nextAt <= now);
      if (closed) {
        this.#changed = true;
        if (s.groupWait > 0) {
          this.#groups.set(key, { nextAt: now + s.groupWait * 1000, values, held: [held] });
          return { kind: 'held', reason: 'group', key };
        }
        this.#groups.set(key, { nextAt: now + s.groupInterval * 1000, ...(id === undefined ? {} : { firstId: id }), values, held: [] });
      } else if (id === undefined || open.firstId !== id) {
        open.held.push(held);
        return { kind: 'held', reason: 'group', key };
      }
    }
    if (this.#spend(now)) return { kind: 'send' };
    this.#capped.push(held);
    return { kind: 'held', reason: 'max_per_hour', key: 'max_per_hour' };
  }

  /** The digests due at `now`: groups whose interval (or wait) ended, and the capped alerts once the hour renewed. */
  due(now: number): DigestBatch[] {
    const out: DigestBatch[] = [];
    for (const [key, group] of this.#groups) {
      if (group.nextAt > now) continue;
      if (group.held.length === 0) {
        // No new alert for an interval: the group closes.
        this.#groups.delete(key);
        this.#changed = true;
        continue;
      }
      const held = group.held;
      group.held = [];
      // The next digest is one interval after this one was due (not after `now`: the alerts clock checks late).
      group.nextAt += this.#settings.groupInterval * 1000;
      this.#changed = true;
      if (group.nextAt <= now) this.#groups.delete(key); // and no alert came in that interval: closed
      if (this.#spend(now)) out.push({ reason: 'group', key, group: group.values, held });
      else this.#capped.push(...held);
    }
    if (this.#capped.length > 0 && this.#hour !== undefined && now >= this.#hour.start + HOUR_MS) {
      this.#hour = { start: now, sent: 1 };
      this.#changed = true;
      out.push({ reason: 'max_per_hour', key: 'max_per_hour', group: {}, held: this.#capped });
      this.#capped = [];
    }
    return out;
  }

  /** Every held alert as digests now, whatever the clock (the input ended, or too many are held). */
  flushAll(now: number): DigestBatch[] {
    const out: DigestBatch[] = [];
    for (const [key, group] of this.#groups) {
      if (group.held.length === 0) continue;
      out.push({ reason: 'group', key, group: group.values, held: group.held });
      group.held = [];
      group.nextAt = Math.max(group.nextAt, now);
    }
    if (this.#capped.length > 0) out.push({ reason: 'max_per_hour', key: 'max_per_hour', group: {}, held: this.#capped });
    this.#capped = [];
    this.#changed = true;
    return out;
  }

  /** When the next digest falls due (ms), or undefined when nothing is held. */
  nextDeadline(): number | undefined {
    let next: number | undefined;
    for (const group of this.#groups.values()) if (group.held.length > 0 && (next === undefined || group.nextAt < next)) next = group.nextAt;
    if (this.#capped.length > 0 && this.#hour !== undefined) {
      const renews = this.#hour.start + HOUR_MS;
      if (next === undefined || renews < next) next = renews;
    }
    return next;
  }

  /** True once after something persistent changed (the caller then saves `snapshot`). */
  takeChanged(): boolean {
    const changed = this.#changed;
    this.#changed = false;
    return changed;
  }

  /** What to persist: dedup keys still in their window, open groups, the hour's budget. */
  snapshot(now: number): NoiseSnapshot {
    const dedup: Record<string, { until: number; firstId?: string }> = {};
    for (const [key, entry] of this.#dedup) {
      if (entry.until > now) dedup[key] = entry;
      else this.#dedup.delete(key);
    }
    const groups: Record<string, { nextAt: number; firstId?: string }> = {};
    for (const [key, g] of this.#groups) groups[key] = { nextAt: g.nextAt, ...(g.firstId === undefined ? {} : { firstId: g.firstId }) };
    return { dedup, groups, ...(this.#hour === undefined ? {} : { hour: { ...this.#hour } }) };
  }

  /** Takes one message from the hour's budget; false when the cap is reached (always true without a cap). */
  #spend(now: number): boolean {
    const cap = this.#settings.maxPerHour;
    if (cap === undefined) return true;
    if (this.#hour === undefined || now >= this.#hour.start + HOUR_MS) {
      if (this.#capped.length > 0) return false; // the renewal belongs to the capped digest (see due)
      this.#hour = { start: now, sent: 0 };
    }
    this.#changed = true;
    if (this.#hour.sent >= cap) return false;
    this.#hour.sent++;
    return true;
  }
}
