// One block's noise control as a state machine: dedup windows, open groups, the hourly budget and the alerts held for digests.

import type { Alert } from '../alerts/alert.js';
import type { NoiseSettings } from '../config/integration-config.js';
import { DeadlineQueue } from './deadline-queue.js';
import { HourlyBudget } from './hourly-budget.js';
import { restoreNoise, type NoiseEntry } from './noise-journal.js';
import { keptId, keyOf, readableKey } from './noise-key.js';
import { DEFAULT_NOISE_LIMITS, sizeOf, type Admission, type DigestBatch, type HeldAlert, type NoiseLimits, type OpenGroup } from './noise-types.js';

export type { Admission, DigestBatch, HeldAlert, NoiseLimits } from './noise-types.js';
export { DEFAULT_NOISE_LIMITS } from './noise-types.js';

/**
 * Decides per matched alert: dedup (a key seen within its window suppresses), then groups (the first
 * alert of a new group is sent at once, or held group_wait; later ones are held until the group's
 * next digest), then the hourly budget (a message beyond max_per_hour is held for the digest sent
 * when the budget renews). An alert whose id is the recorded first alert of its key (read again
 * after a restart) is sent again, never suppressed: a restart may duplicate it, never lose it.
 *
 * Cost per alert does not grow with the state: keys are fixed-size digests in maps, deadlines in
 * FIFO queues (each is the clamped clock plus a fixed window, so they come in order), counts kept
 * as they change, and persistence is the list of changes since the last `takeChanges` (a journal),
 * never the whole state. `operations` counts the entries touched, for the specs. No I/O.
 */
export class NoiseState {
  /** Map and queue entries touched so far (the cost model the specs check). */
  operations = 0;
  /** Alerts whose key fields were (partly) missing from the alert. */
  missingKeys = 0;
  /** Times a cap was reached: keys forgotten early, held alerts sent early. */
  readonly overflow = { keys: 0, held: 0 };
  readonly #settings: NoiseSettings;
  readonly #limits: NoiseLimits;
  readonly #dedup = new Map<string, { until: number; firstId?: string }>();
  readonly #dedupQueue = new DeadlineQueue<string>();
  readonly #groups = new Map<string, OpenGroup>();
  readonly #groupQueue = new DeadlineQueue<string>();
  readonly #heldQueue = new DeadlineQueue<string>();
  #budget: HourlyBudget;
  #capped: HeldAlert[] = [];
  #cappedBytes = 0;
  #held = 0;
  #heldBytes = 0;
  /** Groups forgotten beyond maxKeys with alerts held: sent by the next relieve. */
  #early: DigestBatch[] = [];
  #now = Number.NEGATIVE_INFINITY;
  readonly #changes = new Map<string, NoiseEntry>();

  constructor(settings: NoiseSettings, options: { readonly limits?: Partial<NoiseLimits>; readonly journal?: Iterable<unknown>; readonly now?: number } = {}) {
    this.#settings = settings;
    this.#limits = { ...DEFAULT_NOISE_LIMITS, ...options.limits };
    const restored = options.journal === undefined ? undefined : restoreNoise(options.journal, settings, options.now ?? Date.now());
    this.#budget = new HourlyBudget(settings.maxPerHour, restored?.hour, (hour) => this.#changes.set('h', { hour }));
    if (restored === undefined) return;
    for (const [key, entry] of restored.dedup) {
      this.#dedup.set(key, entry);
      this.#dedupQueue.push(entry.until, key);
    }
    for (const [key, g] of restored.groups) {
      this.#groups.set(key, { ...g, held: [], bytes: 0, heldSince: 0 });
      this.#groupQueue.push(g.nextAt, key);
    }
  }

  get held(): number {
    return this.#held;
  }

  get heldBytes(): number {
    return this.#heldBytes;
  }

