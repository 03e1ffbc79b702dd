// --dry-run output: the JSON line per would-be action of one alert in one block, secrets redacted.

import { alertId, type Alert } from '../alerts/alert.js';
import type { IntegrationConfig } from '../config/integration-config.js';
import type { Step } from '../delivery/step.js';
import { hasStringifiedBody } from '../integrations/json-post.js';
import { REDACTED_TEXT } from '../telemetry/log.js';

/** Placeholders for the temp files a script would get (they do not exist in a dry run). */
export const DRY_RUN_ALERT_FILE = '<alert file>';
export const DRY_RUN_OPTIONS_FILE = '<options file>';
/** Shorter secrets are only redacted where they are a whole value: inside text they match by chance. */
const MIN_EMBEDDED_SECRET = 4;

/** A code unit of a surrogate pair: JSON.stringify may write it differently alone than inside a pair. */
const SURROGATE = /[\ud800-\udfff]/;
/**
 * Objects at these depths are first tested whole (one native stringify) before being walked: a dry-run
 * line's action fields (`request.body`, `request.headers`, `exec.alert_file`, …) and their children.
 * Shallower objects hold the hook URL itself; deeper ones were tested with their parent.
 */
const TESTED_DEPTHS = [2, 3];

const secretList = (secrets: readonly string[]): string[] => [...new Set(secrets.filter((s) => s !== ''))].sort((a, b) => b.length - a.length);

/** Each secret as JSON.stringify writes it inside a string; undefined when one has a surrogate (then nothing is assumed). */
const writtenForms = (list: readonly string[]): string[] | undefined => (list.some((s) => SURROGATE.test(s)) ? undefined : list.map((s) => JSON.stringify(s).slice(1, -1)));

/**
 * True when no string of the JSON `text` can hold a secret, read on the text itself (no parse): it has no
 * `\u` or `\/` escape, so every character has one way to be written, and no secret's written form.
 */
export const jsonTextHoldsNoSecret = (text: string, secrets: readonly string[]): boolean => {
  const written = writtenForms(secretList(secrets));
  return written !== undefined && !text.includes('\\u') && !text.includes('\\/') && written.every((w) => !text.includes(w));
};

/**
 * Replaces secrets in every string of a JSON value: whole values always, embedded ones when long enough.
 * Objects in `known` are kept as they are (their JSON text was found to hold no secret).
 */
export const redactSecrets = (value: unknown, secrets: readonly string[], known?: WeakSet<object>): unknown => {
  const list = secretList(secrets);
  if (list.length === 0) return value;
  // JSON.stringify escapes character by character, so a string holding a secret holds its escaped form in the JSON.
  const written = writtenForms(list);
  /** True when no string inside `v` can hold a secret (then `v` is kept as it is, unwalked). */
  const clean = (v: object): boolean => {
    if (written === undefined) return false;
    const json = JSON.stringify(v);
    return written.every((w) => !json.includes(w));
  };
  const text = (s: string): string => {
    if (list.includes(s)) return REDACTED_TEXT;
    let out = s;
    for (const secret of list) if (secret.length >= MIN_EMBEDDED_SECRET) out = out.split(secret).join(REDACTED_TEXT);
    return out;
  };
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return text(v);
    if (typeof v !== 'object' || v === null || known?.has(v)) return v;
    if (TESTED_DEPTHS.includes(depth) && clean(v)) return v;
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, depth + 1)]));
  };
  return walk(value, 0);
};

const parsedBody = (body: string | undefined): unknown => {
  if (body === undefined) return undefined;
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
};

const action = (step: Step, secrets: readonly string[], known: WeakSet<object>): Record<string, unknown> => {
  switch (step.kind) {
    case 'http': {
      const { method, url, headers, body } = step.request;
      if (body === undefined) return { request: { method, url, headers } };
      const parsed = parsedBody(body);
      if (typeof parsed === 'object' && parsed !== null && jsonTextHoldsNoSecret(body, secrets)) known.add(parsed);
      return { request: { method, url, headers, body: parsed } };
    }
    case 'exec': {
      const options = step.optionsFileContent === undefined ? '' : DRY_RUN_OPTIONS_FILE;
      return { exec: { file: step.file, argv: ['integrations', ...step.args(DRY_RUN_ALERT_FILE, options)], alert_file: step.alertFileContent } };
    }
    case 'queue':
      return { queue: { message: step.message } };
    case 'smtp': {
      const { message } = step;
      return { smtp: { url: step.url, starttls: step.starttls, ...(step.auth ? { user: step.auth.user, password: step.auth.pass } : {}), ...message } };
    }
  }
};

/**
 * The line of an HTTP step whose body JSON.stringify wrote and that holds no secret, with the body's
 * text put in as it is: JSON.stringify(JSON.parse(text)) is that text again (keys in the same order,
 * numbers and escapes written the same way), so the line is the same as with the parsed body, without
 * parsing it and writing it again. Undefined for any other step (the body is parsed and redacted).
 */
const bodyAsWritten = (head: Record<string, unknown>, step: Step, secrets: readonly string[]): string | undefined => {
  if (step.kind !== 'http' || step.request.body === undefined || !hasStringifiedBody(step.request)) return undefined;
  const { method, url, headers, body } = step.request;
  if (!jsonTextHoldsNoSecret(body, secrets)) return undefined;
  const rest = JSON.stringify(redactSecrets({ ...head, request: { method, url, headers } }, secrets));
  // `rest` ends with the request's `}` and the line's `}`: the body goes last in the request, as action() puts it.
  return `${rest.slice(0, -2)},"body":${body}}}`;
};

/**
 * One JSON line per step (design.md §3): `{"block","integration","alert_id","request":{method,
 * url,headers,body}}` with `body` parsed when it is JSON, or `"exec":{file,argv,alert_file}`
 * (argv from argv[0], `alert_file` = the content the script would read), or `"queue":{message}`.
 * The block's api_key and hook_url and every step's `secrets` print as `**REDACTED**` unless
 * `showSecrets`. Follow-up steps (which need a real answer) are not shown.
 */
export const dryRunLines = (config: IntegrationConfig, alert: Alert, steps: readonly Step[], showSecrets = false): string[] => {
  const blockSecrets = [config.apiKey?.reveal() ?? '', config.hookUrl?.reveal() ?? ''];
  return steps.map((step) => {
    const secrets = [...blockSecrets, ...(step.kind === 'queue' ? [] : step.secrets)];
    const head = { block: config.index, integration: config.name, alert_id: alertId(alert) ?? null };
    const spliced = bodyAsWritten(head, step, showSecrets ? [] : secrets);
    if (spliced !== undefined) return spliced;
    const known = new WeakSet<object>();
    const line = { ...head, ...action(step, showSecrets ? [] : secrets, known) };
    return JSON.stringify(showSecrets ? line : redactSecrets(line, secrets, known));
  });
};
