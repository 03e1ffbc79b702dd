// JSON text exactly as Python's json.dumps(value) writes it with its defaults (what Wazuh's scripts send).

// ensure_ascii=True: everything outside printable ASCII is escaped, plus `"` and `\` (Python's ESCAPE_ASCII).
// No `u` flag: the regex walks UTF-16 code units, so an astral character becomes its two surrogates,
// exactly as Python writes it, and a lone surrogate is escaped on its own.
const ESCAPE_ASCII = /[\\"\u0000-\u001f\u007f-\uffff]/g;

const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  '"': '\\"',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/** Python's `"\\u{0:04x}"`: four lowercase hex digits. */
const escapeUnit = (ch: string): string => SHORT_ESCAPES[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** A string as Python's encoder quotes it with ensure_ascii=True. */
export const pythonString = (text: string): string => `"${text.replace(ESCAPE_ASCII, escapeUnit)}"`;

/**
 * A number as Python prints it. JS cannot tell `1` from `1.0` once parsed, so every integral
 * number prints as a Python int (all its digits, never an exponent: `1e21` → `1000000000000000000000`,
 * `-0` → `0`); other numbers print like Python's float repr (shortest round-trip digits, exponent
 * below 1e-4: `1e-05`, `1.5e-07`). NaN and ±Infinity print as Python does (`NaN`, `Infinity`).
 */
export const pythonNumber = (n: number): string => {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  if (Number.isInteger(n)) return BigInt(n).toString();
  // toExponential() without digits gives the shortest round-trip digits, like Python's repr.
  const [mantissa = '', exponentText = '0'] = n.toExponential().split('e');
  const exponent = Number(exponentText);
  // Non-integral floats are < 2^53, so only the small-exponent switch of repr can apply.
  if (exponent < -4) return `${mantissa}e-${String(-exponent).padStart(2, '0')}`;
  return String(n);
};

const encode = (value: unknown, seen: Set<object>, compact = false): string | undefined => {
  switch (typeof value) {
    case 'string':
      return pythonString(value);
    case 'number':
      return pythonNumber(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return value.toString();
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (value === null) return 'null';
  const object = value as object & { toJSON?: () => unknown };
  if (typeof object.toJSON === 'function') return encode(object.toJSON(), seen, compact);
  if (seen.has(object)) throw new TypeError('Circular reference detected');
  seen.add(object);
  try {
    if (Array.isArray(object)) {
      return `[${object.map((item) => encode(item, seen, compact) ?? 'null').join(compact ? ',' : ', ')}]`;
    }
    const parts: string[] = [];
    for (const [key, item] of Object.entries(object)) {
      const text = encode(item, seen, compact);
      if (text !== undefined) parts.push(`${pythonString(key)}${compact ? ':' : ': '}${text}`);
    }
    return `{${parts.join(compact ? ',' : ', ')}}`;
  } finally {
    seen.delete(object);
  }
};

/**
 * Encodes a JSON-like value byte for byte like Python's `json.dumps(value)`: separators `", "` and
 * `": "`, ensure_ascii, Python's escapes, key order as iterated (JS puts integer-like keys first:
 * `{"b":1,"2":0}` parsed by JS prints `"2"` first, Python would keep `"b"` first). Values JSON cannot
 * hold are handled like JSON.stringify: `toJSON()` is used, undefined/functions are left out of
 * objects and become `null` in arrays (and at the top level).
 * `compact`: `json.dumps(value, separators=(",", ":"))` instead (no spaces).
 * @throws TypeError on a circular structure (Python raises ValueError).
 */
export const pythonJson = (value: unknown, compact = false): string => encode(value, new Set(), compact) ?? 'null';
