// A block's low watermark: the position after the last line whose outcome, and every earlier one's, is final.

import type { FileIdentity } from './file-identity.js';
import type { CursorPosition } from './cursor-store.js';

/** Where a line ends: what a cursor saves. */
export interface LineEnd {
  readonly file: FileIdentity;
  readonly path: string;
  readonly end: number;
}

/** Compaction threshold: drop settled entries from the front once this many have piled up (amortised O(1)). */
const COMPACT_AFTER = 1024;

/**
 * Tracks in-flight lines by consecutive `seq` (as `pullLines` numbers them) and commits in order.
 * Memory holds only entries from the oldest unsettled line to the newest tracked one. Lines of a new
 * file after a rotation are committed only once every line of the old file is settled.
 */
export class Watermark {
  #files: FileIdentity[] = [];
  #paths: string[] = [];
  #ends: number[] = [];
  #settled: boolean[] = [];
  /** Index of the first entry not committed yet. */
  #head = 0;
  /** seq of entry #0 of the arrays. */
  #firstSeq: number | undefined;
  #committed: CursorPosition | undefined;
  #committedSeq = -1;

  /**
   * Starts tracking a line. `seq` must be the previous one + 1 (the first may be any integer);
   * throws a RangeError otherwise (a wiring bug, not bad input).
   */
  track(seq: number, line: LineEnd): void {
    const expected = this.#firstSeq === undefined ? seq : this.#firstSeq + this.#ends.length;
    if (seq !== expected) throw new RangeError(`watermark: seq ${seq} tracked, expected ${expected}`);
    this.#firstSeq ??= seq;
    this.#files.push(line.file);
    this.#paths.push(line.path);
    this.#ends.push(line.end);
    this.#settled.push(false);
  }

  /**
   * Marks a line's outcome final. Settling twice, or a seq already committed, does nothing; a seq
   * never tracked throws a RangeError.
   */
  settle(seq: number): void {
    const first = this.#firstSeq;
    if (first === undefined || seq >= first + this.#ends.length) throw new RangeError(`watermark: seq ${seq} settled but never tracked`);
    const index = seq - first;
    if (index < this.#head) return;
    this.#settled[index] = true;
    if (index !== this.#head) return;
    let head = this.#head;
    while (head < this.#settled.length && this.#settled[head]) head++;
    const last = head - 1;
    this.#committed = { identity: this.#files[last] as FileIdentity, path: this.#paths[last] as string, offset: this.#ends[last] as number };
    this.#committedSeq = first + last;
    this.#head = head;
    if (head >= COMPACT_AFTER && head * 2 >= this.#settled.length) this.#compact();
  }

  /** The position after the highest seq that is settled together with every earlier one; undefined before the first. */
  committed(): CursorPosition | undefined {
    return this.#committed;
  }

  /** The seq `committed()` refers to; -1 before the first commit. */
  committedSeq(): number {
    return this.#committedSeq;
  }

  /** Lines tracked and not committed yet. */
  get inFlight(): number {
    return this.#settled.length - this.#head;
  }

  #compact(): void {
    const head = this.#head;
    this.#files = this.#files.slice(head);
    this.#paths = this.#paths.slice(head);
    this.#ends = this.#ends.slice(head);
    this.#settled = this.#settled.slice(head);
    this.#firstSeq = (this.#firstSeq as number) + head;
    this.#head = 0;
  }
}
