// Telegram: Bot API sendMessage with the alert as HTML text; the bot token (api_key) sits in the URL path.

import { field, type Alert } from '../alerts/alert.js';
import { member, pythonText, ruleLevel, ruleMember } from './alert-fields.js';
import type { BlockIntegration, Integration } from './definition.js';
import { hookUrlProblem, jsonPost } from './json-post.js';
import { slackColor, slackFields } from './slack.js';
import { classifyHttp, statusReason } from '../delivery/classify-http.js';
import { retryAfterMs, retryAfterSecondsMs } from '../delivery/retry-after.js';
import type { HttpResponse, Verdict } from '../delivery/step.js';
import { startTelegramStandIn } from '../stand-ins/telegram.js';
import { demoText, shortText } from './demo-text.js';
import { compileTemplate } from './message-template.js';

export const TELEGRAM_API = 'https://api.telegram.org';
/** Telegram refuses a text over 4096 characters: full_log is cut so that the message always fits. */
const MAX_FULL_LOG = 3000;
const MAX_TITLE = 500;
/** What a bot token may hold (`123456:AA…`): anything else would change the URL's path. */
const TOKEN = /^[A-Za-z0-9:_-]+$/;
const MARKS = { good: '🟢', warning: '🟠', danger: '🔴' } as const;

/** The three characters Telegram's HTML parse mode needs escaped. */
export const escapeTelegramHtml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The message text (parse_mode HTML): a mark by level (🟢 ≤ 4, 🟠 5–7, 🔴 otherwise) with "WAZUH
 * Alert", the rule description in bold, full_log in `<pre>` (cut at 3000 characters, left out when
 * absent), then Slack's fields one per line, Rule ID as `id (Level n)`. Every alert value is escaped.
 * A block's rendered `<template>` (`text`) takes the `<pre>` line's place, escaped as plain text
 * (cut at 3000 characters; left out when empty).
 */
export const telegramText = (alert: Alert, text?: string): string => {
  const level = ruleLevel(alert);
  const lines = [`${MARKS[slackColor(level)]} <b>WAZUH Alert</b>`, `<b>${escapeTelegramHtml(shortText(pythonText(ruleMember(alert, 'description', 'N/A')), MAX_TITLE))}</b>`];
  const fullLog = member(alert, 'full_log', undefined);
  if (text !== undefined) {
    if (text !== '') lines.push(escapeTelegramHtml(shortText(text, MAX_FULL_LOG)));
  } else if (fullLog !== undefined && fullLog !== null) lines.push(`<pre>${escapeTelegramHtml(shortText(pythonText(fullLog), MAX_FULL_LOG))}</pre>`);
  for (const f of slackFields(alert)) {
    const value = f.title === 'Rule ID' ? `${pythonText(ruleMember(alert, 'id', 'N/A'))} (Level ${level})` : pythonText(f.value);
    lines.push(`${f.title}: ${escapeTelegramHtml(shortText(value, 200))}`);
  }
  return lines.join('\n');
};

/** The sendMessage body: `{chat_id, text, parse_mode: "HTML", link_preview_options}` then the other options (message_thread_id, disable_notification …). */
export const telegramPayload = (alert: Alert, options: Readonly<Record<string, unknown>>, text?: string): Record<string, unknown> => ({
  chat_id: options['chat_id'],
  text: telegramText(alert, text),
  parse_mode: 'HTML',
  link_preview_options: { is_disabled: true },
  ...options,
});

/** `${base}/bot<token>/sendMessage`, base = hook_url (an API server of your own, a test server) or api.telegram.org. */
export const telegramUrl = (hookUrl: string | undefined, token: string): string =>
  `${(hookUrl === undefined || hookUrl === '' ? TELEGRAM_API : hookUrl).replace(/\/+$/, '')}/bot${token}/sendMessage`;

const parseJson = (body: string): unknown => {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
};

/**
 * Telegram's answers: 2xx delivered (unless `"ok":false`); 429 retried after `Retry-After` or the
 * body's `parameters.retry_after` (seconds), pausing the destination; other errors by the shared
 * rules (400 chat not found, 401 bad token, 403 bot blocked: dropped; 5xx retried), the reason
 * being Telegram's `description` (and the new chat id when a group became a supergroup).
 */
export const classifyTelegram = (response: HttpResponse, nowMs: number = Date.now()): Verdict => {
  const json = parseJson(response.body);
  const description = field(json, 'description');
  const migrated = field(json, 'parameters', 'migrate_to_chat_id');
  const said = typeof description === 'string' ? `${description}${migrated === undefined ? '' : ` (set chat_id to ${demoText(migrated)})`}` : undefined;
  const reason = said === undefined ? statusReason(response) : `HTTP ${response.status}: ${said}`;
  if (response.status === 429) {
    const after = retryAfterMs(response.headers, nowMs) ?? retryAfterSecondsMs(field(json, 'parameters', 'retry_after'));
    return after === undefined ? { kind: 'retry', reason } : { kind: 'retry', reason, afterMs: after, pause: true };
  }
  if (response.status >= 200 && response.status < 300 && field(json, 'ok') === false) return { kind: 'drop', reason };
  const verdict = classifyHttp(response, nowMs);
  return verdict.kind === 'delivered' ? verdict : { ...verdict, reason };
};

const validChat = (chat: unknown): boolean => (typeof chat === 'number' && Number.isInteger(chat)) || (typeof chat === 'string' && chat.trim() !== '');

/**
 * Needs api_key (the bot token) and `<options>{"chat_id": …}</options>`; hook_url, when set,
 * replaces the API base. No dedup: a re-send posts the message again.
 */
export const telegram: Integration = {
  name: 'telegram',
  requires: { hookUrl: false, apiKey: true },
  jsonOnlyScript: false,
  ours: true,
  templates: ['template'],
  demo: {
    service: 'telegram',
    label: 'Telegram',
    start: () => startTelegramStandIn(),
    hookUrl: (base) => base,
    describe: (r) => `chat ${demoText(field(r.json, 'chat_id'))} "${shortText(demoText(field(r.json, 'text')).split('\n')[1]?.replace(/<\/?b>/g, '') ?? '?', 40)}"`,
  },
  create(config): BlockIntegration {
    const token = config.apiKey?.reveal() ?? '';
    if (!TOKEN.test(token)) return { unavailable: 'api_key is not a Telegram bot token (digits, a colon, then letters, digits, - and _, as @BotFather gives it)', plan: () => [] };
    const options = config.options ?? {};
    if (!validChat(options['chat_id'])) {
      return { unavailable: 'telegram needs <options>{"chat_id": …}</options>: the chat, group or channel to post to (a number such as -1001234567890, or "@channelname")', plan: () => [] };
    }
    const hook = config.hookUrl?.reveal();
    if (hook !== undefined && hook !== '') {
      const problem = hookUrlProblem(hook);
      if (problem !== undefined) return { unavailable: problem, plan: () => [] };
    }
    const template = compileTemplate(config);
    if ('problem' in template) return { unavailable: template.problem, plan: () => [] };
    const url = telegramUrl(hook, token);
    return { plan: (alert) => [jsonPost(url, telegramPayload(alert, options, template.render(alert)), [token, hook ?? ''], classifyTelegram, { 'content-type': 'application/json' })] };
  },
};
