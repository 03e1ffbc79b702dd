// Discord: an execute-webhook message with one embed (colour by level, title, full_log, Slack's fields), sent with ?wait=true.

import { field, type Alert } from '../alerts/alert.js';
import { member, pythonText, ruleLevel, ruleMember } from './alert-fields.js';
import type { BlockIntegration, Integration } from './definition.js';
import { jsonPost, messageHook } from './json-post.js';
import { slackColor, slackFields } from './slack.js';
import { classifyHttp, statusReason } from '../delivery/classify-http.js';
import { resetAfterMs, retryAfterMs, retryAfterSecondsMs } from '../delivery/retry-after.js';
import type { HttpResponse, Verdict } from '../delivery/step.js';
import { startDiscordStandIn } from '../stand-ins/discord.js';
import { demoText, shortText } from './demo-text.js';
import { escapeMarkdown } from './markup-escapes.js';

/** Slack's attachment colours as Discord's integer colours: good #2EB886, warning #DAA038, danger #A30200. */
const COLOURS = { good: 0x2eb886, warning: 0xdaa038, danger: 0xa30200 } as const;
/** Discord's embed limits: title 256, description 4096, field value 1024, all text 6000; cut well inside them. */
const MAX_TITLE = 256;
const MAX_FULL_LOG = 3000;
const MAX_FIELD = 512;

export const discordColour = (level: number): number => COLOURS[slackColor(level)];


/** The alert's timestamp as ISO 8601 in UTC (Discord refuses Wazuh's `+0000` form), or undefined when unreadable. */
const isoTimestamp = (value: unknown): string | undefined => {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
};

/**
 * A code block nothing inside can close: Discord's parser ends a block at the next "```" whatever
 * the opening fence's length, so a zero-width space goes between any two backticks of the text
 * (then the text is cut to `max`, so the escapes cannot push it over Discord's limit).
 */
const codeBlock = (text: string, max: number): string => `\`\`\`\n${shortText(text.replace(/`(?=`)/g, '`\u200b'), max)}\n\`\`\``;

const nonEmpty = (text: string): string => (text.trim() === '' ? 'N/A' : text);

/** Alert text Markdown-escaped in at most `max` characters: cut (with `…`) between characters, never inside an escape. */
const markdownCut = (text: string, max: number): string => {
  const whole = escapeMarkdown(text);
  if (whole.length <= max) return whole;
  let out = '';
  for (const ch of text) {
    const next = escapeMarkdown(ch);
    if (out.length + next.length > max - 1) break;
    out += next;
  }
  return `${out}…`;
};

/**
 * `{"username":"Wazuh","embeds":[{title, description, color, fields, footer, timestamp}],
 * "allowed_mentions":{"parse":[]}}`: the rule description as title, full_log in a code block that
 * no backticks of the log can close (left out when absent), Slack's fields inline,
 * footer "WAZUH Alert", the alert's time. Title and field values are Markdown-escaped (a masked
 * link stays text), and no mention an alert carries (`@everyone`) ever pings. `options` are
 * shallow-merged into the message (`username`, `avatar_url`, `thread_name` …). A block's rendered
 * `<template>` (`text`, its `{{x}}` Markdown-escaped) is the description instead (cut at 3000
 * characters; left out when blank).
 */
export const discordPayload = (alert: Alert, options: Readonly<Record<string, unknown>> | undefined, text?: string): Record<string, unknown> => {
  const level = ruleLevel(alert);
  const embed: Record<string, unknown> = { title: markdownCut(nonEmpty(pythonText(ruleMember(alert, 'description', 'N/A'))), MAX_TITLE) };
  const fullLog = member(alert, 'full_log', undefined);
  if (text !== undefined) {
    if (text.trim() !== '') embed['description'] = shortText(text, MAX_FULL_LOG);
  } else if (fullLog !== undefined && fullLog !== null) embed['description'] = codeBlock(pythonText(fullLog), MAX_FULL_LOG);
  embed['color'] = discordColour(level);
  embed['fields'] = slackFields(alert).map((f) => ({
    name: f.title,
    value: f.title === 'Rule ID' ? `${markdownCut(pythonText(ruleMember(alert, 'id', 'N/A')), MAX_FIELD)} _(Level ${level})_` : markdownCut(nonEmpty(pythonText(f.value)), MAX_FIELD),
    inline: true,
  }));
  embed['footer'] = { text: 'WAZUH Alert' };
  const timestamp = isoTimestamp(member(alert, 'timestamp', undefined));
  if (timestamp !== undefined) embed['timestamp'] = timestamp;
  return { username: 'Wazuh', embeds: [embed], allowed_mentions: { parse: [] }, ...options };
};

/** The hook URL with `wait=true`, so Discord answers 200 with the message once it is stored (other query parameters, thread_id, kept). */
export const discordUrl = (hookUrl: string): string => {
  const url = new URL(hookUrl);
  url.searchParams.set('wait', 'true');
  return url.toString();
};

const parseJson = (body: string): unknown => {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
};

/**
 * Discord's answers: 200 (wait=true) or 204 delivered; 429 waits the longest of the body's
 * `retry_after` (fractional seconds), `X-RateLimit-Reset-After` and `Retry-After`, pausing the
 * destination, then retries; 400 (Invalid Form Body, empty message), 401 (Invalid Webhook Token)
 * and 404 (Unknown Webhook) are dropped, 5xx retried (the shared rules).
 */
export const classifyDiscord = (response: HttpResponse, nowMs: number = Date.now()): Verdict => {
  if (response.status !== 429) return classifyHttp(response, nowMs);
  const waits = [retryAfterSecondsMs(field(parseJson(response.body), 'retry_after')), resetAfterMs(response.headers), retryAfterMs(response.headers, nowMs)].filter(
    (w): w is number => w !== undefined,
  );
  const reason = statusReason(response);
  return waits.length === 0 ? { kind: 'retry', reason } : { kind: 'retry', reason, afterMs: Math.max(...waits), pause: true };
};

/** Needs hook_url (the webhook URL; its last segment is the token). No dedup: a re-send posts the embed again. */
export const discord: Integration = {
  name: 'discord',
  requires: { hookUrl: true, apiKey: false },
  jsonOnlyScript: false,
  ours: true,
  templates: ['template'],
  demo: {
    service: 'discord',
    label: 'Discord',
    start: () => startDiscordStandIn(),
    hookUrl: (base) => `${base}/api/webhooks/1234567890/DEMO-WEBHOOK-TOKEN`,
    describe: (r) => {
      const embeds = field(r.json, 'embeds');
      const first: unknown = Array.isArray(embeds) ? embeds[0] : undefined;
      const colour = field(first, 'color');
      return `#${typeof colour === 'number' ? colour.toString(16).padStart(6, '0') : '?'} "${shortText(demoText(field(first, 'title')), 40)}"`;
    },
  },
  create(config): BlockIntegration {
    const hook = messageHook(config, escapeMarkdown);
    if ('unavailable' in hook) return { unavailable: hook.unavailable, plan: () => [] };
    const url = discordUrl(hook.url);
    return { plan: (alert) => [jsonPost(url, discordPayload(alert, config.options, hook.render(alert)), [hook.url, url], classifyDiscord, { 'content-type': 'application/json' })] };
  },
};
