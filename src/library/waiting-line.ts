// Alerts waiting for room in an embedded integrator, first come first served, with the count of each kind.

import type { BlockOutcome } from '../pipeline/outcome.js';
import type { Deferred } from './deferred.js';

/** One alert waiting for room. */
export interface Waiting {
  readonly alert: unknown;
  /**
   * `send`: a caller awaits it, and is told when it is refused (stop, abort). `taken`: alerts$ or a
   * Writable already took it from the app, so it is dead-lettered (reason `stopped`) if refused.
   */
  readonly kind: 'send' | 'taken';
  /** Left the line before admission (its caller's signal fired): skipped when reached. */
  cancelled: boolean;
  /** Admitted: the alert entered every block; `settled` resolves with its outcomes. */
  admit: (settled: Promise<readonly BlockOutcome[]>) => void;
  refuse: (error: unknown) => void;
}

/** A FIFO of waiting alerts: O(1) at both ends whatever its length (Array#shift copies). */
export class WaitingLine {
  #items: (Waiting | undefined)[] = [];
  #head = 0;
  /** Live (not cancelled) entries of each kind. */
  readonly live = { send: 0, taken: 0 };

  get size(): number {
    return this.live.send + this.live.taken;
  }

  push(entry: Waiting): void {
    this.#items.push(entry);
    this.live[entry.kind]++;
  }

  /** Marks an entry as gone; true if it was still waiting. */
  cancel(entry: Waiting): boolean {
    if (entry.cancelled) return false;
    entry.cancelled = true;
    this.live[entry.kind]--;
    return true;
  }

  /** The first live entry, cancelled ones dropped on the way. */
  peek(): Waiting | undefined {
    for (;;) {
      const entry = this.#items[this.#head];
      if (entry === undefined || !entry.cancelled) return entry;
      this.#drop();
    }
  }

  /** Removes and returns the first live entry. */
  shift(): Waiting | undefined {
    const entry = this.peek();
    if (entry === undefined) return undefined;
    this.#drop();
    this.live[entry.kind]--;
    entry.cancelled = true;
    return entry;
  }

  /** Every live entry, the line emptied. */
  drain(): Waiting[] {
    const all: Waiting[] = [];
    for (let entry = this.shift(); entry !== undefined; entry = this.shift()) all.push(entry);
    return all;
  }

  #drop(): void {
    this.#items[this.#head++] = undefined;
    if (this.#head >= 1024 && this.#head * 2 >= this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
  }
}

/**
 * The entry of a send() caller: admitted, `accepted` resolves and `settled` follows the outcomes;
 * refused, both reject. Its signal calls `onAbort` (which takes it out of the line) until then.
 */
export const waitingSend = (
  alert: unknown,
  signal: AbortSignal | undefined,
  promises: { readonly accepted: Deferred<void>; readonly settled: Deferred<readonly BlockOutcome[]> },
  onAbort: () => void,
): Waiting => {
  const { accepted, settled } = promises;
  signal?.addEventListener('abort', onAbort, { once: true });
  return {
    alert,
    kind: 'send',
    cancelled: false,
    admit: (outcomes) => {
      signal?.removeEventListener('abort', onAbort);
      accepted.resolve();
      outcomes.then(settled.resolve, settled.reject);
    },
    refuse: (error) => {
      signal?.removeEventListener('abort', onAbort);
      accepted.reject(error);
      settled.reject(error);
    },
  };
};
