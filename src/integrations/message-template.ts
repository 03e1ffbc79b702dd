// Mustache message templates of a block (<template>, <template_file>, <subject_template>, <body_template>) with their helpers.

import { readFileSync } from 'node:fs';
import Mustache from 'mustache';
import { field, isAlert, type Alert } from '../alerts/alert.js';
import type { Diagnostic, Position } from '../config/diagnostic.js';
import type { IntegrationConfig, TemplateSource } from '../config/integration-config.js';
import { errorMessage } from '../errors.js';
import { JsonBodyWriter, jsonStringContent, slotPlaces } from './json-body-template.js';

/** The template tags a block may carry; `template` also stands for `<template_file>`. */
export type TemplateTag = 'template' | 'subject_template' | 'body_template';

/** A block's compiled template: `render` gives undefined when the block has none (the integration keeps its own text). */
export type CompiledTemplate = { readonly render: (alert: Alert) => string | undefined } | { readonly problem: string };

/** Characters `{{#truncate}}` keeps (without a length: `{{#truncate.80}}` keeps 80). */
export const DEFAULT_TRUNCATE = 200;
const TRUNCATED = '…';

/**
 * `{{severity}}`: the word of rule.level, as Wazuh's dashboard bands levels: low 0–6, medium 7–11,
 * high 12–14, critical 15 and above; `unknown` without a numeric level.
 */
export const severityWord = (level: unknown): string => {
  const n = typeof level === 'number' ? level : typeof level === 'string' && /^\d+$/.test(level) ? Number(level) : Number.NaN;
  if (!Number.isFinite(n)) return 'unknown';
  return n >= 15 ? 'critical' : n >= 12 ? 'high' : n >= 7 ? 'medium' : 'low';
};

