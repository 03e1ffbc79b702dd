// Retry-After pauses shared across delivery threads: a pause set in one thread is told to the others.

import { DestinationPauses } from '../../delivery/destination-pauses.js';

/**
 * DestinationPauses whose `pause` (set by a block's delivery on a Retry-After) is also handed to
 * `listener` (the thread's link to the others); `apply` takes a pause told by another thread without
 * telling it back. Times are wall-clock ms (the pipeline's asyncScheduler), the same in every thread.
 */
export class SharedPauses extends DestinationPauses {
  #listener: ((destination: string, untilMs: number) => void) | undefined;

  constructor(listener?: (destination: string, untilMs: number) => void) {
    super();
    this.#listener = listener;
  }

  /** Sets where pauses go (the pool of the main thread, once it exists). */
  listen(listener: (destination: string, untilMs: number) => void): void {
    this.#listener = listener;
  }

  override pause(destination: string, untilMs: number): void {
    super.pause(destination, untilMs);
    this.#listener?.(destination, untilMs);
  }

  /** A pause another thread saw: held here too, not told again. */
  apply(destination: string, untilMs: number): void {
    super.pause(destination, untilMs);
  }
}
