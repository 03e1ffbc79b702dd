// io-ts codecs for the text of each <integration> setting, with Wazuh's exact rules and defaults.

import * as t from 'io-ts/lib/index.js';
import type { Position } from './diagnostic.js';
import { parseRuleIdList } from './rule-id-list.js';
import { Secret } from './secret.js';
import { headerProblem } from './http-header.js';
import { compileSregex, MAX_SREGEX_LENGTH, type Sregex } from '../match/sregex.js';
import { durationSeconds } from './duration.js';

/** Element text with where it starts, so a failure can point inside it (options JSON). */
export interface LocatedText {
  readonly text: string;
  readonly textAt: Position;
}

const isLocatedText = (u: unknown): u is LocatedText =>
  typeof u === 'object' && u !== null && typeof (u as LocatedText).text === 'string';

/** A failure whose value carries a precise position (see report.ts). */
export interface PreciseFailureValue {
  readonly text: string;
  readonly at: Position;
}

const DIGITS = /^[0-9]*$/;
// Wazuh stores these as C unsigned ints; larger values wrap there. We refuse them instead.
const UINT_MAX = 4294967295;

/**
 * Wazuh's OS_StrIsNum: ASCII digits only, and an empty element passes as 0.
 * Signs, spaces and decimals fail with (1235) "Invalid value for element".
 */
export const UnsignedFromText = new t.Type<number, LocatedText, unknown>(
  'UnsignedFromText',
  (u): u is number => typeof u === 'number',
  (u, c) => {
    if (!isLocatedText(u)) return t.failure(u, c, 'expected text');
    if (!DIGITS.test(u.text)) return t.failure(u, c, `invalid value '${u.text}': digits only (Wazuh 1235)`);
    const n = u.text === '' ? 0 : Number(u.text);
    return n > UINT_MAX ? t.failure(u, c, `value '${u.text}' is out of range (0..${UINT_MAX})`) : t.success(n);
  },
  () => {
    throw new Error('UnsignedFromText does not encode');
  },
);

export interface MaxLogBrand {
  readonly MaxLog: unique symbol;
}
/** max_log: how many bytes of full_log a legacy-format alert file keeps; Wazuh accepts 165..1024. */
export const MaxLog = t.brand(t.number, (n): n is t.Branded<number, MaxLogBrand> => n >= 165 && n <= 1024, 'MaxLog');
export type MaxLog = t.TypeOf<typeof MaxLog>;

export const MaxLogFromText = new t.Type<MaxLog, LocatedText, unknown>(
  'MaxLogFromText',
  MaxLog.is,
  (u, c) => {
    const n = UnsignedFromText.validate(u, c);
    if (n._tag === 'Left') return n;
    return MaxLog.is(n.right) ? t.success(n.right) : t.failure(u, c, `max_log ${n.right} is out of range: Wazuh accepts 165..1024 (1235)`);
  },
  () => {
    throw new Error('MaxLogFromText does not encode');
  },
);

/** api_key and hook_url: any text (an empty element counts as set), held as a redacting Secret. */
export const SecretFromText = new t.Type<Secret, LocatedText, unknown>(
  'SecretFromText',
  (u): u is Secret => u instanceof Secret,
  (u, c) => (isLocatedText(u) ? t.success(new Secret(u.text)) : t.failure(u, c, 'expected text')),
  () => {
    throw new Error('SecretFromText does not encode');
  },
);

/** Verbatim text (name, alert_format, group). */
export const TextFromText = new t.Type<string, LocatedText, unknown>(
  'TextFromText',
  t.string.is,
  (u, c) => (isLocatedText(u) ? t.success(u.text) : t.failure(u, c, 'expected text')),
  (s) => ({ text: s, textAt: { line: 0, column: 0 } }),
);

/** event_location: compiled once at load as Wazuh's case-insensitive OS_Match. */
export const SregexFromText = new t.Type<Sregex, LocatedText, unknown>(
  'SregexFromText',
  (u): u is Sregex => typeof u === 'object' && u !== null && 'pattern' in u && 'test' in u,
  (u, c) => {
    if (!isLocatedText(u)) return t.failure(u, c, 'expected text');
    if (u.text.length > MAX_SREGEX_LENGTH) {
      return t.failure(u, c, `event_location pattern is longer than ${MAX_SREGEX_LENGTH} characters (Wazuh 1450)`);
    }
    return t.success(compileSregex(u.text));
  },
  () => {
    throw new Error('SregexFromText does not encode');
  },
);

