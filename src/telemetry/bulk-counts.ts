// Per-alert counts kept as plain numbers and handed to prom-client in bulk: no label hashing or validation per alert.

/** A counter or gauge series, as far as handing it a sum goes. */
interface Incrementable {
  inc(labels: Record<string, string>, value: number): void;
}

/** One series' pending sum: `add` is a plain addition. */
export interface BulkCount {
  add(value?: number): void;
}

interface Entry extends BulkCount {
  readonly metric: Incrementable;
  readonly labels: Record<string, string>;
  pending: number;
  dirty: boolean;
}

/**
 * The pending sums of one metric set. Every metric of the set flushes them when it is read (prom-client
 * calls its `collect` before any read: /metrics, `get()`, forgetRemovedBlocks), so a reader always sees
 * exact values. One entry per (metric, label set) asked for, kept for reuse: their number is bounded by
 * blocks × metrics, never by alerts. A gauge takes signed deltas (in flight: +1, −1).
 */
export class BulkCounts {
  readonly #entries = new Map<Incrementable, Map<string, Entry>>();
  readonly #dirty: Entry[] = [];

  /** The pending sum of `metric` with `labels` (the same object for the same series). */
  of(metric: Incrementable, labels: Record<string, string>): BulkCount {
    const key = Object.entries(labels).map(([k, v]) => `${k}=${v}`).join('\u0000');
    let series = this.#entries.get(metric);
    if (series === undefined) this.#entries.set(metric, (series = new Map()));
    let entry = series.get(key);
    if (entry === undefined) {
      const dirty = this.#dirty;
      const made: Entry = {
        metric,
        labels: { ...labels },
        pending: 0,
        dirty: false,
        add(value = 1) {
          made.pending += value;
          if (!made.dirty) {
            made.dirty = true;
            dirty.push(made);
          }
        },
      };
      series.set(key, (entry = made));
    }
    return entry;
  }

  /** Hands every pending sum to its metric. */
  flush(): void {
    const dirty = this.#dirty.splice(0);
    for (const entry of dirty) {
      const value = entry.pending;
      entry.pending = 0;
      entry.dirty = false;
      if (value !== 0) entry.metric.inc(entry.labels, value);
    }
  }
}
