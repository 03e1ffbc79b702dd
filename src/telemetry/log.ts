// The one logger: Wazuh-shaped human lines or JSON, with every registered secret scrubbed.

import { AsyncLocalStorage } from 'node:async_hooks';
import { format } from 'node:util';
import { escapeControls } from './control-escapes.js';
import { addSecretPieces } from './secret-pieces.js';

/** Wazuh's levels; `debug` is shown with -d, `debug2` with -dd. */
export type LogLevel = 'debug2' | 'debug' | 'info' | 'warning' | 'error' | 'critical';
export type LogFormat = 'human' | 'json';
export type LogFields = Readonly<Record<string, unknown>>;

const SEVERITY: Readonly<Record<LogLevel, number>> = { debug2: 0, debug: 1, info: 2, warning: 3, error: 4, critical: 5 };
const LABEL: Readonly<Record<LogLevel, string>> = {
  debug2: 'DEBUG',
  debug: 'DEBUG',
  info: 'INFO',
  warning: 'WARNING',
  error: 'ERROR',
  critical: 'CRITICAL',
};

export const REDACTED_TEXT = '**REDACTED**';
/** Shorter values are too likely to appear by chance (an api_key of "1"); they are still never logged by us. */
const MIN_SECRET_LENGTH = 4;

export interface LogOptions {
  /** 0: info and above; 1 (-d): debug; 2 (-dd): debug2. */
  readonly debug?: number;
  readonly format?: LogFormat;
  readonly destination?: { write(chunk: string): unknown };
  /** Program name in human lines (Wazuh prints its daemon name). */
  readonly program?: string;
  /** Clock, for tests. */
  readonly now?: () => Date;
}