/** rule_id: every <rule_id> tag appends; Wazuh's lenient parser (see rule-id-list.ts). */
export const RuleIdListFromTexts = new t.Type<readonly number[], readonly LocatedText[], unknown>(
  'RuleIdListFromTexts',
  (u): u is readonly number[] => Array.isArray(u),
  (u, c) => {
    if (!Array.isArray(u) || !u.every(isLocatedText)) return t.failure(u, c, 'expected texts');
    return t.success(u.flatMap((x: LocatedText) => parseRuleIdList(x.text).ids));
  },
  () => {
    throw new Error('RuleIdListFromTexts does not encode');
  },
);

/** Converts a JSON.parse error offset in `text` into a file position. */
const positionInside = (start: Position, text: string, offset: number): Position => {
  const before = text.slice(0, offset);
  const lastBreak = before.lastIndexOf('\n');
  if (lastBreak === -1) return { line: start.line, column: start.column + offset };
  const lines = before.split('\n').length - 1;
  return { line: start.line + lines, column: offset - lastBreak };
};

const jsonErrorOffset = (error: unknown, text: string): number => {
  const message = error instanceof Error ? error.message : '';
  const match = /position (\d+)/.exec(message);
  if (match) return Number(match[1]);
  return /end of JSON input/.test(message) ? text.length : 0;
};

/**
 * options: must be a JSON object. Wazuh never checks it and every script exits 7 at run time;
 * we refuse it at load and point at the offending character.
 */
