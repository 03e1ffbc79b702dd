// Reads the lines `node --trace-gc` prints: collections by kind, their pauses, the heap committed, the live set after full collections.

export interface GcTrace {
  /** Collections by kind ("Scavenge", "Mark-Compact", "Mark-Compact (reduce)"…): how many and their total pause in ms. */
  readonly kinds: ReadonlyMap<string, { readonly n: number; readonly ms: number }>;
  /** The largest heap V8 had committed after a collection, in MB. */
  readonly committedMb: number;
  /** The heap still in use after each full (Mark-…) collection, in MB: the live set, garbage excluded. */
  readonly liveMb: readonly number[];
}

/** One collection: `[pid:0x…]   1234 ms: Scavenge 4.1 (4.2) -> 4.0 (5.2) MB, 0.99 / 0.00 ms  …`. */
const COLLECTION = / ms: ([A-Za-z-]+(?: \(reduce\))?) [\d.]+ \([\d.]+\) -> ([\d.]+) \(([\d.]+)\) MB, ([\d.]+) \//g;

/** The collections of a --trace-gc log (other lines ignored). */
export const parseGcTrace = (log: string): GcTrace => {
  const kinds = new Map<string, { n: number; ms: number }>();
  let committedMb = 0;
  const liveMb: number[] = [];
  for (const [, kind = '', used, committed, pause] of log.matchAll(COLLECTION)) {
    const seen = kinds.get(kind) ?? { n: 0, ms: 0 };
    seen.n++;
    seen.ms += Number(pause);
    kinds.set(kind, seen);
    committedMb = Math.max(committedMb, Number(committed));
    if (kind.startsWith('Mark')) liveMb.push(Number(used));
  }
  return { kinds, committedMb, liveMb };
};

/** Full collections listed one by one up to this many; beyond it, their range. */
const LISTED = 10;

/** One line for a benchmark table: `391 Scavenge (1312 ms), 7 Mark-Compact (82 ms); heap committed … at most …; in use after each full collection …`. */
export const gcSummary = (log: string): string => {
  const { kinds, committedMb, liveMb } = parseGcTrace(log);
  if (kinds.size === 0) return 'none seen';
  const counts = [...kinds].map(([kind, { n, ms }]) => `${n.toLocaleString('en-US')} ${kind} (${ms.toFixed(0)} ms)`).join(', ');
  const mb = (n: number) => n.toFixed(1);
  const live =
    liveMb.length === 0
      ? 'no full collection'
      : liveMb.length <= LISTED
        ? `in use after each full collection ${liveMb.map(mb).join(', ')} MB`
        : `in use after the ${liveMb.length} full collections ${mb(Math.min(...liveMb))} – ${mb(Math.max(...liveMb))} MB (after the first ${mb(liveMb[0]!)} MB)`;
  return `${counts}; heap committed after a collection at most ${committedMb.toFixed(1)} MB; ${live}`;
};
