// Deadlines of many requests from one timer: a list ordered by time, one scheduled action for its head.

import type { SchedulerLike, Subscription } from 'rxjs';

/** One armed deadline; `cancel()` removes it in O(1) (its work never runs). */
export interface Deadline {
  cancel(): void;
}

interface Entry extends Deadline {
  at: number;
  work: (() => void) | undefined;
  prev: Entry | undefined;
  next: Entry | undefined;
}

/**
 * The deadlines of a block's attempts: a doubly linked list sorted by due time (attempts of one block
 * share a timeout, so an entry is appended at the tail, O(1)), and one scheduled action on the
 * scheduler for the earliest. A cancelled head does not re-arm the timer: when it fires, every due
 * entry runs and the timer is armed again for the new head. So a stream of requests answered in time
 * costs about one timer per timeout period instead of one timer (and one AbortSignal) per request; an
 * empty list holds no timer (nothing keeps the process alive once the last request is answered).
 * Holds only armed entries: its size is the number of attempts in flight. Times come from the
 * scheduler's clock, so virtual-time specs drive it.
 */
export class DeadlineList {
  readonly #scheduler: SchedulerLike;
  #head: Entry | undefined;
  #tail: Entry | undefined;
  #size = 0;
  #timer: Subscription | undefined;
  /** When the armed timer fires (ms on the scheduler's clock). */
  #timerAt = Number.POSITIVE_INFINITY;

  constructor(scheduler: SchedulerLike) {
    this.#scheduler = scheduler;
  }

  /** Armed deadlines now. */
  get size(): number {
    return this.#size;
  }

  /** Runs `work` once `ms` have passed, unless cancelled first. */
  arm(ms: number, work: () => void): Deadline {
    const at = this.#scheduler.now() + ms;
    const entry: Entry = { at, work, prev: undefined, next: undefined, cancel: () => this.#remove(entry) };
    // Sorted insert from the tail: the common case (one timeout per block) stops at once.
    let after = this.#tail;
    while (after !== undefined && after.at > at) after = after.prev;
    entry.prev = after;
    entry.next = after === undefined ? this.#head : after.next;
    if (entry.next === undefined) this.#tail = entry;
    else entry.next.prev = entry;
    if (after === undefined) this.#head = entry;
    else after.next = entry;
    this.#size++;
    if (at < this.#timerAt) this.#arm(at);
    return entry;
  }

  /** Cancels every armed deadline and the timer (teardown). */
  clear(): void {
    for (let e = this.#head; e !== undefined; e = e.next) e.work = undefined;
    this.#head = this.#tail = undefined;
    this.#size = 0;
    this.#timer?.unsubscribe();
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
  }

  #remove(entry: Entry): void {
    if (entry.work === undefined) return;
    entry.work = undefined;
    if (entry.prev === undefined) this.#head = entry.next;
    else entry.prev.next = entry.next;
    if (entry.next === undefined) this.#tail = entry.prev;
    else entry.next.prev = entry.prev;
    entry.prev = entry.next = undefined;
    this.#size--;
    // Nothing left to watch: no timer either (a pending one would keep the process alive until it fired).
    if (this.#size === 0 && this.#timer !== undefined) {
      this.#timer.unsubscribe();
      this.#timer = undefined;
      this.#timerAt = Number.POSITIVE_INFINITY;
    }
  }

  #arm(at: number): void {
    this.#timer?.unsubscribe();
    this.#timerAt = at;
    this.#timer = this.#scheduler.schedule(() => this.#fire(), Math.max(0, at - this.#scheduler.now()));
  }

  #fire(): void {
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
    const now = this.#scheduler.now();
    while (this.#head !== undefined && this.#head.at <= now) {
      const entry = this.#head;
      const work = entry.work;
      this.#remove(entry);
      work?.();
    }
    // Work that armed a later deadline may have set the timer past the head: the head decides.
    if (this.#head !== undefined && this.#head.at < this.#timerAt) this.#arm(this.#head.at);
  }
}
