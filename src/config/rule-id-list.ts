// Wazuh's lenient <rule_id> parser: numbers separated by commas, the rest silently ignored.

export interface RuleIdParse {
  /** Every number parsed, in order (0 included: it makes the filter active but never matches). */
  readonly ids: readonly number[];
  /** Text Wazuh skipped or stopped at, for a warning; undefined when the whole text was used. */
  readonly ignored: string | undefined;
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/**
 * Walks the text as integrator-config.c does: spaces are skipped; a run of digits is read with
 * atoi and the parser jumps past the next comma (`5712abc,5710` → 5712, 5710); repeated commas
 * are skipped; any other character where a number is expected stops parsing (`5712;5710` → 5712).
 */
export const parseRuleIdList = (text: string): RuleIdParse => {
  const ids: number[] = [];
  const ignored: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === ',') {
      i++;
      continue;
    }
    if (!isDigit(c)) {
      ignored.push(text.slice(i));
      break;
    }
    let end = i;
    while (isDigit(text[end])) end++;
    ids.push(Number(text.slice(i, end)));
    const comma = text.indexOf(',', end);
    const skipped = text.slice(end, comma === -1 ? text.length : comma);
    if (skipped.trim() !== '') ignored.push(skipped);
    if (comma === -1) break;
    i = comma + 1;
  }
  return { ids, ignored: ignored.length > 0 ? ignored.join(' ') : undefined };
};
