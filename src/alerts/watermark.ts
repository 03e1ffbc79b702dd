// A block's low watermark: the position after the last line whose outcome, and every earlier one's, is final.

import type { CursorPosition } from './cursor-store.js';
import type { FileIdentity } from './file-identity.js';

/** Where a line ends: what a cursor saves (a SourceLine fits). */
export interface LineEnd {
  readonly file: FileIdentity;
  readonly path: string;
  readonly end: number;
}

/**
 * Tracks lines by consecutive `seq` (as a Lane numbers them) and commits in order. Each unsettled
 * line remembers where the line before it ended; a settled line is forgotten at once, so memory holds
 * only unsettled lines however far the others have run ahead. `committed()` is the end of the line just
 * before the oldest unsettled one (or of the newest line when none is unsettled). Across a rotation,
 * a line of the new file is committed only once every line of the old file is settled. All O(1).
 */
export class Watermark {
  /** Unsettled seq → end of the line before it (undefined for the very first line); Map order is seq order. */
  readonly #unsettled = new Map<number, CursorPosition | undefined>();
  #last: CursorPosition | undefined;
  #lastSeq: number | undefined;

  /**
   * Starts tracking a line. `seq` must be the previous one + 1 (the first may be any integer);
   * throws a RangeError otherwise (a wiring bug, not bad input).
   */
  track(seq: number, line: LineEnd): void {
    if (this.#lastSeq !== undefined && seq !== this.#lastSeq + 1) throw new RangeError(`watermark: seq ${seq} tracked, expected ${this.#lastSeq + 1}`);
    this.#unsettled.set(seq, this.#last);
    this.#last = { identity: line.file, path: line.path, offset: line.end };
    this.#lastSeq = seq;
  }

  /**
   * Moves past lines that are settled as they are read (no block wants them) without tracking each:
   * `position` is where the next line starts, and becomes what is committed once every tracked line
   * before it is settled. O(1) for any number of lines.
   */
  advance(position: CursorPosition): void {
    this.#last = position;
  }

  /**
   * Marks a line's outcome final. Settling twice does nothing; a seq never tracked throws a RangeError.
   */
  settle(seq: number): void {
    if (this.#lastSeq === undefined || seq > this.#lastSeq) throw new RangeError(`watermark: seq ${seq} settled but never tracked`);
    this.#unsettled.delete(seq);
  }

  /** The position after the highest seq that is settled together with every earlier one; undefined before the first. */
  committed(): CursorPosition | undefined {
    const oldest = this.#oldest();
    return oldest === undefined ? this.#last : this.#unsettled.get(oldest);
  }

  /** The seq `committed()` refers to; one less than the first tracked seq before anything is committed. */
  committedSeq(): number {
    const oldest = this.#oldest();
    return oldest === undefined ? (this.#lastSeq ?? -1) : oldest - 1;
  }

  /** Lines tracked and not settled yet. */
  get inFlight(): number {
    return this.#unsettled.size;
  }

  #oldest(): number | undefined {
    return this.#unsettled.keys().next().value;
  }
}
