// Seeded malformed alerts.json lines: truncated JSON, invalid UTF-8, NULs, CRLF, wrong types in every field integrations read.

import { generateAlert, seededRandom } from '../../bench/corpus.js';

type Random = () => number;
type Json = Record<string, unknown>;

/** Stand-ins for numbers JSON.stringify cannot write (1e400 parses to Infinity, -0 to -0). */
const RAW_NUMBERS: Readonly<Record<string, string>> = { '@@HUGE@@': '1e400', '@@NEGZERO@@': '-0', '@@BIGINT@@': '123456789012345678901234567890' };

/** Values of the wrong type (or of the right type and absurd), tried in every field. */
const WRONG: readonly unknown[] = [
  '12', '', 'abc', ' 5712 ', '0x10', [], [12], ['sshd', 5, null, { a: 1 }], {}, { level: 15 }, -5, 0, 12.5, 2 ** 53 + 1, 1e308,
  '@@HUGE@@', '@@NEGZERO@@', '@@BIGINT@@', null, true, false, '\u0000', 'x'.repeat(5000), 'é\u202e\ud800',
  // An own "__proto__" key, as JSON.parse makes it (an object literal would set the prototype instead).
  JSON.parse('{"__proto__":{"level":15,"polluted":true}}'),
];

/** Every field the filters, the payload builders and the lookups read (dotted paths), whole objects included. */
const FIELDS: readonly string[] = [
  'rule', 'rule.level', 'rule.id', 'rule.groups', 'rule.description', 'rule.firedtimes', 'rule.mitre', 'location', 'agent', 'agent.id', 'agent.name',
  'agent.ip', 'full_log', 'data', 'data.srcip', 'data.hostname', 'data.url', 'data.id', 'syscheck', 'syscheck.md5_after', 'syscheck.sha1_after',
  'syscheck.sha256_after', 'syscheck.path', 'id', 'timestamp', 'manager', 'decoder', 'agentless', 'previous_output',
];

const pick = <T>(r: Random, items: readonly T[]): T => items[Math.floor(r() * items.length)] as T;

/** Sets (or deletes, for `undefined`) a dotted path, creating objects on the way when the parent is one. */
const setPath = (alert: Json, path: string, value: unknown): void => {
  const keys = path.split('.');
  let node: unknown = alert;
  for (const key of keys.slice(0, -1)) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return;
    const parent = node as Json;
    if (typeof parent[key] !== 'object' || parent[key] === null) parent[key] = {};
    node = parent[key];
  }
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return;
  const last = keys[keys.length - 1]!;
  if (value === undefined) delete (node as Json)[last];
  else (node as Json)[last] = value;
};

const stringify = (alert: Json): string => {
  let text = JSON.stringify(alert);
  for (const [marker, raw] of Object.entries(RAW_NUMBERS)) text = text.replaceAll(`"${marker}"`, raw);
  return text;
};

const nested = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;

/** Bytes that are not UTF-8: a lone continuation, a truncated sequence, an overlong encoding, a surrogate, 0xFF. */
const BAD_UTF8: readonly number[][] = [[0x80], [0xc3], [0xe2, 0x82], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xff], [0xfe, 0xff], [0xf4, 0x90, 0x80, 0x80]];

const insertBytes = (text: string, at: number, bytes: readonly number[]): Buffer => {
  const raw = Buffer.from(text);
  const cut = Math.min(raw.length, Math.max(0, at));
  return Buffer.concat([raw.subarray(0, cut), Buffer.from(bytes), raw.subarray(cut)]);
};

/** A realistic alert with 1–4 fields set to wrong types or removed. */
const wrongTypes = (r: Random, alert: Json): string => {
  // A fresh copy each time: a shared value set at two paths would make the alert circular.
  const fresh = (v: unknown): unknown => (typeof v === 'object' && v !== null ? JSON.parse(JSON.stringify(v)) : v);
  for (let i = 0, n = 1 + Math.floor(r() * 4); i < n; i++) setPath(alert, pick(r, FIELDS), r() < 0.12 ? undefined : fresh(pick(r, WRONG)));
  return stringify(alert);
};