export interface Logger {
  debug2(message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warning(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  critical(message: string, fields?: LogFields): void;
  /** True when a line at this level would be written (skip building costly messages). */
  enabled(level: LogLevel): boolean;
}

const pad = (n: number) => String(n).padStart(2, '0');
/** Wazuh's timestamp: `2026/11/28 01:00:00`, local time. */
const wazuhTime = (d: Date) =>
  `${d.getFullYear()}/${pad(d.getMonth() + 1)}/${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;

const secrets = new Set<string>();
let secretPattern: RegExp | undefined;

/**
 * Registers a value that must never be written: every api_key and hook_url of the loaded
 * configuration, and the token part of hook URLs. Applies to every line of every logger.
 */
export const registerSecret = (value: string | undefined): void => {
  if (value === undefined || value.length < MIN_SECRET_LENGTH || secrets.has(value)) return;
  secrets.add(value);
  addSecretPieces(value);
  const escaped = [...secrets].sort((a, b) => b.length - a.length).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  secretPattern = new RegExp(escaped.join('|'), 'g');
};

/** Replaces every registered secret in a text; used by the logger and by error reports. */
export const scrubSecrets = (text: string): string => (secretPattern ? text.replace(secretPattern, REDACTED_TEXT) : text);

/** Path segments this long are tokens (Slack's is 24 characters); shorter ones (`services`, `v2`) are not. */
const MIN_URL_TOKEN_LENGTH = 16;

/**
 * Query values that are settings, not secrets: registering them would redact every `true` or `json`
 * of every log line. Like values under 4 characters (MIN_SECRET_LENGTH) and numbers under 8 digits
 * (a page size, a year: `2026` would redact every timestamp), they are not registered; any other
 * query value is, whatever its length (`?key=Sh0rtTok3n` is a token).
 */
const GENERIC_QUERY_VALUES = new Set(['true', 'false', 'yes', 'none', 'null', 'json', 'text', 'html', 'plain', 'full', 'short', 'long', 'debug', 'info', 'warning', 'error', 'alert', 'alerts']);
const isGenericQueryValue = (value: string): boolean =>
  value.length < MIN_SECRET_LENGTH || GENERIC_QUERY_VALUES.has(value.toLowerCase()) || /^\d{1,7}$/.test(value);

/** `%58%59%5A…` as a service may echo it (`XYZ…`); the text itself when it does not decode. */
const percentDecoded = (text: string): string => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

/**
 * What of a hook URL to register as secrets: the URL; its path and query together; each path
 * segment of at least 16 characters (a service echoes `Cannot POST /services/T/B/<token>` or names
 * the token alone); every query value but generic ones (see GENERIC_QUERY_VALUES), as written and
 * decoded; user and password — and the percent-decoded form of each of them, since a service may
 * echo what it decoded. Text that is not a URL is returned whole.
 */
export const urlSecretParts = (url: string): string[] => {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return [url];
  }
  const segments = u.pathname.split('/').filter((p) => p.length >= MIN_URL_TOKEN_LENGTH);
  const rawValues = u.search
    .slice(1)
    .split('&')
    .map((pair) => (pair.includes('=') ? pair.slice(pair.indexOf('=') + 1) : pair));
  const values = [...rawValues, ...u.searchParams.values()].filter((v) => !isGenericQueryValue(v));
  const path = `${u.pathname}${u.search}`;
  const parts = [url, ...(path.length >= MIN_URL_TOKEN_LENGTH ? [path] : []), ...segments, ...values, ...userInfoSecrets(u)];
  return [...new Set(parts.flatMap((p) => [p, percentDecoded(p)]).filter((p) => p !== ''))];
};

/** A password this long is a secret on its own; a shorter one (`pass`) is only redacted with its user (`user:pass`), or every "pass" of every log line would be. */
const MIN_PASSWORD_ALONE = 8;

/** The credentials of a URL as written (`user:pass`), and the password alone when long enough; the user name alone is not a secret. */
const userInfoSecrets = (u: URL): string[] => {
  if (u.password === '') return [];
  return [`${u.username}:${u.password}`, ...(u.password.length >= MIN_PASSWORD_ALONE ? [u.password] : [])];
};

/** `https://hooks.slack.com/services/T/B/x` → `https://hooks.slack.com/**REDACTED**`: where, not how. */
export const redactUrl = (url: string): string => {
  try {
    const u = new URL(url);
    return u.pathname === '/' && u.search === '' ? u.origin : `${u.origin}/${REDACTED_TEXT}`;
  } catch {
    return REDACTED_TEXT;
  }
};

const renderValue = (v: unknown): string => (typeof v === 'string' ? (/\s/.test(v) ? JSON.stringify(v) : v) : format('%j', v));

class LineLogger implements Logger {
  readonly #min: number;
  readonly #format: LogFormat;
  readonly #destination: { write(chunk: string): unknown };
  readonly #program: string;
  readonly #now: () => Date;

  constructor(options: LogOptions) {
    const debug = options.debug ?? 0;
    this.#min = debug >= 2 ? SEVERITY.debug2 : debug === 1 ? SEVERITY.debug : SEVERITY.info;
    this.#format = options.format ?? 'human';
    this.#destination = options.destination ?? process.stderr;
    this.#program = options.program ?? 'integratord';
    this.#now = options.now ?? (() => new Date());
  }

  enabled(level: LogLevel): boolean {
    return SEVERITY[level] >= this.#min;
  }

  #write(level: LogLevel, message: string, fields?: LogFields): void {
    if (!this.enabled(level)) return;
    const time = this.#now();
    let line: string;
    if (this.#format === 'json') {
      line = JSON.stringify({ time: time.toISOString(), level, program: this.#program, message, ...fields });
    } else {
      const extra = fields ? Object.entries(fields).filter(([, v]) => v !== undefined) : [];
      const suffix = extra.length > 0 ? ` ${extra.map(([k, v]) => `${k}=${renderValue(v)}`).join(' ')}` : '';
      line = `${wazuhTime(time)} ${this.#program}: ${LABEL[level]}: ${message}${suffix}`;
    }
    // Alert content reaches messages and fields (a srcip, a script's stderr): a human line stays one
    // line whatever they hold, so its control characters are written as visible escapes (JSON escapes its own).
    const scrubbed = scrubSecrets(line);
    this.#destination.write(`${this.#format === 'json' ? scrubbed : escapeControls(scrubbed)}\n`);
  }

  debug2(message: string, fields?: LogFields): void {
    this.#write('debug2', message, fields);
  }
  debug(message: string, fields?: LogFields): void {
    this.#write('debug', message, fields);
  }
  info(message: string, fields?: LogFields): void {
    this.#write('info', message, fields);
  }
  warning(message: string, fields?: LogFields): void {
    this.#write('warning', message, fields);
  }
  error(message: string, fields?: LogFields): void {
    this.#write('error', message, fields);
  }
  critical(message: string, fields?: LogFields): void {
    this.#write('critical', message, fields);
  }
}

/** A logger with its own level, format and destination; secrets are shared by all loggers. */
export const createLogger = (options: LogOptions = {}): Logger => new LineLogger(options);

let current: Logger = createLogger();

/** The logger of one embedded integrator, for the code it runs (see withLogger); empty in the daemon. */
const scoped = new AsyncLocalStorage<Logger>();
const active = (): Logger => scoped.getStore() ?? current;

/**
 * The process-wide logger every module writes to. The CLI configures it once from --debug,
 * --log-format and --log-file; the library keeps the default (info, human, stderr) unless the
 * embedding app calls configureLog. Code run through `withLogger` writes to that logger instead.
 */
export const log: Logger = {
  debug2: (m, f) => active().debug2(m, f),
  debug: (m, f) => active().debug(m, f),
  info: (m, f) => active().info(m, f),
  warning: (m, f) => active().warning(m, f),
  error: (m, f) => active().error(m, f),
  critical: (m, f) => active().critical(m, f),
  enabled: (level) => active().enabled(level),
};

/** A Logger as is, or one built from LogOptions. */
export const toLogger = (options: LogOptions | Logger): Logger =>
  'info' in options && typeof options.info === 'function' ? (options as Logger) : createLogger(options as LogOptions);

/**
 * Runs `fn` with `logger` as what `log` writes to, there and in everything it starts (timers,
 * promises, sockets, streams): one embedded integrator's own logger, leaving the process-wide one
 * as it is. Without a logger, `fn` runs as is (the daemon never enters a scope).
 */
export const withLogger = <T>(logger: Logger | undefined, fn: () => T): T => (logger === undefined ? fn() : scoped.run(logger, fn));

/** Replaces the process-wide logger; returns the previous one (tests restore it). */
export const configureLog = (options: LogOptions | Logger): Logger => {
  const previous = current;
  current = toLogger(options);
  return previous;
};
