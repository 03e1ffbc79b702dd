// The decoded, immutable settings of one <integration> block.

import type { Position } from './diagnostic.js';
import type { Secret } from './secret.js';
import type { Sregex } from '../match/sregex.js';

/** Every tag Wazuh accepts inside <integration>, in the order of its documentation. */
export const INTEGRATION_TAGS = [
  'name',
  'hook_url',
  'api_key',
  'alert_format',
  'level',
  'rule_id',
  'group',
  'event_location',
  'max_log',
  'timeout',
  'retries',
  'options',
] as const;
export type IntegrationTag = (typeof INTEGRATION_TAGS)[number];

/**
 * integratord's own tags, which Wazuh does not know (it refuses the block, 1230): message templates,
 * the webhook body template, per-block proxy, private CA and extra headers, and noise control (issue 11).
 * Kept in integratord.conf.
 */
export const OUR_TAGS = [
  'template',
  'template_file',
  'subject_template',
  'body_template',
  'proxy',
  'ca_file',
  'headers',
  'dedup_by',
  'dedup_window',
  'max_per_hour',
  'group_by',
  'group_wait',
  'group_interval',
  'max_open_keys',
  'max_held_alerts',
  'max_held_bytes',
  'escape_markup',
] as const;
export type OurTag = (typeof OUR_TAGS)[number];

/** Every tag a block may carry here. */
export const KNOWN_TAGS: readonly string[] = [...INTEGRATION_TAGS, ...OUR_TAGS];

/** A Mustache template as written: inline (`file` is the config file) or read from `<template_file>` (`text` undefined). */
export interface TemplateSource {
  /** The inline template text; undefined for a `<template_file>`, read when the block starts. */
  readonly text: string | undefined;
  /** The config file (inline) or the template file, resolved against the config file's directory. */
  readonly file: string;
  /** Where the template text starts in `file` (1:1 for a template file). */
  readonly at: Position;
}

/** A block's noise control (issue 11): dedup windows, group digests, an hourly cap. Durations in seconds. */
export interface NoiseSettings {
  /** Dotted alert fields whose values key the dedup window; undefined = no dedup. */
  readonly dedupBy?: readonly string[];
  /** Seconds a dedup key stays seen (default DEFAULT_DEDUP_WINDOW_SECONDS). */
  readonly dedupWindow: number;
  /** Dotted alert fields whose values make a group; undefined = no grouping. */
  readonly groupBy?: readonly string[];
  /** Seconds the first alert of a new group waits for company (default 0: sent at once). */
  readonly groupWait: number;
  /** Seconds between a group's digests; a group with no new alert for one interval closes (default DEFAULT_GROUP_INTERVAL_SECONDS). */
  readonly groupInterval: number;
  /** Messages the block sends per hour at most; undefined = no cap. */
  readonly maxPerHour?: number;
  /** Caps on the block's state (<max_open_keys>, <max_held_alerts>, <max_held_bytes>); absent ones take DEFAULT_NOISE_LIMITS (noise/noise-state.ts). */
  readonly limits?: { readonly maxKeys?: number; readonly maxHeld?: number; readonly maxHeldBytes?: number };
}

/** One hour: how long a dedup key stays seen when <dedup_window> is absent (ElastAlert's realert default is 1 min; an hour suits alerts). */
export const DEFAULT_DEDUP_WINDOW_SECONDS = 3600;
/** Five minutes between a group's digests when <group_interval> is absent (Alertmanager's default). */
export const DEFAULT_GROUP_INTERVAL_SECONDS = 300;

export interface IntegrationConfig {
  /**
   * What the block delivers to, stable when blocks move or filters change: keys its cursor and its
   * dead letters (see block-identity.ts). Never shows the hook_url.
   */
  readonly id: string;
  /** 0-based position of the block among all <integration> blocks, in file order. */
  readonly index: number;
  /** Where the block's `<integration>` tag is. */
  readonly at: Position;
  /** The configuration file the block was read from (ossec.conf, integratord.conf); absent for blocks made in code. */
  readonly file?: string;
  readonly name: string;
  readonly hookUrl: Secret | undefined;
  readonly apiKey: Secret | undefined;
  readonly alertFormat: string | undefined;
  /** Wazuh compares only the first 4 characters, case-sensitively, with `json`. */
  readonly jsonFormat: boolean;
  /** Minimum rule.level; 0 = no level filter. */
  readonly level: number;
  /** Parsed ids; undefined = no rule_id filter; only zeros = a filter that never matches. */
  readonly ruleIds: readonly number[] | undefined;
  readonly group: string | undefined;
  readonly eventLocation: Sregex | undefined;
  /** Bytes of full_log kept in the legacy alert file (165..1024, default 165). */
  readonly maxLog: number;
  /** Seconds one delivery attempt may take (default 10). */
  readonly timeout: number;
  /** Further attempts after a retryable failure (default 3). */
  readonly retries: number;
  readonly options: Readonly<Record<string, unknown>> | undefined;
  /** The <options> text verbatim: what a custom script's options file receives. */
  readonly optionsText: string | undefined;
  /** The message text template (`<template>` or `<template_file>`); undefined keeps the integration's own text. */
  readonly template?: TemplateSource;
  /** The subject template of integrations that have one (email). */
  readonly subjectTemplate?: TemplateSource;
  /** The whole JSON body of a custom-* webhook, every interpolation JSON-escaped. */
  readonly bodyTemplate?: TemplateSource;
  /** An http(s) proxy URL (it may hold credentials); HTTPS_PROXY/HTTP_PROXY/NO_PROXY apply when absent. */
  readonly proxy?: Secret;
  /** A PEM file of the private CA(s) the destination's certificate is checked against (absolute path). */
  readonly caFile?: string;
  /** Extra request headers of every HTTP request of the block (values are treated as secrets). */
  readonly headers?: Readonly<Record<string, string>>;
  /** `<escape_markup>yes</escape_markup>`: slack escapes `<`, `>` and `&` of alert text (mentions and links become text); off, Wazuh's bytes. */
  readonly escapeMarkup?: boolean;
  /** Noise control; undefined when the block has none of its tags (every alert is sent, as in Wazuh). */
  readonly noise?: NoiseSettings;
  /**
   * A problem that disables only this block (Wazuh starts and only that block fails): an
   * `<options>` that is not a JSON object. The startup decision refuses the block with this
   * reason, located at `at`; the other blocks run.
   */
  readonly invalid?: { readonly reason: string; readonly at: Position };
}

export const DEFAULT_MAX_LOG = 165;
export const DEFAULT_TIMEOUT_SECONDS = 10;
export const DEFAULT_RETRIES = 3;

/** The deadline of one delivery attempt in ms: `timeout` seconds, at least 1 s (0 would fail every attempt). */
export const attemptTimeoutMs = (config: Pick<IntegrationConfig, 'timeout'>): number => Math.max(1, config.timeout) * 1000;
