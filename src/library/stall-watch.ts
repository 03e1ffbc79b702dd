// The timer that finds stalled blocks in push mode: it looks when a full block could count as stalled, and never trusts a late wake-up.

import type { PushBlocks } from './push-blocks.js';

/** A timer firing this late (ms) found a busy event loop, not a stalled block. */
const LATE_TIMER_MS = 50;

/**
 * While alerts wait on a full block, looks again when it could count as stalled (PushBlocks.stallsAt),
 * flags the stalled ones and calls `onLook` to admit what now may enter. A timer that fires late (the
 * app kept the event loop busy: answers are waiting to be read too) decides nothing: every block gets
 * a full stallMs again from now.
 */
export class StallWatch {
  readonly #blocks: PushBlocks;
  readonly #onLook: () => void;
  #timer: NodeJS.Timeout | undefined;

  constructor(blocks: PushBlocks, onLook: () => void) {
    this.#blocks = blocks;
    this.#onLook = onLook;
  }

  /** Starts the timer unless it runs or no block blocks. */
  arm(): void {
    if (this.#timer !== undefined) return;
    const at = this.#blocks.stallsAt();
    if (at === undefined) return;
    const due = Math.max(Date.now(), at) + 1;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      const now = Date.now();
      if (now - due > LATE_TIMER_MS) {
        this.#blocks.restartStallClocks(now);
        this.arm();
        return;
      }
      this.#blocks.markStalled(now);
      this.#onLook();
    }, due - Date.now());
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