/** Keeps the first `max` characters (code points, never half a surrogate pair), marking a cut with `…`. */
const cut = (text: string, max: number): string => {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max).join('')}${TRUNCATED}`;
};

/** How interpolations are written: text for messages (escaped for the destination's markup), JSON for a webhook body. */
type Mode = 'text' | 'json';

/** A destination's escape for alert text in its markup (Markdown, Jira wiki …); the identity where the text is shown as it is. */
export type MarkupEscape = (text: string) => string;

/** Message text: a string as it is, an object as JSON, then escaped for the destination's markup. */
const textEscape =
  (markup: MarkupEscape) =>
  (value: unknown): string =>
    markup(typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value));

type Lambda = () => (text: string, render: (text: string) => string) => string;

/** `{{#truncate}}…{{/truncate}}` and `{{#truncate.N}}…{{/truncate.N}}`: a lambda that is also a map of lengths. */
const truncateHelper = (mode: Mode): Lambda => {
  const lambda = (max: number) => () => (text: string, render: (t: string) => string) => {
    const rendered = render(text);
    if (mode === 'text') return cut(rendered, max);
    // A body: the slots inside are string content; cut the characters, not the escapes, and give a JSON string.
    try {
      return JSON.stringify(cut(JSON.parse(`"${rendered}"`) as string, max));
    } catch {
      return `"${rendered}"`;
    }
  };
  const length = (key: string | symbol) => (typeof key === 'string' && /^[1-9]\d{0,5}$/.test(key) ? Number(key) : undefined);
  // Mustache finds `truncate.80` through hasOwnProperty on the function: answer for every length.
  return new Proxy(lambda(DEFAULT_TRUNCATE), {
    has: (target, key) => length(key) !== undefined || key in target,
    get: (target, key, receiver) => {
      const n = length(key);
      return n === undefined ? Reflect.get(target, key, receiver) : lambda(n);
    },
    getOwnPropertyDescriptor: (target, key) => {
      const n = length(key);
      return n === undefined ? Reflect.getOwnPropertyDescriptor(target, key) : { value: lambda(n), configurable: true, enumerable: false, writable: false };
    },
  });
};

/** `{{#json}}data.win{{/json}}`: the JSON of the alert's member at that dotted path (`null` when missing). */
const jsonHelper = (alert: Alert): Lambda => () => (text: string) => JSON.stringify(field(alert, ...text.trim().split('.').filter((p) => p !== ''))) ?? 'null';

/** The view a template sees: the alert's members, and the helpers `severity`, `truncate`, `json` over them. */
const viewOf = (alert: Alert, mode: Mode): object =>
  Object.assign(Object.create(isAlert(alert) ? alert : null) as object, {
    severity: severityWord(field(alert, 'rule', 'level')),
    truncate: truncateHelper(mode),
    json: jsonHelper(alert),
  });

/** Line and column of `offset` in a template whose text starts at `start`. */
export const positionIn = (text: string, offset: number, start: Position): Position => {
  const before = text.slice(0, offset).split('\n');
  return before.length === 1
    ? { line: start.line, column: start.column + offset }
    : { line: start.line + before.length - 1, column: (before.at(-1) ?? '').length + 1 };
};

export const sourceOf = (config: IntegrationConfig, tag: TemplateTag): TemplateSource | undefined =>
  tag === 'template' ? config.template : tag === 'subject_template' ? config.subjectTemplate : config.bodyTemplate;

/** Token types a template may not use: partials (no file is read at render time), and raw interpolation in a JSON body. */
const refusedToken = (tokens: readonly unknown[], mode: Mode): { type: string; start: number } | undefined => {
  for (const token of tokens as readonly (readonly unknown[])[]) {
    const [type, , start, , children] = token;
    if (type === '>' || (mode === 'json' && type === '&')) return { type: String(type), start: Number(start) };
    if (Array.isArray(children)) {
      const inner = refusedToken(children, mode);
      if (inner !== undefined) return inner;
    }
  }
  return undefined;
};

/** An alert that has every field a template names, each an object like itself: every section renders once, every slot `{}`. */
const everyField: Alert = new Proxy({} as Alert, {
  has: () => true,
  get: (_target, key) => (typeof key === 'string' ? everyField : undefined),
});

/**
 * Why a body template's text cannot be JSON whatever the alert holds, or undefined: rendered for an
 * alert without fields (sections skipped, inverted sections shown) and for one with every field
 * (each section shown once: a separator left after its last item is found here, not per alert).
 */
const bodyShapeProblem = (render: (alert: Alert) => string): string | undefined => {
  for (const [probe, when] of [[{}, 'for an alert without fields'], [everyField, 'when the alert has every field it names']] as const) {
    try {
      render(probe);
    } catch (error) {
      return errorMessage(error).replace(/^<body_template> did not render valid JSON( \(at character \d+\))?/, (_m, at: string | undefined) => `does not render valid JSON ${when}${at ?? ''}`);
    }
  }
  return undefined;
};

/** Throws when a rendered body is not JSON; the reason quotes no alert content, only where parsing failed. */
const assertJson = (out: string): string => {
  try {
    JSON.parse(out);
    return out;
  } catch (error) {
    const position = /position (\d+)/.exec(error instanceof Error ? error.message : '')?.[1];
    throw new Error(`<body_template> did not render valid JSON${position === undefined ? '' : ` (at character ${position})`}: check the template's commas and brackets around its sections`);
  }
};

/**
 * Compiles the block's `tag` template: parsed once at startup, so a syntax error disables the
 * block with `<tag> at FILE:LINE:COL: …`. Rendering: the alert is the view (`{{rule.description}}`,
 * `{{#rule.groups}}{{.}} {{/rule.groups}}`), no HTML escaping; in message text `{{x}}` goes through
 * `markup` (the destination's escape, so alert text stays text) and `{{{x}}}` is the raw form.
 * `body_template`: a slot inside a JSON string renders the value's text escaped (an object or array
 * as its JSON text), a bare slot the value as JSON (`null` when missing), so any alert renders valid
 * JSON; a template that does not render JSON for an alert without fields or for one with every
 * field (bodyShapeProblem), a section that opens or closes a string, or a slot after a backslash
 * (slotPlaces) is a configuration error here. Without the tag, `render` gives undefined.
 */
export const compileTemplate = (config: IntegrationConfig, tag: TemplateTag = 'template', markup: MarkupEscape = (t) => t): CompiledTemplate => {
  const source = sourceOf(config, tag);
  if (source === undefined) return { render: () => undefined };
  const named = tag === 'template' && source.text === undefined ? 'template_file' : tag;
  let text: string;
  try {
    text = source.text ?? readFileSync(source.file, 'utf8');
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : 'unreadable';
    return { problem: `cannot read <template_file> ${source.file} (${code})` };
  }
  const mode: Mode = tag === 'body_template' ? 'json' : 'text';
  const at = (offset: number) => {
    const p = positionIn(text, offset, source.at);
    return `<${named}> at ${source.file}:${p.line}:${p.column}`;
  };
  let tokens: unknown[];
  try {
    tokens = Mustache.parse(text) as unknown[];
    const refused = refusedToken(tokens, mode);
    if (refused !== undefined) {
      const why = refused.type === '>' ? 'partials ({{> name}}) are not supported' : 'unescaped interpolation ({{{x}}} or {{& x}}) is not allowed in a JSON body: every value is JSON-escaped';
      return { problem: `${at(refused.start)}: ${why}` };
    }
  } catch (error) {
    const message = errorMessage(error);
    const offset = /at (\d+)$/.exec(message)?.[1];
    return { problem: `${at(offset === undefined ? 0 : Number(offset))}: ${message.replace(/ at \d+$/, '').toLowerCase()}` };
  }
  if (mode === 'text') {
    const options = { escape: textEscape(markup) };
    return { render: (alert) => Mustache.render(text, viewOf(alert, mode), {}, options) };
  }
  const placed = slotPlaces(tokens);
  if ('problem' in placed) return { problem: `${at(placed.start)}: ${placed.problem}` };
  const writer = new JsonBodyWriter(placed.places);
  const options = { escape: jsonStringContent };
  const render = (alert: Alert): string => assertJson(writer.renderTokens(tokens as string[][], new Mustache.Context(viewOf(alert, mode)), {}, text, options));
  const shape = bodyShapeProblem(render);
  if (shape !== undefined) return { problem: `${at(0)}: ${shape}` };
  return { render };
};

/**
 * What `check` reports for a block's templates: each of the tags `uses` lists that does not compile,
 * or whose render of `sample` fails (a body that is not JSON), located at the template.
 */
export const templateProblems = (config: IntegrationConfig, uses: readonly TemplateTag[], sample: Alert): Diagnostic[] =>
  uses.flatMap((tag): Diagnostic[] => {
    const source = sourceOf(config, tag);
    if (source === undefined) return [];
    const located = (message: string): Diagnostic => ({ file: source.file, at: source.at, severity: 'error', message });
    const compiled = compileTemplate(config, tag);
    if ('problem' in compiled) return [located(compiled.problem)];
    try {
      compiled.render(sample);
      return [];
    } catch (error) {
      return [located(`rendering the sample alert: ${errorMessage(error)}`)];
    }
  });
