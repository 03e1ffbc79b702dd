// The <body_template> renderer: each slot knows whether it sits inside a JSON string or stands bare, so any alert renders valid JSON.

import Mustache from 'mustache';

/** Where a slot sits in the template's JSON: inside a string literal, or bare (a whole JSON value). */
export type SlotPlace = 'string' | 'bare';

/** A value as the content of a JSON string, without its quotes: a string escaped, anything else as its JSON text, escaped. */
export const jsonStringContent = (value: unknown): string => {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? 'null');
  return JSON.stringify(text).slice(1, -1);
};

/** A value as a JSON value: `null` when missing, its JSON otherwise (a string quoted, an object as JSON). */
export const jsonValueText = (value: unknown): string => (value === undefined || value === null ? 'null' : (JSON.stringify(value) ?? 'null'));

type Token = readonly unknown[];

/** The JSON lexer state the literal text leaves behind: inside a string, and after a backslash there. */
interface Lex {
  inString: boolean;
  escaped: boolean;
}

const scan = (text: string, lex: Lex): void => {
  for (const ch of text) {
    if (!lex.inString) lex.inString = ch === '"';
    else if (lex.escaped) lex.escaped = false;
    else if (ch === '\\') lex.escaped = true;
    else if (ch === '"') lex.inString = false;
  }
};

/** The places of a parsed template's slots and sections, or the offset and reason of a section that opens or closes a string. */
export const slotPlaces = (tokens: readonly unknown[]): { places: WeakMap<object, SlotPlace> } | { problem: string; start: number } => {
  const places = new WeakMap<object, SlotPlace>();
  const lex: Lex = { inString: false, escaped: false };
  const walk = (list: readonly unknown[]): { problem: string; start: number } | undefined => {
    for (const item of list as readonly Token[]) {
      const [type, value, start, , children] = item;
      if (type === 'text') scan(String(value), lex);
      else if (type === 'name' || type === '&') {
        // A value after a backslash would start with an escape the template wrote half of (`"\{{x}}"`).
        if (lex.escaped) return { problem: `the slot {{${String(value)}}} follows a backslash: a value cannot complete an escape sequence`, start: Number(start) };
        places.set(item, lex.inString ? 'string' : 'bare');
        lex.escaped = false;
      } else if ((type === '#' || type === '^') && Array.isArray(children)) {
        places.set(item, lex.inString ? 'string' : 'bare');
        const before = lex.inString;
        const inner = walk(children);
        if (inner !== undefined) return inner;
        if (lex.inString !== before) {
          return { problem: `the section {{${String(type)}${String(value)}}} ${before ? 'closes' : 'opens'} a JSON string it does not ${before ? 'reopen' : 'close'}: keep both quotes on the same side of the section`, start: Number(start) };
        }
      }
    }
    return undefined;
  };
  const problem = walk(tokens);
  return problem ?? { places };
};

/**
 * A Mustache writer that renders a slot by its place: inside a string the value's text, escaped
 * (an object or array as its JSON text); bare, the value as JSON (`null` when missing). Sections
 * whose value is a helper (`truncate`, `json`: lambdas that give a JSON value's text) are turned
 * into string content when they sit inside a string. Slots of text a helper renders again (not
 * in `places`) are string content.
 */
export class JsonBodyWriter extends Mustache.Writer {
  readonly #places: WeakMap<object, SlotPlace>;

  constructor(places: WeakMap<object, SlotPlace>) {
    super();
    this.#places = places;
  }

  override escapedValue(token: string[], context: Mustache.Context): string {
    const value: unknown = context.lookup(token[1] ?? '');
    if (this.#places.get(token) === 'bare') return jsonValueText(value);
    return value === undefined || value === null ? '' : jsonStringContent(value);
  }

  override renderSection(token: string[], context: Mustache.Context, partials?: Mustache.PartialsOrLookupFn, originalTemplate?: string, config?: Mustache.RenderOptions): string {
    const out = super.renderSection(token, context, partials, originalTemplate, config) as string | undefined;
    if (out === undefined || typeof context.lookup(token[1] ?? '') !== 'function' || this.#places.get(token) === 'bare') return out ?? '';
    try {
      return jsonStringContent(JSON.parse(out));
    } catch {
      return jsonStringContent(out);
    }
  }
}
