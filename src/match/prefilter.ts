// Decides from the raw text of a line, without JSON.parse, that no block can take the alert.

import { groupPieces, isComparableRuleId, type FilterConfig } from './compile.js';

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

/** The latin1 form of a text's UTF-8 bytes: how a needle looks inside a latin1-decoded line. */
const asBytes = (text: string): string => Buffer.from(text, 'utf8').toString('latin1');

// analysisd (cJSON, unformatted) starts every alert with the timestamp, then rule.level.
const TIMESTAMP_KEY = '{"timestamp":"';
const RULE_LEVEL_KEY = '","rule":{"level":';
/** More rule ids than this per block cost more to search than a parse saves. */
const MAX_RULE_ID_NEEDLES = 16;

const ABSENT = -1;
const UNKNOWN = -2;

/**
 * Facts read from one line, computed lazily and shared by every block.
 * Soundness rests on one property of valid JSON: inside a string every `"` is escaped as `\"`,
 * so `level"` followed by nothing but a key's quote can only be a key or a whole string value,
 * and a string's characters appear literally unless written with a `\u` (or `\/`) escape.
 */
class LineFacts {
  line = '';
  #escapes: boolean | undefined;
  #slashEscapes: boolean | undefined;
  #level: number | undefined;

  reset(line: string): void {
    this.line = line;
    this.#escapes = undefined;
    this.#slashEscapes = undefined;
    this.#level = undefined;
  }

  /** True when the line has a `\u` escape: then any text may be hidden and nothing is certain. */
  get escapes(): boolean {
    return (this.#escapes ??= this.line.includes('\\u'));
  }

  get slashEscapes(): boolean {
    return (this.#slashEscapes ??= this.line.includes('\\/'));
  }

  /** rule.level as a non-negative integer, ABSENT when surely missing, UNKNOWN when unsure. */
  get level(): number {
    return (this.#level ??= this.#readLevel());
  }

  #readLevel(): number {
    const line = this.line;
    if (this.escapes) return UNKNOWN;
    const firstLevel = line.indexOf('level"');
    // No "level" string at all: no object in the line has a level key.
    if (firstLevel === -1) return ABSENT;
    if (!line.startsWith(TIMESTAMP_KEY)) return UNKNOWN;
    const timestampEnd = line.indexOf('"', TIMESTAMP_KEY.length);
    if (timestampEnd === -1 || line.lastIndexOf('\\', timestampEnd) >= TIMESTAMP_KEY.length) return UNKNOWN;
    if (!line.startsWith(RULE_LEVEL_KEY, timestampEnd)) return UNKNOWN;
    const levelKey = timestampEnd + RULE_LEVEL_KEY.length - 'level":'.length;
    if (firstLevel !== levelKey) return UNKNOWN;
    let i = timestampEnd + RULE_LEVEL_KEY.length;
    const start = i;
    let value = 0;
    for (; i < line.length; i++) {
      const d = line.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      value = value * 10 + d;
    }
    const after = line.charCodeAt(i);
    if (i === start || i - start > 9 || (after !== 44 && after !== 125)) return UNKNOWN; // ',' or '}'
    return laterLevelsAreHarmless(line, i) ? value : UNKNOWN;
  }
}

/**
 * JSON.parse keeps the LAST of duplicate keys, so a second "level" key (in a duplicate "rule", or
 * inside this one) could decide rule.level. One that is not followed by a number cannot make a
 * level filter pass (cJSON reads any non-number as 0), and `"…level"` followed by `,` `]` `}` is
 * a string value, not a key. Anything else (a number, whitespace before the colon) makes us unsure.
 * Windows alerts carry `data.win.system.level` as a string: they stay decidable.
 */
const laterLevelsAreHarmless = (line: string, from: number): boolean => {
  for (let at = line.indexOf('level"', from); at !== -1; at = line.indexOf('level"', at + 6)) {
    const next = line.charCodeAt(at + 6);
    if (next === 44 || next === 93 || next === 125) continue; // , ] } : the end of a string value
    if (next !== 58) return false; // not directly a colon: unsure
    const value = line.charCodeAt(at + 7);
    // " { [ t f n: a string, object, array, true, false or null, never a number
    if (value === 34 || value === 123 || value === 91 || value === 116 || value === 102 || value === 110) continue;
    return false;
  }
  return true;
};

/** One block's necessary conditions; `fails` is true only when the block surely rejects. */
type BlockGate = (facts: LineFacts) => boolean;

const levelGate = (level: number): BlockGate | undefined => {
  if (level === 0) return undefined;
  const min = level >>> 0;
  return (facts) => {
    const v = facts.level;
    return v === ABSENT || (v !== UNKNOWN && v < min);
  };
};

const ruleIdGate = (ruleIds: readonly number[] | undefined): BlockGate | undefined => {
  if (ruleIds === undefined) return undefined;
  const needles = [...new Set(ruleIds.filter(isComparableRuleId))].map(String);
  // Only zeros (or ids that cannot match): Wazuh's filter that never matches.
  if (needles.length === 0) return () => true;
  if (needles.length > MAX_RULE_ID_NEEDLES) return undefined;
  // atoi(rule.id) === id needs the id's digits inside the rule.id string (ids fit int32: no wrap).
  return (facts) => {
    const line = facts.line;
    for (const needle of needles) if (line.indexOf(needle) !== -1) return false;
    return !facts.escapes;
  };
};

const groupGate = (group: string | undefined, encode: (text: string) => string): BlockGate | undefined => {
  if (group === undefined) return undefined;
  const pieces = groupPieces(group);
  if (pieces.length === 0) return () => true;
  // A group matches only if its JSON string appears; search without the leading quote (faster).
  const needles = pieces.map((p) => encode(JSON.stringify(p).slice(1)));
  const needsSlash = pieces.some((p) => p.includes('/'));
  return (facts) => {
    const line = facts.line;
    for (const needle of needles) {
      for (let at = line.indexOf(needle); at !== -1; at = line.indexOf(needle, at + 1)) {
        // Preceded by a quote: possibly the string "piece" itself, so the block may match.
        if (line.charCodeAt(at - 1) === 34) return false;
      }
    }
    // Absent as written: certain only if no escape could spell it differently.
    return !facts.escapes && !(needsSlash && facts.slashEscapes);
  };
};

/**
 * Compiles a prefilter for a set of blocks, or returns undefined when it could never decide
 * anything (some block has no level, group or rule_id filter): then lines go straight to
 * JSON.parse with no added cost. It never changes a decision: whenever unsure it says "parse".
 * A line it rejects is not parsed, so an invalid line it rejects is counted as prefiltered
 * rather than invalid — neither reaches any block.
 */
export const compilePrefilter = (filters: readonly FilterConfig[], options: PrefilterOptions = {}): LinePrefilter | undefined => {
  const encode = options.encoding === 'text' ? (text: string) => text : asBytes;
  if (filters.length === 0) return undefined;
  const blocks: BlockGate[][] = [];
  for (const f of filters) {
    // Cheapest first: level is read once per line and shared; rule ids are short digit needles.
    const gates = [levelGate(f.level), ruleIdGate(f.ruleIds), groupGate(f.group, encode)].filter((g): g is BlockGate => g !== undefined);
    if (gates.length === 0) return undefined;
    blocks.push(gates);
  }
  const facts = new LineFacts();
  return (line) => {
    facts.reset(line);
    for (const gates of blocks) {
      let fails = false;
      for (const gate of gates) {
        if (gate(facts)) {
          fails = true;
          break;
        }
      }
      if (!fails) return true;
    }
    return false;
  };
};
