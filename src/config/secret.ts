// A secret value (api_key, hook_url) whose string, JSON and inspect forms never show it.

import { inspect } from 'node:util';

export const REDACTED = '**REDACTED**';

/**
 * Holds a secret. `String(s)`, `JSON.stringify(s)`, template literals and `util.inspect`
 * (hence console.log and every logger) print `**REDACTED**`; only `reveal()` gives the value.
 */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  /** The clear value: call only where it leaves the process (a request, a script's argv). */
  reveal(): string {
    return this.#value;
  }
  get isEmpty(): boolean {
    return this.#value.length === 0;
  }
  toString(): string {
    return REDACTED;
  }
  toJSON(): string {
    return REDACTED;
  }
  [inspect.custom](): string {
    return REDACTED;
  }
  [Symbol.toPrimitive](): string {
    return REDACTED;
  }
}
