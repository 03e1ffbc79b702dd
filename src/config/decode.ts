// Decodes raw <integration> records into IntegrationConfig with io-ts, locating every failure.

import { dirname, resolve } from 'node:path';
import * as t from 'io-ts/lib/index.js';
import { isLeft } from 'fp-ts/lib/Either.js';
import {
  DurationFromText,
  FieldListFromText,
  HeadersFromText,
  MaxLogFromText,
  OptionsFromText,
  ProxyFromText,
  RuleIdListFromTexts,
  SecretFromText,
  SregexFromText,
  TextFromText,
  UnsignedFromText,
  YesNoFromText,
  type LocatedText,
  type PreciseFailureValue,
} from './codecs.js';
import type { Diagnostic, Position } from './diagnostic.js';
import { didYouMean } from './did-you-mean.js';
import {
  DEFAULT_DEDUP_WINDOW_SECONDS,
  DEFAULT_GROUP_INTERVAL_SECONDS,
  DEFAULT_MAX_LOG,
  DEFAULT_RETRIES,
  DEFAULT_TIMEOUT_SECONDS,
  KNOWN_TAGS,
  type IntegrationConfig,
  type NoiseSettings,
  type TemplateSource,
} from './integration-config.js';
import { identifyBlocks, type UnidentifiedConfig } from './block-identity.js';
import type { RawElement, RawIntegration } from './read-ossec-conf.js';

/** Lets an absent element through as `undefined`. */
const optional = <A, O>(codec: t.Type<A, O, unknown>): t.Type<A | undefined, O | undefined, unknown> =>
  new t.Type<A | undefined, O | undefined, unknown>(
    `${codec.name} | undefined`,
    (u): u is A | undefined => u === undefined || codec.is(u),
    (u, c) => (u === undefined ? t.success(undefined) : codec.validate(u, c)),
    (a) => (a === undefined ? undefined : codec.encode(a)),
  );

/** Replaces an absent element by Wazuh's default. */
const withDefault = <A, O>(codec: t.Type<A, O, unknown>, fallback: A): t.Type<A, O | undefined, unknown> =>
  new t.Type<A, O | undefined, unknown>(
    codec.name,
    codec.is,
    (u, c) => (u === undefined ? t.success(fallback) : codec.validate(u, c)),
    codec.encode,
  );

/** The fields of one block, keyed by Wazuh's tag names; input values are LocatedText. <options> is decoded on its own (decodeOptions). */
export const IntegrationFields = t.type({
  name: TextFromText,
  hook_url: optional(SecretFromText),
  api_key: optional(SecretFromText),
  alert_format: optional(TextFromText),
  level: withDefault(UnsignedFromText, 0),
  rule_id: optional(RuleIdListFromTexts),
  group: optional(TextFromText),
  event_location: optional(SregexFromText),
  max_log: withDefault(MaxLogFromText, DEFAULT_MAX_LOG as t.TypeOf<typeof MaxLogFromText>),
  timeout: withDefault(UnsignedFromText, DEFAULT_TIMEOUT_SECONDS),
  retries: withDefault(UnsignedFromText, DEFAULT_RETRIES),
  proxy: optional(ProxyFromText),
  headers: optional(HeadersFromText),
  dedup_by: optional(FieldListFromText),
  dedup_window: optional(DurationFromText),
  max_per_hour: optional(UnsignedFromText),
  group_by: optional(FieldListFromText),
  group_wait: optional(DurationFromText),
  group_interval: optional(DurationFromText),
  max_open_keys: optional(UnsignedFromText),
  max_held_alerts: optional(UnsignedFromText),
  max_held_bytes: optional(UnsignedFromText),
  escape_markup: optional(YesNoFromText),
});
export type IntegrationFields = t.TypeOf<typeof IntegrationFields>;

export interface DecodeResult {
  readonly configs: readonly IntegrationConfig[];
  readonly errors: readonly Diagnostic[];
}

const isTag = (name: string): boolean => KNOWN_TAGS.includes(name);

const located = (e: RawElement): LocatedText => ({ text: e.text, textAt: e.textAt });

const isPrecise = (v: unknown): v is PreciseFailureValue =>
  typeof v === 'object' && v !== null && 'at' in v && typeof (v as PreciseFailureValue).text === 'string';

/** Gathers tag values: later tags overwrite earlier ones, except <rule_id>, which appends. */
const collect = (raw: RawIntegration) => {
  const input: Record<string, LocatedText | LocatedText[] | undefined> = {};
  const lastElement = new Map<string, RawElement>();
  const unknown: RawElement[] = [];
  for (const element of raw.elements) {
    if (!isTag(element.name)) {
      unknown.push(element);
      continue;
    }
    lastElement.set(element.name, element);
    if (element.name === 'rule_id') {
      const list = (input['rule_id'] as LocatedText[] | undefined) ?? [];
      list.push(located(element));
      input['rule_id'] = list;
    } else {
      input[element.name] = located(element);
    }
  }
  return { input, lastElement, unknown };
};

