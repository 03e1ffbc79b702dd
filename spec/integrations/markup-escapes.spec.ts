// Specs for src/integrations/markup-escapes.ts (alert text as text in Markdown, Jira wiki and Slack markup).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { escapeJiraWiki, escapeMarkdown, escapeMarkdownLine, escapeSlack, jiraNoformat, markdownCodeBlock } from '../../src/integrations/markup-escapes.js';
import { jiraLinks, markdownLinks, slackControls } from '../helpers/markup-links.js';

const EVIL = ['[Open](https://evil.example/w)', '![x](https://evil.example/p.png)', '<https://evil.example/a>', 'https://evil.example/bare', '\\[still](https://evil.example/b)'];

const md = suite('escapeMarkdown');
md('no link, image, autolink or bare URL survives; the text comes back when the escapes are read', () => {
  for (const text of EVIL) {
    assert.ok(markdownLinks(text).length > 0, `the finder sees ${text}`);
    const escaped = escapeMarkdown(text);
    assert.equal(markdownLinks(escaped), [], escaped);
    assert.is(escaped.replace(/\\([\s\S])/g, '$1'), text, 'reading the escapes gives the text back');
  }
});
md('keeps readable characters as they are: slashes, quotes, commas', () => {
  assert.is(escapeMarkdown('/var/log/secure, "x" \'y\' 50%'), '/var/log/secure, "x" \'y\' 50%');
});
md('a line value cannot start a block: line breaks become spaces', () => {
  assert.is(escapeMarkdownLine('a\n# b\r\n> c'), 'a \\# b \\> c');
});
md.run();

const fence = suite('markdownCodeBlock');
fence('the fence is longer than any backtick run inside, so nothing inside closes it', () => {
  assert.is(markdownCodeBlock('plain'), '```\nplain\n```');
  assert.is(markdownCodeBlock('a\n```\n[x](https://evil.example)'), '````\na\n```\n[x](https://evil.example)\n````');
  assert.equal(markdownLinks(markdownCodeBlock('``````\n[x](https://evil.example)\n```````')), []);
  assert.ok(markdownLinks('```\n```\n[x](https://evil.example)\n```').length > 0, 'a three-backtick fence would have been closed');
});
fence.run();

const jira = suite('escapeJiraWiki and jiraNoformat');
jira('no wiki link or image survives; a backslash of the text cannot free an escaped character', () => {
  for (const text of ['[Wazuh runbook|https://evil.example]', '!https://evil.example/pixel.png!', '[https://evil.example]', '\\[x|https://evil.example]', '\\\\[x|https://evil.example]']) {
    assert.ok(jiraLinks(text).length > 0 || text.includes('\\'), `the finder sees ${text}`);
    const escaped = escapeJiraWiki(text);
    assert.equal(jiraLinks(escaped), [], escaped);
    assert.not.match(escaped, /\\\\/, 'never two backslashes in a row (a Jira line break)');
  }
});
jira('a value stays on its line: no h1. or bq. of its own; Windows paths keep their backslashes', () => {
  assert.is(escapeJiraWiki('x\nh1. big'), 'x h1. big');
  assert.is(escapeJiraWiki('C:\\Windows\\System32'), 'C:\\Windows\\System32');
});
jira('{noformat} inside full_log, in any case, cannot close the block', () => {
  assert.is(jiraNoformat('a {noformat} b {NOFORMAT}'), 'a { noformat} b { NOFORMAT}');
});
jira.run();

const slack = suite('escapeSlack');
slack("escapes <, > and & as Slack documents: mentions and links become text", () => {
  const text = '<!channel> <!here> <@U024BE7LH> <https://evil.example|Reset your password> a & b';
  assert.ok(slackControls(text).length === 4);
  assert.is(escapeSlack(text), '&lt;!channel&gt; &lt;!here&gt; &lt;@U024BE7LH&gt; &lt;https://evil.example|Reset your password&gt; a &amp; b');
  assert.equal(slackControls(escapeSlack(text)), []);
});
slack.run();
