// Appends alert lines to a Wazuh alerts dir at a steady rate, with analysisd and logrotate rotations, keeping where each line lies.

import { statSync } from 'node:fs';
import type { AlertsDir } from './alerts-dir.js';

/** A line as written: its alert id, the file (inode) it went to and the byte offset after its newline. */
export interface WrittenLine {
  readonly id: string;
  readonly ino: number;
  readonly end: number;
}

/**
 * Every line written, in order, across rotations. `indexAfter` turns a block's saved cursor
 * (inode, offset) into the index of the first line a restart reads again.
 */
export class LineLedger {
  readonly lines: WrittenLine[] = [];
  readonly #files = new Map<number, { readonly first: number; count: number }>();

  record(line: WrittenLine): void {
    const file = this.#files.get(line.ino);
    if (file) file.count++;
    else this.#files.set(line.ino, { first: this.lines.length, count: 1 });
    this.lines.push(line);
  }

  /** Index of the first line that starts at or after `offset` in file `ino` (a file never written to: 0). */
  indexAfter(ino: number, offset: number): number {
    const file = this.#files.get(ino);
    if (!file) return 0;
    let i = file.first;
    while (i < file.first + file.count && this.lines[i]!.end <= offset) i++;
    return i;
  }
}

export interface SteadyWriteOptions {
  readonly dir: AlertsDir;
  /** Complete alert lines (no newline) and their ids, same order. */
  readonly lines: readonly string[];
  readonly ids: readonly string[];
  readonly perSecond: number;
  /** Lines per append (one write() each). */
  readonly batch: number;
  /** Line indices before which analysisd's daily rotation happens (a new day, day 2, 3, …). */
  readonly rotateBefore: readonly number[];
  /** Line indices before which logrotate renames alerts.json (see AlertsDir.logrotate; `compress`: .2 on gzipped). */
  readonly renameBefore?: readonly number[];
  readonly compress?: boolean;
  /** Called after each append with the number of lines written so far (must not throw). */
  readonly onProgress?: (written: number) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Writes every line at `perSecond` (batch i is due at start + i·batch/perSecond; a late batch is
 * written at once, never skipped), rotating where told, and resolves with the ledger. alerts.json
 * must exist and be day 1 (`dir.startDay(1)`); rotations start days 2, 3, …; renames make a new empty alerts.json.
 */
export const writeSteadily = async (options: SteadyWriteOptions): Promise<LineLedger> => {
  const { dir, lines, ids } = options;
  const ledger = new LineLedger();
  const intervalMs = (options.batch / options.perSecond) * 1000;
  const rotations = new Set(options.rotateBefore);
  const renames = new Set(options.renameBefore ?? []);
  let day = 1;
  let ino = statSync(dir.alerts).ino;
  let offset = statSync(dir.alerts).size;
  const started = Date.now();
  for (let i = 0, batch = 0; i < lines.length; batch++) {
    const wait = started + batch * intervalMs - Date.now();
    if (wait > 0) await sleep(wait);
    const chunk: string[] = [];
    for (; i < lines.length && chunk.length < options.batch; i++) {
      if (rotations.has(i) || renames.has(i)) {
        dir.append(chunk.splice(0));
        if (rotations.has(i)) dir.startDay(++day);
        else dir.logrotate({ compress: options.compress === true });
        ino = statSync(dir.alerts).ino;
        offset = 0;
      }
      chunk.push(lines[i]!);
      offset += Buffer.byteLength(lines[i]!) + 1;
      ledger.record({ id: ids[i]!, ino, end: offset });
    }
    dir.append(chunk);
    options.onProgress?.(i);
  }
  return ledger;
};