/** `<options>` decoded on its own: a bad one disables its block only, so it is not a file error. */
type OptionsResult = { readonly options: t.TypeOf<typeof OptionsFromText> | undefined } | { readonly invalid: { readonly reason: string; readonly at: Position } };

const decodeOptions = (raw: RawIntegration, input: LocatedText | undefined): OptionsResult => {
  if (input === undefined) return { options: undefined };
  const result = OptionsFromText.decode(input);
  if (!isLeft(result)) return { options: result.right };
  const failure = result.left[0];
  const at = isPrecise(failure?.value) ? failure.value.at : (raw.elements.filter((e) => e.name === 'options').at(-1)?.at ?? raw.at);
  return { invalid: { reason: `<options>: ${failure?.message ?? 'invalid value'}`, at } };
};

/** A path written in the config, resolved against the config file's directory. */
const besideConfig = (file: string, path: string): string => resolve(dirname(file), path.trim());

/** The templates and CA file of a block: inline texts keep their position, files are resolved beside the config. */
const fileSettings = (file: string, raw: RawIntegration) => {
  const last = (name: string) => raw.elements.filter((e) => e.name === name).at(-1);
  const inline = (name: string): TemplateSource | undefined => {
    const e = last(name);
    return e === undefined ? undefined : { text: e.text, file, at: e.textAt };
  };
  const templateFile = last('template_file');
  const template = templateFile !== undefined ? { text: undefined, file: besideConfig(file, templateFile.text), at: { line: 1, column: 1 } } : inline('template');
  const subjectTemplate = inline('subject_template');
  const bodyTemplate = inline('body_template');
  const caFile = last('ca_file');
  return {
    ...(template === undefined ? {} : { template }),
    ...(subjectTemplate === undefined ? {} : { subjectTemplate }),
    ...(bodyTemplate === undefined ? {} : { bodyTemplate }),
    ...(caFile === undefined ? {} : { caFile: besideConfig(file, caFile.text) }),
  };
};

/** What is wrong with the block's file settings as written (both <template> and <template_file>, an empty path). */
const fileSettingErrors = (raw: RawIntegration, error: (at: Position, message: string) => void): void => {
  const template = raw.elements.find((e) => e.name === 'template');
  const templateFile = raw.elements.find((e) => e.name === 'template_file');
  if (template !== undefined && templateFile !== undefined) error(templateFile.at, 'a block has either <template> or <template_file>, not both');
  for (const e of raw.elements.filter((x) => (x.name === 'template_file' || x.name === 'ca_file') && x.text.trim() === '')) {
    error(e.at, `<${e.name}> is empty: give the path of the file (relative to the config file's directory)`);
  }
};

/** What is wrong with the block's noise tags together: a window without its key, a zero cap or interval, a wait without groups. */
const noiseErrors = (raw: RawIntegration, f: IntegrationFields, error: (at: Position, message: string) => void): void => {
  const at = (name: string) => raw.elements.filter((e) => e.name === name).at(-1)?.at ?? raw.at;
  if (f.dedup_window !== undefined && f.dedup_by === undefined) error(at('dedup_window'), '<dedup_window> needs <dedup_by>: the fields whose values are deduplicated');
  if (f.dedup_window === 0) error(at('dedup_window'), '<dedup_window> must be at least 1 second');
  for (const name of ['group_wait', 'group_interval'] as const) {
    if (f[name] !== undefined && f.group_by === undefined) error(at(name), `<${name}> needs <group_by>: the fields whose values make a group`);
  }
  if (f.group_interval === 0) error(at('group_interval'), '<group_interval> must be at least 1 second');
  if (f.max_per_hour === 0) error(at('max_per_hour'), '<max_per_hour> must be at least 1 (remove the tag for no cap)');
  for (const name of ['max_open_keys', 'max_held_alerts', 'max_held_bytes'] as const) {
    if (f[name] === 0) error(at(name), `<${name}> must be at least 1`);
    if (f[name] !== undefined && f.dedup_by === undefined && f.group_by === undefined && f.max_per_hour === undefined) error(at(name), `<${name}> needs <dedup_by>, <group_by> or <max_per_hour>: it bounds their state`);
  }
};

