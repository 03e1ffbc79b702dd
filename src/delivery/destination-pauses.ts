// Destinations on hold after a Retry-After: shared by every block of one integrator.

/**
 * A registry of pauses by destination (an HTTP origin). A pause set by one block holds every
 * block sending there until it ends; a later, longer pause extends it, a shorter one never cuts it.
 * Times are ms on the caller's clock (the RxJS scheduler's `now()`), so it works in virtual time.
 */
export class DestinationPauses {
  readonly #until = new Map<string, number>();

  /** Holds `destination` until `untilMs` (kept when an existing pause ends later). */
  pause(destination: string, untilMs: number): void {
    const current = this.#until.get(destination);
    if (current === undefined || untilMs > current) this.#until.set(destination, untilMs);
  }

  /** Ms left before `destination` may be sent to; 0 when it is not paused (and forgets ended pauses). */
  remainingMs(destination: string, nowMs: number): number {
    const until = this.#until.get(destination);
    if (until === undefined) return 0;
    if (until <= nowMs) {
      this.#until.delete(destination);
      return 0;
    }
    return until - nowMs;
  }

  /** Destinations paused at `nowMs`, with their end (for status output). */
  active(nowMs: number): ReadonlyMap<string, number> {
    return new Map([...this.#until].filter(([, until]) => until > nowMs));
  }
}