export const OptionsFromText = new t.Type<Readonly<Record<string, unknown>>, LocatedText, unknown>(
  'OptionsFromText',
  (u): u is Readonly<Record<string, unknown>> => typeof u === 'object' && u !== null && !Array.isArray(u),
  (u, c) => {
    if (!isLocatedText(u)) return t.failure(u, c, 'expected text');
    let value: unknown;
    try {
      value = JSON.parse(u.text);
    } catch (error) {
      const offset = jsonErrorOffset(error, u.text);
      const reason = error instanceof Error ? error.message.replace(/ in JSON at position \d+.*$/, '') : 'invalid JSON';
      const at = positionInside(u.textAt, u.text, offset);
      const failure: PreciseFailureValue = { text: u.text, at };
      const hint = u.text.trim() === '' ? ' (an empty <options> makes every Wazuh script exit 7; remove the tag or write {})' : '';
      return t.failure(failure, c, `invalid JSON in <options>: ${reason}${hint}`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return t.failure(u, c, `<options> must be a JSON object, got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}`);
    }
    return t.success(Object.freeze(value as Record<string, unknown>));
  },
  () => {
    throw new Error('OptionsFromText does not encode');
  },
);

/** Request headers integratord sets itself or that belong to one connection: never from `<headers>`. */
export const FORBIDDEN_HEADERS: readonly string[] = [
  'host',
  'content-length',
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
];

/**
 * headers: a JSON object of string values, e.g. `{"X-Tenant":"soc"}`. Refuses hop-by-hop headers
 * and Host/Content-Length (the client sets them), names that are not HTTP tokens and values with
 * control characters (CR/LF would split the request). Never quotes a value: it may be a token.
 */
export const HeadersFromText = new t.Type<Readonly<Record<string, string>>, LocatedText, unknown>(
  'HeadersFromText',
  (u): u is Readonly<Record<string, string>> => typeof u === 'object' && u !== null,
  (u, c) => {
    if (!isLocatedText(u)) return t.failure(u, c, 'expected text');
    let value: unknown;
    try {
      value = JSON.parse(u.text);
    } catch {
      return t.failure(u, c, 'must be a JSON object of header names to string values, e.g. {"X-Tenant":"soc"}');
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return t.failure(u, c, 'must be a JSON object of header names to string values');
    const headers: Record<string, string> = {};
    for (const [name, v] of Object.entries(value)) {
      if (typeof v !== 'string') return t.failure(u, c, `header '${name}' must have a string value`);
      const problem = headerProblem({ [name]: v });
      if (problem !== undefined) return t.failure(u, c, problem);
      if (FORBIDDEN_HEADERS.includes(name.toLowerCase())) return t.failure(u, c, `header '${name}' is set by the HTTP client or hop-by-hop and cannot be given`);
      headers[name] = v;
    }
    return t.success(Object.freeze(headers));
  },
  () => {
    throw new Error('HeadersFromText does not encode');
  },
);

/** proxy: an http:// or https:// proxy URL, held as a Secret (it may carry user:password). Never quoted. */
export const ProxyFromText = new t.Type<Secret, LocatedText, unknown>(
  'ProxyFromText',
  (u): u is Secret => u instanceof Secret,
  (u, c) => {
    if (!isLocatedText(u)) return t.failure(u, c, 'expected text');
    let url: URL;
    try {
      url = new URL(u.text.trim());
    } catch {
      return t.failure(u, c, 'is not a valid URL (write http://proxy.example:3128)');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return t.failure(u, c, `must be an http or https proxy URL, not ${url.protocol}`);
    return t.success(new Secret(u.text.trim()));
  },
  () => {
    throw new Error('ProxyFromText does not encode');
  },
);

/** `yes` or `no` (any case, surrounding spaces ignored), as Wazuh writes its switches. */
export const YesNoFromText = new t.Type<boolean, LocatedText, unknown>(
  'YesNoFromText',
  (u): u is boolean => typeof u === 'boolean',
  (u, c) => {
    if (!isLocatedText(u)) return t.failure(u, c, 'expected text');
    const word = u.text.trim().toLowerCase();
    return word === 'yes' ? t.success(true) : word === 'no' ? t.success(false) : t.failure(u, c, `invalid value '${u.text.trim()}': write yes or no`);
  },
  () => {
    throw new Error('YesNoFromText does not encode');
  },
);

/** The longest duration accepted: 30 days (a longer window is a typo more often than a wish). */
export const MAX_DURATION_SECONDS = 30 * 86400;

/** A duration in seconds: `90`, `30s`, `5m`, `2h`, `1d` (surrounding spaces ignored), at most 30 days. */
export const DurationFromText = new t.Type<number, LocatedText, unknown>(
  'DurationFromText',
  (u): u is number => typeof u === 'number',
  (u, c) => {
    if (!isLocatedText(u)) return t.failure(u, c, 'expected text');
    const seconds = durationSeconds(u.text);
    if (seconds === undefined) return t.failure(u, c, `invalid duration '${u.text.trim()}': write seconds or 30s, 5m, 2h, 1d`);
    return seconds > MAX_DURATION_SECONDS ? t.failure(u, c, `duration '${u.text.trim()}' is longer than 30 days`) : t.success(seconds);
  },
  () => {
    throw new Error('DurationFromText does not encode');
  },
);

const FIELD_PATH = /^[A-Za-z0-9_@-]+(\.[A-Za-z0-9_@-]+)*$/;

/** A comma-separated list of dotted alert paths (`rule.id,agent.id,data.srcip`): at least one, each a path, none twice. */
export const FieldListFromText = new t.Type<readonly string[], LocatedText, unknown>(
  'FieldListFromText',
  (u): u is readonly string[] => Array.isArray(u),
  (u, c) => {
    if (!isLocatedText(u)) return t.failure(u, c, 'expected text');
    const fields = u.text.split(',').map((f) => f.trim());
    if (fields.length === 1 && fields[0] === '') return t.failure(u, c, 'is empty: give dotted alert fields, e.g. rule.id,agent.id');
    const bad = fields.find((f) => !FIELD_PATH.test(f));
    if (bad !== undefined) return t.failure(u, c, `'${bad}' is not a dotted alert field (e.g. rule.id, data.srcip)`);
    const twice = fields.find((f, i) => fields.indexOf(f) !== i);
    if (twice !== undefined) return t.failure(u, c, `'${twice}' is listed twice`);
    return t.success(Object.freeze(fields));
  },
  () => {
    throw new Error('FieldListFromText does not encode');
  },
);
