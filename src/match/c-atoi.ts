// C's atoi as Wazuh uses it on rule ids: leading whitespace, optional sign, leading digits.

const isCSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/**
 * Returns the integer value of the leading digits of `s` (`"12ab"` → 12, `""` → 0,
 * `" +7"` → 7), or `undefined` when the value does not fit a 32-bit int. glibc's atoi wraps
 * such values around (`"4294972008"` becomes 5712); no real rule id is that large, so we
 * refuse to let a wrapped value match instead of reproducing the wrap.
 */
export const cAtoi = (s: string): number | undefined => {
  let i = 0;
  while (i < s.length && isCSpace(s.charCodeAt(i))) i++;
  let sign = 1;
  const c = s.charCodeAt(i);
  if (c === 45 || c === 43) {
    if (c === 45) sign = -1;
    i++;
  }
  let value = 0;
  for (; i < s.length; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) break;
    value = value * 10 + d;
    if (value > 2147483648) return undefined;
  }
  const signed = sign * value;
  return signed < INT32_MIN || signed > INT32_MAX ? undefined : signed === 0 ? 0 : signed;
};
