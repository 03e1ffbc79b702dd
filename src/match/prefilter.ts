// Decides from the raw text of a line, without JSON.parse, that a block cannot take the alert.

import { groupPieces, isComparableRuleId, type FilterConfig } from './compile.js';
import { Needle } from './needle.js';

/**
 * Returns false only when no block can match the line; true means "parse it and look".
 * By default `line` holds the line's BYTES as a latin1 string (one char per byte:
 * `buf.toString('latin1')`), the cheapest decoding there is; only lines that pass are decoded as
 * UTF-8 for JSON.parse. With `{ encoding: 'text' }` it takes the line already decoded as UTF-8.
 */
export type LinePrefilter = (line: string) => boolean;

export interface PrefilterOptions {
  /** How lines are given: `latin1` (bytes, the default) or `text` (decoded UTF-8). */
  readonly encoding?: 'latin1' | 'text';
}

/**
 * The prefilter of several blocks over many lines of one text (a read chunk as latin1): `setText`
 * once, then `decide` for each line in order. After `decide`, `passed[g]` says whether filter
 * group `g` may take the line; `groupOf[block]` is the block's group (blocks with equal filters
 * share one, so a hundred identical blocks cost one test), -1 for a block that must parse every line.
 */
export interface BatchPrefilter {
  readonly groupOf: readonly number[];
  readonly passed: Uint8Array;
  setText(text: string): void;
  /** True when some block may take the line [start, end) of the text; false: no block can. */
  decide(start: number, end: number): boolean;
}

/** The latin1 form of a text's UTF-8 bytes: how a needle looks inside a latin1-decoded line. */
const asBytes = (text: string): string => Buffer.from(text, 'utf8').toString('latin1');

// analysisd (cJSON, unformatted) starts every alert with the timestamp, then rule.level.
const TIMESTAMP_KEY = '{"timestamp":"';
const RULE_LEVEL_KEY = '","rule":{"level":';
/** More rule ids than this per block cost more to search than a parse saves. */
const MAX_RULE_ID_NEEDLES = 16;

const ABSENT = -1;
const UNKNOWN = -2;

/** Texts every gate's needles follow: reset together when the text changes. */
type NeedleSet = Needle[];

/**
 * Facts read from one line (`text` from `start` to `end`), computed lazily and shared by every block.
 * Soundness rests on one property of valid JSON: inside a string every `"` is escaped as `\"`,
 * so `level"` followed by nothing but a key's quote can only be a key or a whole string value,
 * and a string's characters appear literally unless written with a `\u` (or `\/`) escape.
 */
class LineFacts {
  text = '';
  start = 0;
  end = 0;
  readonly #unicodeEscape: Needle;
  readonly #slashEscape: Needle;
  readonly #levelKey: Needle;
  #escapes: boolean | undefined;
  #slashEscapes: boolean | undefined;
  #level: number | undefined;

