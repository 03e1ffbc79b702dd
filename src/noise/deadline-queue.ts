// Deadlines in the order they fall due: a FIFO for deadlines pushed in nondecreasing order (a window after a monotonic clock).

/**
 * Push, peek and pop in O(1) (amortized) when deadlines are pushed in nondecreasing order, which
 * noise control guarantees: every deadline is its clamped clock plus one fixed duration (see
 * NoiseState). A deadline pushed out of order (state read back from disk) is inserted in place, by
 * binary search: correct, only slower. Entries are never removed in the middle: a caller checks a
 * popped entry against its own map (an entry that no longer matches is stale and skipped).
 */
export class DeadlineQueue<T> {
  #at: number[] = [];
  #values: T[] = [];
  #head = 0;

  get size(): number {
    return this.#at.length - this.#head;
  }

  push(at: number, value: T): void {
    const last = this.#at.length > this.#head ? this.#at[this.#at.length - 1] : undefined;
    if (last === undefined || at >= last) {
      this.#at.push(at);
      this.#values.push(value);
      return;
    }
    let lo = this.#head;
    let hi = this.#at.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.#at[mid] ?? 0) <= at) lo = mid + 1;
      else hi = mid;
    }
    this.#at.splice(lo, 0, at);
    this.#values.splice(lo, 0, value);
  }

  /** The earliest deadline, or undefined when empty. */
  peekAt(): number | undefined {
    return this.#head < this.#at.length ? this.#at[this.#head] : undefined;
  }

  /** Takes the earliest entry. */
  pop(): { readonly at: number; readonly value: T } | undefined {
    if (this.#head >= this.#at.length) return undefined;
    const at = this.#at[this.#head] as number;
    const value = this.#values[this.#head] as T;
    this.#head++;
    if (this.#head >= 1024 && this.#head * 2 >= this.#at.length) {
      // Drop the consumed front now and then: amortized O(1), memory bounded by the live entries.
      this.#at = this.#at.slice(this.#head);
      this.#values = this.#values.slice(this.#head);
      this.#head = 0;
    }
    return { at, value };
  }
}
