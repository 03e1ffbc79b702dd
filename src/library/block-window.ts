// One block's window in push mode: the alerts it holds (at most its high-water mark) and whether it stalled.

/**
 * The alerts one block was handed and has not settled, bounded by `capacity`. A full window makes
 * new alerts wait (backpressure) — unless the block has STALLED: full, and nothing but dead letters
 * settled for `stallMs` while it had work (its service is down or hangs). A stalled block's new alerts
 * are dead-lettered (`overflow`) instead, so that it never holds back the other blocks; a slow but
 * working block keeps settling and keeps its backpressure.
 */
export class BlockWindow<T> {
  readonly capacity: number;
  readonly stallMs: number;
  /** Held alerts by seq. */
  readonly pending = new Map<number, T>();
  /** Since when the block made no progress: its last settlement other than a dead letter, or when it got work after none. */
  #progressAt: number;
  /** Found without progress for stallMs by a timer that fired on time (see mark); cleared by progress. */
  #stalled = false;

  constructor(capacity: number, stallMs: number, now = Date.now()) {
    this.capacity = capacity;
    this.stallMs = stallMs;
    this.#progressAt = now;
  }

  get full(): boolean {
    return this.pending.size >= this.capacity;
  }

  add(seq: number, item: T, now = Date.now()): void {
    // Work after none: the time without progress counts from now (a dead letter freeing one slot does not reset it).
    if (this.pending.size === 0) this.#progressAt = now;
    this.pending.set(seq, item);
  }

  /** Takes the alert out; `progress` unless it was dead-lettered (a down service settles only that way). */
  take(seq: number, progress: boolean, now = Date.now()): T | undefined {
    const item = this.pending.get(seq);
    if (item === undefined) return undefined;
    this.pending.delete(seq);
    if (progress) {
      this.#progressAt = now;
      this.#stalled = false;
    }
    return item;
  }

  /** When a full window counts as stalled (ms since the epoch); meaningless while it has room. */
  get stallsAt(): number {
    return this.#progressAt + this.stallMs;
  }

  /**
   * Flags the block stalled if it is full and made no progress for stallMs. Only called by a timer
   * that fired on time: an event loop the app kept busy delays every answer, and must not make a
   * working block look stalled.
   */
  mark(now = Date.now()): void {
    if (this.full && now >= this.stallsAt) this.#stalled = true;
  }

  /** The event loop was busy (a late timer): the time without progress counts again from now. */
  restart(now = Date.now()): void {
    this.#progressAt = Math.max(this.#progressAt, now);
  }

  /** Full and flagged by mark(): its new alerts are dead-lettered instead of waiting. */
  get stalled(): boolean {
    return this.#stalled && this.full;
  }
}
