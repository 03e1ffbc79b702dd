// Maps offsets in the text fed to sax (prefixed, `&` escaped) back to 1-based line:column of the file.

import type { Position } from './diagnostic.js';

const AMP_ESCAPE = '&amp;';
const AMP_GROWTH = AMP_ESCAPE.length - 1;

/**
 * Wazuh decodes no XML entities (`&amp;` stays literal, a bare `&` is fine), while sax decodes
 * them. Feeding every `&` as `&amp;` makes sax return the original text; this map undoes the
 * shift so that positions point into the original file.
 */
export class SourceMap {
  readonly #prefixLength: number;
  /** Original offsets of each line start. */
  readonly #lineStarts: number[] = [0];
  /** Original offsets of each `&`, ascending. */
  readonly #amps: number[] = [];
  #fed = 0;

  constructor(prefixLength: number) {
    this.#prefixLength = prefixLength;
  }

  /** Records a chunk of original text and returns it escaped for sax. */
  feed(chunk: string): string {
    for (let i = chunk.indexOf('\n'); i !== -1; i = chunk.indexOf('\n', i + 1)) {
      this.#lineStarts.push(this.#fed + i + 1);
    }
    for (let i = chunk.indexOf('&'); i !== -1; i = chunk.indexOf('&', i + 1)) {
      this.#amps.push(this.#fed + i);
    }
    this.#fed += chunk.length;
    return chunk.includes('&') ? chunk.replaceAll('&', AMP_ESCAPE) : chunk;
  }

  /** Original 0-based offset of a 0-based offset in the fed (escaped, prefixed) text. */
  originalOffset(fedOffset: number): number {
    const t = fedOffset - this.#prefixLength;
    // Count escapes that start before t: escape i starts at amps[i] + AMP_GROWTH * i in fed text.
    let lo = 0;
    let hi = this.#amps.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.#amps[mid] as number) + AMP_GROWTH * mid < t) lo = mid + 1;
      else hi = mid;
    }
    const inside = lo > 0 ? t - ((this.#amps[lo - 1] as number) + AMP_GROWTH * (lo - 1)) : Infinity;
    if (inside <= AMP_GROWTH) return this.#amps[lo - 1] as number;
    return Math.max(0, t - AMP_GROWTH * lo);
  }

  /** 1-based line and column of a 0-based offset in the fed text. */
  position(fedOffset: number): Position {
    const offset = this.originalOffset(fedOffset);
    let lo = 0;
    let hi = this.#lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((this.#lineStarts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (this.#lineStarts[lo] as number) + 1 };
  }
}
