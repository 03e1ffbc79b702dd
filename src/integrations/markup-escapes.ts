// Alert text as text in each destination's markup: Markdown (CommonMark, Discord, Adaptive Cards), Jira wiki, Slack mrkdwn.

/**
 * The ASCII punctuation that starts Markdown syntax (CommonMark, Discord, Adaptive Cards): links,
 * images, autolinks, emphasis, code, headings, lists, quotes, tables, spoilers, setext underlines,
 * mentions. Both renderers show a backslash-escaped punctuation character as itself; `/`, quotes,
 * `,` `;` `?` `%` `&` start nothing and stay readable.
 */
const MARKDOWN_SPECIAL = /[\\`*_{}[\]()<>#+\-.!|~:@=]/g;

/**
 * Markdown text that renders as the characters it holds: each special character backslash-escaped,
 * so no link (`[t](u)`), image (`![x](u)`), autolink (`<u>`, a bare `https://` — its `:` is
 * escaped), emphasis, heading, quote or list can start from it.
 */
export const escapeMarkdown = (text: string): string => text.replace(MARKDOWN_SPECIAL, '\\$&');

/** One line of Markdown: line breaks become spaces (a value cannot start a block: a heading, a fence) and the rest is escaped. */
export const escapeMarkdownLine = (text: string): string => escapeMarkdown(text.replace(/[\r\n\u2028\u2029]+/g, ' '));

/**
 * A fenced code block that nothing inside can close: the fence is one backtick longer than the
 * longest run of backticks in the text (at least three), and a closing fence must be as long.
 */
export const markdownCodeBlock = (text: string): string => {
  const longest = Math.max(0, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}\n${text}\n${fence}`;
};

/** Jira wiki's markup characters, as Jira's notation help lists them (`\X` shows X), with `#` (numbered lists) and `(` `)` (emoticons such as `(!)`). */
const JIRA_SPECIAL = /[[\]|!{}*_\-+^~?#()]/g;

/**
 * Jira wiki text that renders as itself: each markup character backslash-escaped; a backslash of
 * the text that comes before a markup character or another backslash gets a zero-width space after
 * it (`\\` is Jira's line break, and would free the escaped character); line breaks become spaces
 * (a value cannot start `h1.` or `bq.` on a line of its own).
 */
export const escapeJiraWiki = (text: string): string =>
  text
    .replace(/[\r\n\u2028\u2029]+/g, ' ')
    .replace(/\\(?=[\\[\]|!{}*_\-+^~?#()])/g, '\\\u200b')
    .replace(JIRA_SPECIAL, '\\$&');

/** Text inside Jira's {noformat} block: only the closing tag has meaning there, so it is broken with a space. */
export const jiraNoformat = (text: string): string => text.replace(/\{(noformat)\}/gi, '{ $1}');

/**
 * Slack's control characters as Slack documents them (`&` → `&amp;`, `<` → `&lt;`, `>` → `&gt;`):
 * `<!channel>`, `<!here>`, `<@U123>` and `<https://…|text>` become text.
 */
export const escapeSlack = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
