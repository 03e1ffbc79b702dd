// The evil alert of issue 20 and finders of the link and image syntax each destination's markup would render from a payload.

import { sampleAlert } from './sample-alerts.js';

/**
 * Issue 20's alert: an agent name with a Markdown link, a full_log that tries to close a code
 * fence and then links and embeds, a rule description with Jira link and image syntax, plus Slack
 * mentions and links and a Markdown link in the location.
 */
export const evilAlert = (): Record<string, unknown> => {
  const alert = sampleAlert(4);
  return {
    ...alert,
    id: '1700000000.666',
    rule: { ...(alert['rule'] as Record<string, unknown>), description: 'Login failed [Wazuh runbook|https://evil.example] !https://evil.example/pixel.png! <!channel> <https://evil.example/r|Reset your password>' },
    agent: { id: '007', name: 'web-01 [Open in Wazuh](https://evil.example/wazuh)' },
    location: '<@U024BE7LH> [logs](https://evil.example/l)',
    full_log: 'Nov  1 10:00:00 web-01 sshd[1]: hello\n```\n[Isolate host now](https://evil.example/x) ![x](https://evil.example/pixel.png)\n# Heading <https://evil.example/a>\n````\n{noformat}\n[Jira link|https://evil.example/j]',
  };
};

/** Lines of `text` outside CommonMark fenced code blocks (a fence closes only on a line of at least as many backticks). */
const outsideFences = (text: string): string => {
  const kept: string[] = [];
  let open = 0;
  for (const line of text.split('\n')) {
    const fence = /^ {0,3}(`{3,})(.*)$/.exec(line);
    if (open === 0 && fence?.[1] !== undefined && !(fence[2] ?? '').includes('`')) open = fence[1].length;
    else if (open > 0 && fence?.[1] !== undefined && fence[1].length >= open && (fence[2] ?? '').trim() === '') open = 0;
    else if (open === 0) kept.push(line);
  }
  return kept.join('\n');
};

/** Backslash escapes removed with the character they escape: what remains can start markup. */
const unescaped = (text: string): string => text.replace(/\\[\s\S]/g, '');

const found = (text: string, patterns: readonly RegExp[]): string[] => patterns.flatMap((p) => Array.from(text.matchAll(p), (m) => m[0]));

/** Links, images, autolinks and bare URLs a CommonMark renderer (TheHive, an Adaptive Card TextBlock) would make of `text`. */
export const markdownLinks = (text: string): string[] =>
  found(unescaped(outsideFences(text)), [/\]\s*\(/g, /!\[/g, /<https?:/gi, /https?:\/\//gi]);

/** The same for Discord, whose code block closes at the next ``` whatever the fence's length. */
export const discordLinks = (text: string): string[] => found(unescaped(text.replace(/```[\s\S]*?```/g, '')), [/\]\s*\(/g, /!\[/g, /<https?:/gi, /https?:\/\//gi]);

/** Links (`[text|url]`, `[url]`) and images (`!url!`) Jira's wiki renderer would make of `text` outside {noformat}. */
export const jiraLinks = (text: string): string[] => found(unescaped(text.replace(/\{noformat\}[\s\S]*?\{noformat\}/g, '')), [/\[[^\]]*https?:/g, /![^!\s]*https?:[^!]*!/g]);

/** Slack's control sequences (`<!channel>`, `<@U…>`, `<url|text>`) in `text`. */
export const slackControls = (text: string): string[] => found(text, [/<[!@#][^>]*>/g, /<https?:[^>]*>/gi]);

/** The texts of a card that Adaptive Cards read as Markdown: TextBlock text and FactSet titles and values (a TextRun never is). */
export const cardMarkdownTexts = (node: unknown): string[] => {
  if (Array.isArray(node)) return node.flatMap(cardMarkdownTexts);
  if (typeof node !== 'object' || node === null) return [];
  const o = node as Record<string, unknown>;
  const own = o['type'] === 'TextBlock' ? [String(o['text'])] : o['type'] === 'FactSet' ? (o['facts'] as { title: string; value: string }[]).flatMap((f) => [f.title, f.value]) : [];
  return [...own, ...Object.values(o).flatMap(cardMarkdownTexts)];
};