  /** Open dedup keys and open groups. */
  get openKeys(): { readonly dedup: number; readonly groups: number } {
    return { dedup: this.#dedup.size, groups: this.#groups.size };
  }

  /** The readable dedup and group keys of an alert (explain), without changing anything. */
  keys(alert: Alert): { readonly dedup?: string; readonly group?: string } {
    const { dedupBy, groupBy } = this.#settings;
    return {
      ...(dedupBy ? { dedup: readableKey(dedupBy, keyOf(dedupBy, alert).values) } : {}),
      ...(groupBy ? { group: readableKey(groupBy, keyOf(groupBy, alert).values) } : {}),
    };
  }

  /** Decides for one alert at `now` (call `due(now)` first, so that digests due are sent before; `relieve(now)` after). */
  admit(held: HeldAlert, now: number): Admission {
    now = this.#clamp(now);
    const id = keptId(held.alert);
    const s = this.#settings;
    const dedupKey = s.dedupBy === undefined ? undefined : keyOf(s.dedupBy, held.alert);
    const groupKey = s.groupBy === undefined ? undefined : keyOf(s.groupBy, held.alert);
    if ((dedupKey?.missing ?? 0) + (groupKey?.missing ?? 0) > 0) this.missingKeys++;
    if (dedupKey !== undefined) {
      const { key } = dedupKey;
      const seen = this.#dedup.get(key);
      this.operations++;
      if (seen !== undefined && seen.until > now && (id === undefined || seen.firstId !== id)) return { kind: 'suppressed', reason: 'dedup', key };
      if (seen === undefined || seen.until <= now) {
        const entry = { until: now + s.dedupWindow * 1000, ...(id === undefined ? {} : { firstId: id }) };
        this.#dedup.set(key, entry);
        this.#dedupQueue.push(entry.until, key);
        this.#changes.set(`d${key}`, { d: key, ...entry });
        this.#bound('d');
      }
    }
    if (groupKey !== undefined) {
      const { key, values } = groupKey;
      const open = this.#groups.get(key);
      this.operations++;
      const closed = open === undefined || (open.held.length === 0 && open.nextAt <= now);
      if (closed) {
        const wait = s.groupWait > 0;
        const group: OpenGroup = { nextAt: now + (wait ? s.groupWait : s.groupInterval) * 1000, ...(wait || id === undefined ? {} : { firstId: id }), values, held: [], bytes: 0, heldSince: now };
        this.#groups.set(key, group);
        this.#groupQueue.push(group.nextAt, key);
        this.#journalGroup(key, group);
        this.#bound('g');
        if (wait) return this.#hold(key, group, held, now);
      } else if (id === undefined || open.firstId !== id) {
        return this.#hold(key, open, held, now);
      }
    }
    if (this.#budget.spend(now, this.#capped.length > 0)) return { kind: 'send' };
    this.#recap([held]);
    return { kind: 'held', reason: 'max_per_hour', key: 'max_per_hour' };
  }

  /** The digests due at `now`: groups whose interval (or wait) ended, and the capped alerts once the hour renewed. Forgets expired keys. */
  due(now: number): DigestBatch[] {
    now = this.#clamp(now);
    const out: DigestBatch[] = [];
    for (let at = this.#dedupQueue.peekAt(); at !== undefined && at <= now; at = this.#dedupQueue.peekAt()) {
      const { value: key } = this.#dedupQueue.pop() ?? { value: '' };
      this.operations++;
      const entry = this.#dedup.get(key);
      if (entry !== undefined && entry.until <= now) this.#dedup.delete(key); // expired: no journal line (expired lines are dropped when read)
    }
    for (let at = this.#groupQueue.peekAt(); at !== undefined && at <= now; at = this.#groupQueue.peekAt()) {
      const { value: key } = this.#groupQueue.pop() ?? { value: '' };
      this.operations++;
      const group = this.#groups.get(key);
      if (group === undefined || group.nextAt !== at) continue; // stale
      if (group.held.length === 0) {
        this.#close(key); // no new alert for an interval: the group closes
        continue;
      }
      const held = this.#take(group);
      // The next digest is one interval after this one was due (not after `now`: the alerts clock checks late).
      group.nextAt += this.#settings.groupInterval * 1000;
      if (group.nextAt <= now) this.#close(key); // and no alert came in that interval: closed
      else {
        this.#groupQueue.push(group.nextAt, key);
        this.#journalGroup(key, group);
      }
      if (this.#budget.spend(now, this.#capped.length > 0)) out.push({ reason: 'group', key, group: group.values, held });
      else this.#recap(held);
    }
    const renews = this.#budget.renewsAt();
    if (this.#capped.length > 0 && renews !== undefined && now >= renews) {
      this.#budget.renewForDigest(now);
      out.push(this.#takeCapped());
    }
    return out;
  }

  /** Held alerts beyond maxHeld or maxHeldBytes, as digests now: the groups held longest first, then the hourly cap's. */
  relieve(): DigestBatch[] {
    const out = this.#early;
    this.#early = [];
    const over = () => this.#held > this.#limits.maxHeld || this.#heldBytes > this.#limits.maxHeldBytes;
    while (over() && this.#heldQueue.size > 0) {
      const { at, value: key } = this.#heldQueue.pop() ?? { at: 0, value: '' };
      this.operations++;
      const group = this.#groups.get(key);
      if (group === undefined || group.held.length === 0 || group.heldSince !== at) continue; // stale
      this.overflow.held++;
      out.push({ reason: 'group', key, group: group.values, held: this.#take(group) });
    }
    if (over() && this.#capped.length > 0) {
      this.overflow.held++;
      out.push(this.#takeCapped());
    }
    return out;
  }

  /** Every held alert as digests now, whatever the clock (the input ended). Walks every group: once, at the end. */
  flushAll(): DigestBatch[] {
    const out: DigestBatch[] = [];
    for (const [key, group] of this.#groups) if (group.held.length > 0) out.push({ reason: 'group', key, group: group.values, held: this.#take(group) });
    if (this.#capped.length > 0) out.push(this.#takeCapped());
    return out;
  }

  /** When the next digest may fall due (ms), or undefined when nothing is held. */
  nextDeadline(): number | undefined {
    if (this.#held === 0) return undefined;
    const group = this.#held > this.#capped.length ? this.#groupQueue.peekAt() : undefined;
    const renews = this.#capped.length > 0 ? this.#budget.renewsAt() : undefined;
    if (group === undefined) return renews;
    return renews === undefined ? group : Math.min(group, renews);
  }

  /** The changes since the last call (journal lines), in no particular order; at most one per key. */
  takeChanges(): NoiseEntry[] {
    const out = [...this.#changes.values()];
    this.#changes.clear();
    return out;
  }

  /** The whole state as journal lines (compaction): keys still in their window, open groups, the budget. Walks everything: rare. */
  entries(now: number): NoiseEntry[] {
    const out: NoiseEntry[] = [];
    for (const [d, e] of this.#dedup) if (e.until > now) out.push({ d, ...e });
    for (const [g, e] of this.#groups) out.push({ g, nextAt: e.nextAt, ...(e.firstId === undefined ? {} : { firstId: e.firstId }), values: e.values });
    const hour = this.#budget.hour;
    if (hour !== undefined) out.push({ hour });
    return out;
  }

  /** The clock never goes back here (a wall clock stepped back would break the queues' order). */
  #clamp(now: number): number {
    if (now > this.#now) this.#now = now;
    return this.#now;
  }

  #hold(key: string, group: OpenGroup, held: HeldAlert, now: number): Admission {
    if (group.held.length === 0) {
      group.heldSince = now;
      this.#heldQueue.push(now, key);
    }
    group.held.push(held);
    const bytes = sizeOf(held);
    group.bytes += bytes;
    this.#held++;
    this.#heldBytes += bytes;
    return { kind: 'held', reason: 'group', key };
  }

  #take(group: OpenGroup): HeldAlert[] {
    const held = group.held;
    this.#held -= held.length;
    this.#heldBytes -= group.bytes;
    group.held = [];
    group.bytes = 0;
    return held;
  }

  #takeCapped(): DigestBatch {
    const held = this.#capped;
    this.#held -= held.length;
    this.#heldBytes -= this.#cappedBytes;
    this.#capped = [];
    this.#cappedBytes = 0;
    return { reason: 'max_per_hour', key: 'max_per_hour', group: {}, held };
  }

  #recap(held: HeldAlert[]): void {
    for (const h of held) {
      const bytes = sizeOf(h);
      this.#capped.push(h);
      this.#cappedBytes += bytes;
      this.#held++;
      this.#heldBytes += bytes;
    }
  }

  #close(key: string): void {
    this.#groups.delete(key);
    this.#changes.set(`g${key}`, { g: key, gone: true });
  }

  #journalGroup(key: string, group: OpenGroup): void {
    this.#changes.set(`g${key}`, { g: key, nextAt: group.nextAt, ...(group.firstId === undefined ? {} : { firstId: group.firstId }), values: group.values });
  }

  /** Beyond maxKeys, forgets the entries whose deadline comes first; a forgotten group's held alerts go out early (see relieve). */
  #bound(kind: 'd' | 'g'): void {
    const map: Map<string, { until?: number; nextAt?: number }> = kind === 'd' ? this.#dedup : this.#groups;
    const queue = kind === 'd' ? this.#dedupQueue : this.#groupQueue;
    while (map.size > this.#limits.maxKeys && queue.size > 0) {
      const { at, value: key } = queue.pop() ?? { at: 0, value: '' };
      this.operations++;
      const entry = map.get(key);
      if (entry === undefined || (entry.until ?? entry.nextAt) !== at) continue; // stale
      const group = kind === 'g' ? this.#groups.get(key) : undefined;
      if (group !== undefined && group.held.length > 0) this.#early.push({ reason: 'group', key, group: group.values, held: this.#take(group) });
      map.delete(key);
      this.overflow.keys++;
      this.#changes.set(`${kind}${key}`, kind === 'd' ? { d: key, gone: true } : { g: key, gone: true });
    }
  }
}
