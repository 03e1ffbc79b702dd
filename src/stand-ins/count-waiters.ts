// Promises that resolve once a stand-in has received N things, with a deadline so a lost one fails instead of hanging.

/** 15 s: far above any expected wait on loopback; only there so that a lost request or datagram fails loudly. */
export const WAIT_DEADLINE_MS = 15_000;

/** Waiters on a growing count (requests received, datagrams arrived). */
export class CountWaiters {
  readonly #what: string;
  readonly #current: () => number;
  readonly #waiters: { count: number; resolve: () => void }[] = [];

  constructor(what: string, current: () => number) {
    this.#what = what;
    this.#current = current;
  }

  /** Resolves once the count reaches `count`; rejects after `deadlineMs` naming how many arrived. */
  wait(count: number, deadlineMs = WAIT_DEADLINE_MS): Promise<void> {
    if (this.#current() >= count) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        reject(new Error(`${this.#current()} of ${count} ${this.#what} after ${deadlineMs / 1000} s`));
      }, deadlineMs);
      const waiter = {
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      this.#waiters.push(waiter);
    });
  }

  /** Call after the count grew: resolves the waiters it satisfies. */
  notify(): void {
    const now = this.#current();
    for (const w of this.#waiters.filter((x) => now >= x.count)) {
      this.#waiters.splice(this.#waiters.indexOf(w), 1);
      w.resolve();
    }
  }
}
