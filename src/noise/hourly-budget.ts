// The hourly budget of a block with <max_per_hour>: messages sent in the current hour, renewed an hour after it started.

export const HOUR_MS = 3_600_000;

export interface Hour {
  readonly start: number;
  readonly sent: number;
}

/** Counts messages per hour against `cap` (none: always room). `onChange` hears every change (the journal). */
export class HourlyBudget {
  #hour: Hour | undefined;
  readonly #cap: number | undefined;
  readonly #onChange: (hour: Hour) => void;

  constructor(cap: number | undefined, hour: Hour | undefined, onChange: (hour: Hour) => void) {
    this.#cap = cap;
    this.#hour = hour;
    this.#onChange = onChange;
  }

  get hour(): Hour | undefined {
    return this.#hour;
  }

  /** Takes one message; false when the cap is reached, or when the hour ended while alerts are capped (`capped`: the renewal belongs to their digest). */
  spend(now: number, capped: boolean): boolean {
    if (this.#cap === undefined) return true;
    let hour = this.#hour;
    if (hour === undefined || now >= hour.start + HOUR_MS) {
      if (capped) return false;
      hour = { start: now, sent: 0 };
    }
    if (hour.sent >= this.#cap) return false;
    this.#set({ start: hour.start, sent: hour.sent + 1 });
    return true;
  }

  /** When the hour ends, or undefined before the first message. */
  renewsAt(): number | undefined {
    return this.#hour === undefined ? undefined : this.#hour.start + HOUR_MS;
  }

  /** At the end of the hour: a new one starts with one message, the capped alerts' digest. */
  renewForDigest(now: number): void {
    this.#set({ start: now, sent: 1 });
  }

  #set(hour: Hour): void {
    this.#hour = hour;
    this.#onChange(hour);
  }
}
