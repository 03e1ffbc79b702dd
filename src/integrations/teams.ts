// Microsoft Teams: an Adaptive Card in the message envelope a Workflows ("when a webhook request is received") URL expects.

import { field, type Alert } from '../alerts/alert.js';
import { member, pythonText, ruleLevel, ruleMember } from './alert-fields.js';
import type { BlockIntegration, Integration } from './definition.js';
import { jsonPost, messageHook } from './json-post.js';
import { slackColor, slackFields } from './slack.js';
import { startTeamsStandIn } from '../stand-ins/teams.js';
import { demoText, shortText } from './demo-text.js';
import { escapeMarkdown } from './markup-escapes.js';

/** Plain text in a card: a RichTextBlock's TextRun, which Adaptive Cards never read as Markdown (a TextBlock and a Fact value would). */
const plainText = (text: string, run: Readonly<Record<string, unknown>> = {}): Record<string, unknown> => ({
  type: 'RichTextBlock',
  inlines: [{ type: 'TextRun', text, ...run }],
});

/** The Adaptive Card version Workflows' "Post card in a chat or channel" renders everywhere (desktop, web, mobile). */
export const TEAMS_CARD_VERSION = '1.4';

/** Characters of full_log kept in the card: Teams refuses messages over ~28 KB, a card must stay readable. */
const MAX_FULL_LOG = 4000;

/** The card's colour by rule level, on Slack's ladder: ≤ 4 good (green), 5–7 warning (amber), else attention (red). */
export const teamsStyle = (level: number): 'good' | 'warning' | 'attention' => {
  const colour = slackColor(level);
  return colour === 'danger' ? 'attention' : colour;
};

/**
 * `{"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive",
 * "contentUrl":null,"content":AdaptiveCard}]}`: a container styled by level holding "WAZUH Alert"
 * and the rule description, full_log in monospace (cut at 4000 characters; left out when the alert
 * has none), and Slack's fields one per line (`Agent: …`, Rule ID as `id (Level n)`). Every alert
 * value is a TextRun, never Markdown: a link in an alert stays text. `options` are shallow-merged
 * into the card (e.g. `{"msteams":{"width":"Full"}}`). A block's rendered `<template>` (`text`,
 * its `{{x}}` Markdown-escaped) takes full_log's place as a wrapped TextBlock (cut at 4000
 * characters; left out when empty).
 */
export const teamsPayload = (alert: Alert, options: Readonly<Record<string, unknown>> | undefined, text?: string): Record<string, unknown> => {
  const level = ruleLevel(alert);
  const style = teamsStyle(level);
  const body: Record<string, unknown>[] = [
    {
      type: 'Container',
      style,
      bleed: true,
      items: [
        { type: 'TextBlock', text: 'WAZUH Alert', weight: 'Bolder', color: style === 'good' ? 'Good' : style === 'warning' ? 'Warning' : 'Attention' },
        plainText(pythonText(ruleMember(alert, 'description', 'N/A')), { size: 'Medium', weight: 'Bolder' }),
      ],
    },
  ];
  const fullLog = member(alert, 'full_log', undefined);
  if (text !== undefined) {
    if (text !== '') body.push({ type: 'TextBlock', text: shortText(text, MAX_FULL_LOG), wrap: true });
  } else if (fullLog !== undefined && fullLog !== null) body.push(plainText(shortText(pythonText(fullLog), MAX_FULL_LOG), { fontType: 'Monospace' }));
  for (const f of slackFields(alert)) {
    const value = f.title === 'Rule ID' ? `${pythonText(ruleMember(alert, 'id', 'N/A'))} (Level ${level})` : pythonText(f.value);
    body.push({ type: 'RichTextBlock', spacing: 'Small', inlines: [{ type: 'TextRun', text: `${f.title}: `, weight: 'Bolder' }, { type: 'TextRun', text: value }] });
  }
  const card = { $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', type: 'AdaptiveCard', version: TEAMS_CARD_VERSION, body, ...options };
  return { type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card }] };
};

/**
 * Needs hook_url (the Workflows URL; its `sig` is the secret). Workflows answers 202; 400 (a
 * body the trigger refuses), 401/403/404 (a deleted flow, a bad signature) are dropped; 429 with
 * Retry-After pauses the destination and retries; 5xx retries (the shared HTTP rules). No dedup:
 * a re-send posts the card again.
 */
export const teams: Integration = {
  name: 'teams',
  requires: { hookUrl: true, apiKey: false },
  jsonOnlyScript: false,
  ours: true,
  templates: ['template'],
  demo: {
    service: 'teams',
    label: 'Teams Workflows',
    start: () => startTeamsStandIn(),
    hookUrl: (base) => `${base}/workflows/demo/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=DEMO-SIGNATURE`,
    describe: (r) => {
      const attachments = field(r.json, 'attachments');
      const card: unknown = Array.isArray(attachments) ? field(attachments[0], 'content') : undefined;
      const body = field(card, 'body');
      const head: unknown = Array.isArray(body) ? body[0] : undefined;
      const items = field(head, 'items');
      const inlines: unknown = Array.isArray(items) ? field(items[1], 'inlines') : undefined;
      const title: unknown = Array.isArray(inlines) ? field(inlines[0], 'text') : undefined;
      return `${demoText(field(head, 'style'))} "${shortText(demoText(title), 40)}"`;
    },
  },
  create(config): BlockIntegration {
    const hook = messageHook(config, escapeMarkdown);
    if ('unavailable' in hook) return { unavailable: hook.unavailable, plan: () => [] };
    const { url } = hook;
    return { plan: (alert) => [jsonPost(url, teamsPayload(alert, config.options, hook.render(alert)), [url], undefined, { 'content-type': 'application/json' })] };
  },
};
