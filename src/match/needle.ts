// One needle searched in one text line after line, each stretch of the text searched at most once.

/**
 * Finds a needle in one text, line after line: queries never go backwards between resets (lines
 * are visited in order), so the text is searched at most once per needle, however many lines.
 * With `head` > 0 the search runs on the needle's tail (from its `head`-th character: pick a tail
 * that starts with a rare character, as String#indexOf looks for the first one) and each hit's
 * first `head` characters are then checked: the same hits, found faster.
 */
export class Needle {
  readonly needle: string;
  readonly #tail: string;
  readonly #head: number;
  #text = '';
  /** The last hit (-1: none after the last query; -2: not searched yet). */
  #hit = -2;

  constructor(needle: string, head = 0) {
    if (head < 0 || head >= needle.length) throw new RangeError(`head ${head} outside the needle ${JSON.stringify(needle)}`);
    this.needle = needle;
    this.#head = head;
    this.#tail = needle.slice(head);
  }

  reset(text: string): void {
    this.#text = text;
    this.#hit = -2;
  }

  /** The first index ≥ `from` where the needle starts, or -1. */
  from(from: number): number {
    const hit = this.#hit;
    if (hit === -1 || hit >= from) return hit;
    return (this.#hit = this.#search(from));
  }

  /** True when the needle starts somewhere in [from, end). */
  within(from: number, end: number): boolean {
    const hit = this.from(from);
    return hit !== -1 && hit < end;
  }

  #search(from: number): number {
    const head = this.#head;
    const text = this.#text;
    if (head === 0) return text.indexOf(this.needle, from);
    for (let at = text.indexOf(this.#tail, from + head); at !== -1; at = text.indexOf(this.#tail, at + 1)) {
      if (text.startsWith(this.needle, at - head)) return at - head;
    }
    return -1;
  }
}