  constructor(needles: NeedleSet) {
    this.#unicodeEscape = new Needle('\\u');
    this.#slashEscape = new Needle('\\/');
    // Searched by its tail `vel"`: 'v' is rare in alerts, so the search skips ahead faster than on 'l' (measured below).
    this.#levelKey = new Needle('level"', 2);
    needles.push(this.#unicodeEscape, this.#slashEscape, this.#levelKey);
  }

  line(start: number, end: number): void {
    this.start = start;
    this.end = end;
    this.#escapes = undefined;
    this.#slashEscapes = undefined;
    this.#level = undefined;
  }

  /** True when the line has a `\u` escape: then any text may be hidden and nothing is certain. */
  get escapes(): boolean {
    return (this.#escapes ??= this.#unicodeEscape.within(this.start, this.end));
  }

  get slashEscapes(): boolean {
    return (this.#slashEscapes ??= this.#slashEscape.within(this.start, this.end));
  }

  /** rule.level as a non-negative integer, ABSENT when surely missing, UNKNOWN when unsure. */
  get level(): number {
    return (this.#level ??= this.#readLevel());
  }

  #readLevel(): number {
    const { text, start, end } = this;
    if (this.escapes) return UNKNOWN;
    const firstLevel = this.#levelKey.from(start);
    // No "level" string at all: no object in the line has a level key.
    if (firstLevel === -1 || firstLevel >= end) return ABSENT;
    if (!text.startsWith(TIMESTAMP_KEY, start)) return UNKNOWN;
    const valueStart = start + TIMESTAMP_KEY.length;
    const timestampEnd = text.indexOf('"', valueStart);
    if (timestampEnd === -1 || timestampEnd >= end) return UNKNOWN;
    for (let i = valueStart; i < timestampEnd; i++) if (text.charCodeAt(i) === 92) return UNKNOWN; // a backslash: unsure
    if (!text.startsWith(RULE_LEVEL_KEY, timestampEnd)) return UNKNOWN;
    const levelKey = timestampEnd + RULE_LEVEL_KEY.length - 'level":'.length;
    if (firstLevel !== levelKey) return UNKNOWN;
    let i = timestampEnd + RULE_LEVEL_KEY.length;
    const digits = i;
    let value = 0;
    for (; i < end; i++) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      value = value * 10 + d;
    }
    const after = i < end ? text.charCodeAt(i) : -1;
    if (i === digits || i - digits > 9 || (after !== 44 && after !== 125)) return UNKNOWN; // ',' or '}'
    return this.#laterLevelsAreHarmless(i) ? value : UNKNOWN;
  }

  /**
   * JSON.parse keeps the LAST of duplicate keys, so a second "level" key (in a duplicate "rule", or
   * inside this one) could decide rule.level. One that is not followed by a number cannot make a
   * level filter pass (cJSON reads any non-number as 0), and `"…level"` followed by `,` `]` `}` is
   * a string value, not a key. Anything else (a number, whitespace before the colon) makes us unsure.
   * Windows alerts carry `data.win.system.level` as a string: they stay decidable.
   */
  #laterLevelsAreHarmless(from: number): boolean {
    const { text, end } = this;
    for (let at = this.#levelKey.from(from); at !== -1 && at < end; at = this.#levelKey.from(at + 6)) {
      const next = at + 6 < end ? text.charCodeAt(at + 6) : -1;
      if (next === 44 || next === 93 || next === 125) continue; // , ] } : the end of a string value
      if (next !== 58) return false; // not directly a colon: unsure
      const value = at + 7 < end ? text.charCodeAt(at + 7) : -1;
      // " { [ t f n: a string, object, array, true, false or null, never a number
      if (value === 34 || value === 123 || value === 91 || value === 116 || value === 102 || value === 110) continue;
      return false;
    }
    return true;
  }
}

/** One block's necessary conditions; a gate is true only when the block surely rejects. */
type BlockGate = (facts: LineFacts) => boolean;

const levelGate = (level: number): BlockGate | undefined => {
  if (level === 0) return undefined;
  const min = level >>> 0;
  return (facts) => {
    const v = facts.level;
    return v === ABSENT || (v !== UNKNOWN && v < min);
  };
};

const ruleIdGate = (ruleIds: readonly number[] | undefined, needles: NeedleSet): BlockGate | undefined => {
  if (ruleIds === undefined) return undefined;
  const ids = [...new Set(ruleIds.filter(isComparableRuleId))].map((id) => new Needle(String(id)));
  // Only zeros (or ids that cannot match): Wazuh's filter that never matches.
  if (ids.length === 0) return () => true;
  if (ids.length > MAX_RULE_ID_NEEDLES) return undefined;
  needles.push(...ids);
  // atoi(rule.id) === id needs the id's digits inside the rule.id string (ids fit int32: no wrap).
  return (facts) => {
    for (const id of ids) if (id.within(facts.start, facts.end)) return false;
    return !facts.escapes;
  };
};

const groupGate = (group: string | undefined, encode: (text: string) => string, needles: NeedleSet): BlockGate | undefined => {
  if (group === undefined) return undefined;
  const pieces = groupPieces(group);
  if (pieces.length === 0) return () => true;
  // A group matches only if its JSON string appears; search without the leading quote (faster).
  const found = pieces.map((p) => new Needle(encode(JSON.stringify(p).slice(1))));
  needles.push(...found);
  const needsSlash = pieces.some((p) => p.includes('/'));
  return (facts) => {
    const { text, start, end } = facts;
    for (const needle of found) {
      for (let at = needle.from(start); at !== -1 && at < end; at = needle.from(at + 1)) {
        // Preceded by a quote: possibly the string "piece" itself, so the block may match.
        if (at > start && text.charCodeAt(at - 1) === 34) return false;
      }
    }
    // Absent as written: certain only if no escape could spell it differently.
    return !facts.escapes && !(needsSlash && facts.slashEscapes);
  };
};

/** The gates of one filter, cheapest first (level is read once per line and shared); undefined when it can never decide. */
const gatesOf = (f: FilterConfig, encode: (text: string) => string, needles: NeedleSet): BlockGate[] | undefined => {
  const gates = [levelGate(f.level), ruleIdGate(f.ruleIds, needles), groupGate(f.group, encode, needles)].filter((g): g is BlockGate => g !== undefined);
  return gates.length === 0 ? undefined : gates;
};

const filterKey = (f: FilterConfig): string => JSON.stringify([f.level, f.ruleIds ?? null, f.group ?? null]);

/**
 * Compiles the prefilter of a set of blocks for batches of lines. It never changes a decision:
 * whenever unsure it says "parse". A line it rejects for a block is not parsed for that block, so
 * an invalid line rejected by every block is counted as prefiltered rather than invalid.
 */
export const compileBatchPrefilter = (filters: readonly FilterConfig[], options: PrefilterOptions = {}): BatchPrefilter => {
  const encode = options.encoding === 'text' ? (text: string) => text : asBytes;
  const needles: NeedleSet = [];
  const facts = new LineFacts(needles);
  const groups: BlockGate[][] = [];
  const keys = new Map<string, number>();
  let parseAll = false;
  const groupOf = filters.map((f) => {
    const key = filterKey(f);
    const known = keys.get(key);
    if (known !== undefined) return known;
    const gates = gatesOf(f, encode, needles);
    if (gates === undefined) {
      parseAll = true;
      return -1;
    }
    keys.set(key, groups.length);
    groups.push(gates);
    return groups.length - 1;
  });
  const passed = new Uint8Array(groups.length);
  return {
    groupOf,
    passed,
    setText(text) {
      facts.text = text;
      for (const needle of needles) needle.reset(text);
    },
    decide(start, end) {
      facts.line(start, end);
      let any = parseAll;
      for (let g = 0; g < groups.length; g++) {
        let fails = false;
        for (const gate of groups[g] as BlockGate[]) {
          if (gate(facts)) {
            fails = true;
            break;
          }
        }
        passed[g] = fails ? 0 : 1;
        if (!fails) any = true;
      }
      return any;
    },
  };
};

/**
 * The prefilter of a set of blocks for one line at a time, or undefined when it could never decide
 * anything (some block has no level, group or rule_id filter): then lines go straight to
 * JSON.parse with no added cost.
 */
export const compilePrefilter = (filters: readonly FilterConfig[], options: PrefilterOptions = {}): LinePrefilter | undefined => {
  if (filters.length === 0) return undefined;
  const batch = compileBatchPrefilter(filters, options);
  if (batch.groupOf.includes(-1)) return undefined;
  return (line) => {
    batch.setText(line);
    return batch.decide(0, line.length);
  };
};