/** The block's noise settings with their defaults; undefined when it has none of the tags. */
const noiseSettings = (f: IntegrationFields): NoiseSettings | undefined => {
  if (f.dedup_by === undefined && f.group_by === undefined && f.max_per_hour === undefined) return undefined;
  return Object.freeze({
    ...(f.dedup_by === undefined ? {} : { dedupBy: f.dedup_by }),
    dedupWindow: f.dedup_window ?? DEFAULT_DEDUP_WINDOW_SECONDS,
    ...(f.group_by === undefined ? {} : { groupBy: f.group_by }),
    groupWait: f.group_wait ?? 0,
    groupInterval: f.group_interval ?? DEFAULT_GROUP_INTERVAL_SECONDS,
    ...(f.max_per_hour === undefined ? {} : { maxPerHour: f.max_per_hour }),
    ...(f.max_open_keys === undefined && f.max_held_alerts === undefined && f.max_held_bytes === undefined
      ? {}
      : {
          limits: {
            ...(f.max_open_keys === undefined ? {} : { maxKeys: f.max_open_keys }),
            ...(f.max_held_alerts === undefined ? {} : { maxHeld: f.max_held_alerts }),
            ...(f.max_held_bytes === undefined ? {} : { maxHeldBytes: f.max_held_bytes }),
          },
        }),
  });
};

const toConfig = (file: string, raw: RawIntegration, f: IntegrationFields, ruleIdTags: number, options: OptionsResult): UnidentifiedConfig =>
  Object.freeze({
    index: raw.index,
    at: raw.at,
    file,
    name: f.name,
    hookUrl: f.hook_url,
    apiKey: f.api_key,
    alertFormat: f.alert_format,
    jsonFormat: f.alert_format !== undefined && f.alert_format.startsWith('json'),
    level: f.level,
    // No number parsed at all: Wazuh leaves the filter unset.
    ruleIds: ruleIdTags > 0 && f.rule_id !== undefined && f.rule_id.length > 0 ? Object.freeze([...f.rule_id]) : undefined,
    group: f.group,
    eventLocation: f.event_location,
    maxLog: f.max_log,
    timeout: f.timeout,
    retries: f.retries,
    options: 'options' in options ? options.options : undefined,
    optionsText: raw.elements.filter((e) => e.name === 'options').at(-1)?.text,
    ...fileSettings(file, raw),
    ...(f.proxy === undefined ? {} : { proxy: f.proxy }),
    ...(f.headers === undefined ? {} : { headers: f.headers }),
    ...(f.escape_markup === true ? { escapeMarkup: true } : {}),
    ...(noiseSettings(f) === undefined ? {} : { noise: noiseSettings(f) }),
    ...('invalid' in options ? { invalid: options.invalid } : {}),
  });

/**
 * Decodes every block and reports every problem in one pass: unknown elements (with a
 * did-you-mean), empty blocks, a missing <name>, and each field the codecs refuse. A block with
 * an error yields no config. An `<options>` that is not a JSON object is not a file error: the
 * block decodes with `invalid` set (located), and only that block is disabled at startup. The others get their block id (identifyBlocks).
 */
export const decodeIntegrations = (file: string, raws: readonly RawIntegration[]): DecodeResult => {
  const configs: UnidentifiedConfig[] = [];
  const errors: Diagnostic[] = [];
  const error = (at: Position, message: string) => errors.push({ file, at, severity: 'error', message });

  for (const raw of raws) {
    if (raw.elements.length === 0) {
      error(raw.at, 'empty <integration> block: Wazuh refuses it and the manager does not start (1230); add a <name> or remove it');
      continue;
    }
    const { input, lastElement, unknown } = collect(raw);
    for (const element of unknown) {
      const suggestion = didYouMean(element.name, KNOWN_TAGS);
      const hint = suggestion ? `; did you mean <${suggestion}>?` : `; known: ${KNOWN_TAGS.join(', ')}`;
      error(element.at, `unknown element <${element.name}> in <integration> (Wazuh 1230)${hint}`);
    }
    if (input['name'] === undefined) {
      error(raw.at, '<integration> has no <name>: Wazuh refuses the configuration (5310)');
    }
    const before = errors.length;
    fileSettingErrors(raw, error);
    const options = decodeOptions(raw, input['options'] as LocatedText | undefined);
    const result = IntegrationFields.decode(input);
    // A block the file refuses anyway: its <options> problem is one more error to fix, reported now.
    if ((isLeft(result) || unknown.length > 0) && 'invalid' in options) error(options.invalid.at, options.invalid.reason);
    if (isLeft(result)) {
      for (const failure of result.left) {
        const key = failure.context[1]?.key ?? '';
        if (key === 'name' && input['name'] === undefined) continue;
        const element = lastElement.get(key);
        const at = isPrecise(failure.value) ? failure.value.at : (element?.at ?? raw.at);
        error(at, `<${key}>: ${failure.message ?? 'invalid value'}`);
      }
      continue;
    }
    noiseErrors(raw, result.right, error);
    if (unknown.length > 0 || errors.length > before) continue;
    configs.push(toConfig(file, raw, result.right, (input['rule_id'] as LocatedText[] | undefined)?.length ?? 0, options));
  }
  return { configs: identifyBlocks(configs), errors };
};
