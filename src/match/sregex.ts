// Wazuh's OS_Match ("sregex"): case-insensitive literal alternatives with ^, $, | and a leading !.

/** Wazuh refuses patterns longer than this (OS_PATTERN_MAXSIZE) with error 1450. */
export const MAX_SREGEX_LENGTH = 20480;

type Alternative =
  | { readonly kind: 'always' }
  | { readonly kind: 'equal' | 'prefix' | 'suffix' | 'contains'; readonly text: string };

/** A compiled pattern; `test` allocates only the lower-cased subject. */
export interface Sregex {
  readonly pattern: string;
  readonly negated: boolean;
  test(subject: string): boolean;
}

/**
 * Wazuh lower-cases with an ASCII-only map: A–Z become a–z, every other byte (non-ASCII
 * UTF-8 included) is compared as is. String#toLowerCase would fold non-ASCII letters too.
 */
export const asciiLower = (s: string): string => {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
  }
  return s;
};

const compileAlternative = (raw: string): Alternative => {
  const anchoredStart = raw.startsWith('^');
  const body = anchoredStart ? raw.slice(1) : raw;
  const anchoredEnd = body.endsWith('$');
  const text = anchoredEnd ? body.slice(0, -1) : body;
  if (anchoredStart && anchoredEnd) return { kind: 'equal', text };
  // An empty alternative, `^` alone and `$` alone match everything.
  if (text === '') return { kind: 'always' };
  if (anchoredStart) return { kind: 'prefix', text };
  if (anchoredEnd) return { kind: 'suffix', text };
  return { kind: 'contains', text };
};

const matches = (alternative: Alternative, subject: string): boolean => {
  switch (alternative.kind) {
    case 'always':
      return true;
    case 'equal':
      return subject === alternative.text;
    case 'prefix':
      return subject.startsWith(alternative.text);
    case 'suffix':
      return subject.endsWith(alternative.text);
    case 'contains':
      return subject.includes(alternative.text);
  }
};

/**
 * Compiles an OS_Match pattern as Wazuh does with flags 0: one leading `!` negates the whole
 * expression, the rest splits on every `|` (no escaping), each alternative is `^x$` (equal),
 * `^x` (prefix), `x$` (suffix) or `x` (substring); `.`, `*`, `\` are literal. Never throws.
 */
export const compileSregex = (pattern: string): Sregex => {
  const negated = pattern.startsWith('!');
  const alternatives = asciiLower(negated ? pattern.slice(1) : pattern)
    .split('|')
    .map(compileAlternative);
  const always = alternatives.some((a) => a.kind === 'always');
  return {
    pattern,
    negated,
    test(subject: string): boolean {
      if (always) return !negated;
      const lower = asciiLower(subject);
      for (const alternative of alternatives) {
        if (matches(alternative, lower)) return !negated;
      }
      return negated;
    },
  };
};
