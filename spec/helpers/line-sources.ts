// Pulls lines from a LineSource in specs, with a generous deadline so that a lost line fails instead of hanging.

import { isEndOfLines, type LineSource, type SourceLine } from '../../src/alerts/source-line.js';

/** 10 s: far above any expected wait (ms); only there so that a bug fails the spec instead of hanging it. */
const DEADLINE_MS = 10_000;

/** The next `count` lines; rejects if the source ends first or the deadline passes (the lines got so far are in the message). */
export const takeLines = async (source: LineSource, count: number): Promise<SourceLine[]> => {
  const lines: SourceLine[] = [];
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no line after ${lines.length} of ${count}: ${JSON.stringify(lines.map((l) => l.text)).slice(0, 2000)}`)), DEADLINE_MS);
  });
  try {
    while (lines.length < count) {
      const line = await Promise.race([source.next(), deadline]);
      if (isEndOfLines(line)) throw new Error(`source ended after ${lines.length} of ${count} lines`);
      lines.push(line);
    }
    return lines;
  } finally {
    clearTimeout(timer);
  }
};

/** Every line until END_OF_LINES (for sources that end: replays, closed followers). */
export const drainLines = async (source: LineSource): Promise<SourceLine[]> => {
  const lines: SourceLine[] = [];
  for (;;) {
    const line = await source.next();
    if (isEndOfLines(line)) return lines;
    lines.push(line);
  }
};

/** Lets timers, fs.watch events and I/O callbacks run for `ms` (to show that nothing more arrives). */
export const settleFor = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
