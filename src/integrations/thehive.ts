// TheHive 5: one alert per Wazuh alert (POST /api/v1/alert), sourceRef = alert id so a re-send is recognised.

import { field, stringField, type Alert } from '../alerts/alert.js';
import { classifyHttp } from '../delivery/classify-http.js';
import type { HttpResponse, Verdict } from '../delivery/step.js';
import { startTheHiveStandIn } from '../stand-ins/thehive.js';
import { member, pythonText, ruleLevel, ruleMember } from './alert-fields.js';
import type { BlockIntegration, Integration } from './definition.js';
import { demoText, shortText } from './demo-text.js';
import { jsonPost, messageHook } from './json-post.js';
import { escapeMarkdown, escapeMarkdownLine, markdownCodeBlock } from './markup-escapes.js';

export const THEHIVE_ALERT_PATH = '/api/v1/alert';

/** TheHive's severity (1 low, 2 medium, 3 high, 4 critical) from the rule level: ≥ 13, ≥ 10, ≥ 7, else low. */
export const theHiveSeverity = (level: number): 1 | 2 | 3 | 4 => (level >= 13 ? 4 : level >= 10 ? 3 : level >= 7 ? 2 : 1);

/** Where alerts go: hook_url's base with `/api/v1/alert` appended (a trailing slash or a path kept as the base). */
export const theHiveUrl = (hookUrl: string): string => {
  const url = new URL(hookUrl);
  if (url.pathname.endsWith(THEHIVE_ALERT_PATH)) return url.toString();
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${THEHIVE_ALERT_PATH}`;
  return url.toString();
};

/** Alert paths whose values become observables, with TheHive's dataType. */
const OBSERVABLE_PATHS: readonly { readonly path: readonly string[]; readonly dataType: 'ip' | 'hash' | 'hostname' }[] = [
  { path: ['data', 'srcip'], dataType: 'ip' },
  { path: ['data', 'dstip'], dataType: 'ip' },
  { path: ['agent', 'ip'], dataType: 'ip' },
  { path: ['syscheck', 'md5_after'], dataType: 'hash' },
  { path: ['syscheck', 'sha1_after'], dataType: 'hash' },
  { path: ['syscheck', 'sha256_after'], dataType: 'hash' },
  { path: ['data', 'hostname'], dataType: 'hostname' },
  { path: ['predecoder', 'hostname'], dataType: 'hostname' },
  { path: ['agent', 'name'], dataType: 'hostname' },
];

/** The IPs, hashes and hostnames of the alert, each value once per type (TheHive refuses duplicate observables). */
export const theHiveObservables = (alert: Alert): { dataType: string; data: string }[] => {
  const seen = new Set<string>();
  const out: { dataType: string; data: string }[] = [];
  for (const { path, dataType } of OBSERVABLE_PATHS) {
    const data = stringField(alert, ...path);
    if (data === undefined || data === '' || data === 'any' || seen.has(`${dataType}\0${data}`)) continue;
    seen.add(`${dataType}\0${data}`);
    out.push({ dataType, data });
  }
  return out;
};

/**
 * The alert TheHive 5 gets: type (option `type`, default "wazuh_alert"), source "wazuh", sourceRef = the
 * alert id (TheHive refuses a second alert with the same type/source/sourceRef), title = rule description,
 * description = a Markdown summary (alert values escaped, one line each) with full_log in a fence longer
 * than any run of backticks it holds, severity from the level, tags from rule.groups plus
 * `rule:<id>`, observables. Options other than `type` are merged at the top level (tlp, pap, …).
 * A block's rendered `<template>` (`text`, its `{{x}}` Markdown-escaped) is the description instead.
 */
export const theHivePayload = (alert: Alert, options: Readonly<Record<string, unknown>> | undefined, text?: string): Record<string, unknown> => {
  const { type, ...rest } = options ?? {};
  const level = ruleLevel(alert);
  const groups = ruleMember(alert, 'groups', []);
  const ruleId = ruleMember(alert, 'id', undefined);
  const tags = [...(Array.isArray(groups) ? groups.map(String) : []), ...(ruleId === undefined ? [] : [`rule:${pythonText(ruleId)}`])];
  const agent = `${pythonText(field(alert, 'agent', 'id') ?? 'N/A')} - ${pythonText(field(alert, 'agent', 'name') ?? 'N/A')}`;
  const description = text ?? [
    `**Rule** ${escapeMarkdownLine(pythonText(ruleId ?? 'N/A'))} (level ${level}): ${escapeMarkdownLine(pythonText(ruleMember(alert, 'description', 'N/A')))}`,
    `**Agent** ${escapeMarkdownLine(agent)}`,
    `**Location** ${escapeMarkdownLine(pythonText(member(alert, 'location', 'N/A')))}`,
    '',
    markdownCodeBlock(pythonText(member(alert, 'full_log', ''))),
  ].join('\n');
  const date = Date.parse(stringField(alert, 'timestamp') ?? '');
  return {
    type: typeof type === 'string' && type !== '' ? type : 'wazuh_alert',
    source: 'wazuh',
    sourceRef: stringField(alert, 'id') ?? 'unknown',
    title: pythonText(ruleMember(alert, 'description', 'Wazuh alert')),
    description,
    severity: theHiveSeverity(level),
    ...(Number.isFinite(date) ? { date } : {}),
    tags,
    observables: theHiveObservables(alert),
    ...rest,
  };
};

/** TheHive's answer to a sourceRef it already has: 400 `CreateError` "… already exists" (TheHive 3: ConflictError). */
const ALREADY_THERE = /already exists/i;

/** TheHive's rules: 201 delivered; 400 "already exists" delivered (a re-send); 401/403/400 dropped; 429/5xx retried. */
export const classifyTheHive = (response: HttpResponse): Verdict => {
  if (response.status === 400 && ALREADY_THERE.test(response.body)) return { kind: 'delivered', detail: 'already in TheHive (same sourceRef)' };
  return classifyHttp(response);
};

/** Needs hook_url (TheHive's base URL) and api_key (a bearer API key). */
export const thehive: Integration = {
  name: 'thehive',
  requires: { hookUrl: true, apiKey: true },
  jsonOnlyScript: false,
  ours: true,
  templates: ['template'],
  demo: {
    service: 'thehive',
    label: 'TheHive',
    start: () => startTheHiveStandIn(),
    hookUrl: (base) => base,
    describe: (r) => `severity ${demoText(field(r.json, 'severity'))} "${shortText(demoText(field(r.json, 'title')), 40)}"`,
  },
  create(config): BlockIntegration {
    const key = config.apiKey?.reveal() ?? '';
    const hook = messageHook(config, escapeMarkdown);
    if ('unavailable' in hook) return { unavailable: hook.unavailable, plan: () => [] };
    const url = theHiveUrl(hook.url);
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${key}` };
    return { plan: (alert) => [jsonPost(url, theHivePayload(alert, config.options, hook.render(alert)), [key, hook.url], classifyTheHive, headers)] };
  },
};