/** What kind of line a fuzzed line is: the spec prints the mix. */
export type FuzzKind =
  | 'valid' | 'wrong-types' | 'truncated' | 'invalid-utf8' | 'nul' | 'crlf' | 'empty' | 'not-an-object' | 'deep-nesting' | 'duplicate-keys' | 'trailing-garbage';

const KINDS: readonly (readonly [FuzzKind, number])[] = [
  ['valid', 0.12], ['wrong-types', 0.45], ['truncated', 0.1], ['invalid-utf8', 0.08], ['nul', 0.05], ['crlf', 0.05], ['empty', 0.04],
  ['not-an-object', 0.04], ['deep-nesting', 0.02], ['duplicate-keys', 0.03], ['trailing-garbage', 0.02],
];

const line = (r: Random, kind: FuzzKind, alert: Json): Buffer => {
  const text = stringify(alert);
  switch (kind) {
    case 'valid':
      return Buffer.from(text);
    case 'wrong-types':
      return Buffer.from(wrongTypes(r, alert));
    case 'truncated':
      return Buffer.from(text).subarray(0, Math.floor(r() * text.length));
    case 'invalid-utf8':
      // Inside full_log (the line stays JSON, decoded with U+FFFD) or anywhere.
      return insertBytes(text, r() < 0.6 && text.includes('"full_log":"') ? text.indexOf('"full_log":"') + 12 : Math.floor(r() * text.length), pick(r, BAD_UTF8));
    case 'nul':
      return pick(r, [
        () => insertBytes(text, Math.floor(r() * text.length), [0]),
        () => Buffer.from(stringify({ ...alert, full_log: 'a\u0000b' })),
        () => Buffer.alloc(1 + Math.floor(r() * 64)),
        () => Buffer.concat([Buffer.from(text), Buffer.from([0])]),
      ])();
    case 'crlf':
      return Buffer.from(`${r() < 0.5 ? text : wrongTypes(r, alert)}\r`);
    case 'empty':
      return Buffer.from(pick(r, ['', ' ', '\t', '\r', '   \r']));
    case 'not-an-object':
      return Buffer.from(pick(r, ['[]', '42', '"alert"', 'null', 'true', `[${text}]`, '-', '{']));
    case 'deep-nesting':
      return Buffer.from(r() < 0.5 ? text.replace(/}$/, `,"data2":${nested(2000 + Math.floor(r() * 3000))}}`) : nested(200_000));
    case 'duplicate-keys':
      return Buffer.from(text.replace(/^\{/, `{"rule":${JSON.stringify(pick(r, WRONG))},"location":7,`));
    case 'trailing-garbage':
      return Buffer.from(`${text}${pick(r, [' x', '}', ',', '\u00a0', '{}'])}`);
  }
};

/**
 * `count` lines (each without its newline; none contains one), deterministic for a seed, with the
 * kind of each. Built from realistic alerts (bench/corpus) so that every integration finds the
 * fields it reads, then broken.
 */
export const fuzzedLines = (count: number, seed: number): { lines: Buffer[]; kinds: FuzzKind[] } => {
  const r = seededRandom(seed);
  const lines: Buffer[] = [];
  const kinds: FuzzKind[] = [];
  for (let n = 0; n < count; n++) {
    let x = r();
    let kind: FuzzKind = 'valid';
    for (const [k, p] of KINDS) {
      if (x < p) {
        kind = k;
        break;
      }
      x -= p;
    }
    const buffer = line(r, kind, generateAlert(r, n));
    if (buffer.includes(10)) throw new Error(`fuzzer bug: line ${n} (${kind}) contains a newline`);
    lines.push(buffer);
    kinds.push(kind);
  }
  return { lines, kinds };
};
