// Specs for src/cli/check.ts (`integratord check`: validates ossec.conf and prints every located error and warning).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, mkdir, copyFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/cli.js';
import { fixturePath } from '../helpers/fixture-path.js';
import { ossecConf, webhookBlock } from '../helpers/ossec-conf.js';
import { writeScript } from '../helpers/scripts.js';
import { tempDir } from '../helpers/temp-dir.js';

const run = async (...argv: string[]) => {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: { write: (s: string) => ((stdout += s), true) } as never, stderr: { write: (s: string) => ((stderr += s), true) } as never });
  return { code, stdout, stderr };
};

/** A Wazuh home with integrations/ holding `scripts` (executable), and etc/ossec.conf holding `blocks` (or nothing). */
const withHome = async <T>(scripts: readonly string[], blocks: readonly string[] | undefined, work: (home: string, conf: string) => Promise<T>): Promise<T> => {
  const home = await tempDir('integratord-check-');
  try {
    await mkdir(join(home.path, 'etc'));
    for (const name of scripts) await writeScript(join(home.path, 'integrations'), name, 'exit 0');
    const conf = join(home.path, 'etc', 'ossec.conf');
    if (blocks !== undefined) await writeFile(conf, ossecConf(...blocks));
    return await work(home.path, conf);
  } finally {
    await home.remove();
  }
};

const check = suite('integratord check');
check('exits 0 and lists the blocks of a valid file', async () => {
  const r = await withHome(['custom-misp.py'], undefined, (home) => run('check', '--home', home, '-c', fixturePath('ossec-conf', 'valid-all-tags.conf')));
  assert.is(r.code, 0, r.stdout);
  assert.match(r.stdout, '#0 slack: level>=10, hook_url set, json');
  assert.match(r.stdout, 'OK, 3 integration blocks, 0 warnings');
  assert.not.match(r.stdout, 'XXXX');
});
check('exits 1 and prints every error as FILE:LINE:COL', async () => {
  const file = fixturePath('ossec-conf', 'bad-numbers.conf');
  const r = await run('check', '-c', file);
  assert.is(r.code, 1);
  assert.match(r.stdout, `${file}:4:5: error: <level>`);
  assert.match(r.stdout, `${file}:11:5: error: <max_log>`);
  assert.match(r.stdout, '5 errors, 0 warnings');
});
check('prints warnings but still exits 0', async () => {
  const r = await withHome(['custom-x'], undefined, (home) => run('check', '--home', home, '-c', fixturePath('ossec-conf', 'warnings.conf')));
  assert.is(r.code, 0, r.stdout);
  assert.match(r.stdout, ':5:5: warning: level 17 is above 16');
  assert.match(r.stdout, ":2:3: warning: <alert_format> is not json: Wazuh's slack script cannot read the legacy format");
  assert.match(r.stdout, '6 warnings');
});
check('reads HOME/etc/ossec.conf with --home, and -t is check', async () => {
  const home = await mkdtemp(join(tmpdir(), 'integratord-home-'));
  try {
    await mkdir(join(home, 'etc'));
    await copyFile(fixturePath('ossec-conf', 'warnings.conf'), join(home, 'etc', 'ossec.conf'));
    await writeScript(join(home, 'integrations'), 'custom-x', 'exit 0');
    const r = await run('-t', '--home', home);
    assert.is(r.code, 0);
    assert.match(r.stdout, `${join(home, 'etc', 'ossec.conf')}: OK, 2 integration blocks`);
  } finally {
    await rm(home, { recursive: true });
  }
});
check('reports every block run would disable, at its <integration>, and exits 1', async () => {
  const blocks = [
    '<name>slak</name>\n<hook_url>https://hooks.slack.com/services/T0/B0/CHECK-SECRET-TOKEN-1</hook_url>',
    '<name>Slack</name>',
    '<name>slack</name>',
    '<name>pagerduty</name>',
    '<name>custom-none</name>',
    '<name>custom-open</name>',
    '<name>virustotal</name>\n<api_key>CHECK-SECRET-API-KEY-2</api_key>\n<options>{"cache_size": 0}</options>',
    '<name>shuffle</name>\n<hook_url>https://hooks.slack.com/x</hook_url>',
  ];
  const r = await withHome([], blocks, async (home, conf) => {
    await writeScript(join(home, 'integrations'), 'custom-open', 'exit 0', 0o777);
    return { ...(await run('check', '--home', home)), conf };
  });
  assert.is(r.code, 1, r.stdout);
  const errors = r.stdout.split('\n').filter((l) => l.includes(': error: '));
  assert.equal(errors, [
    `${r.conf}:2:3: error: Unable to enable integration for: 'slak'. File not found inside 'integrations'. Did you mean 'slack'?`,
    `${r.conf}:6:3: error: Unable to enable integration for: 'Slack'. File not found inside 'integrations'. Did you mean 'slack'?`,
    `${r.conf}:9:3: error: Unable to enable integration for: 'slack'. Missing hook URL.`,
    `${r.conf}:12:3: error: Unable to enable integration for: 'pagerduty'. Missing API Key.`,
    `${r.conf}:15:3: error: Unable to enable integration for: 'custom-none'. File not found inside 'integrations'.`,
    `${r.conf}:18:3: error: Unable to enable integration for: 'custom-open'. At wpopenv(): file 'integrations/custom-open' has write permissions.`,
    `${r.conf}:21:3: error: Unable to enable integration for: 'virustotal'. options.cache_size must be an integer ≥ 1 (got 0)`,
  ]);
  assert.match(r.stdout, '#7 shuffle: every alert, hook_url set', 'the block that would run is listed');
  assert.match(r.stdout, `${r.conf}: 7 errors, 1 warning: 7 of 8 integration blocks would be disabled at startup`);
  assert.not.match(r.stdout + r.stderr, 'CHECK-SECRET');
});
check('reports an invalid <options> at the character, as an error, while the other blocks would run', async () => {
  const r = await withHome([], ['<name>slack</name>\n<hook_url>https://h/x</hook_url>\n<options>None</options>', '<name>shuffle</name>\n<hook_url>https://h/y</hook_url>'], async (home, conf) => ({ ...(await run('check', '--home', home)), conf }));
  assert.is(r.code, 1);
  assert.match(r.stdout, `${r.conf}:5:14: error: Unable to enable integration for: 'slack'. <options>: invalid JSON in <options>`);
  assert.match(r.stdout, '#1 shuffle');
  assert.match(r.stdout, '1 of 2 integration blocks would be disabled');
});
check('refuses a hook_url run would refuse: file:, unix:, user:password@ for HTTP integrations', async () => {
  const blocks = [
    '<name>slack</name>\n<hook_url>file:///etc/passwd</hook_url>',
    '<name>custom-hook</name>\n<hook_url>unix:/run/hook.sock</hook_url>',
    '<name>shuffle</name>\n<hook_url>https://admin:CheckPassw0rdSecret@shuffle.example/api/v1/hooks/x</hook_url>',
  ];
  const r = await withHome([], blocks, async (home, conf) => ({ ...(await run('check', '--home', home)), conf }));
  assert.is(r.code, 1);
  const errors = r.stdout.split('\n').filter((l) => l.includes(': error: '));
  assert.equal(errors.map((l) => l.replace(/^.*?: error: Unable to enable integration for: /, '')), [
    "'slack'. hook_url must be http or https, not file:",
    "'custom-hook'. hook_url must be http or https, not unix:",
    "'shuffle'. hook_url carries credentials before its host (NAME:PASSWORD@), which integratord does not send: put the credentials in <api_key> or use the integration's own authentication",
  ]);
  assert.match(errors[0] ?? '', `${r.conf}:2:3: error:`);
  assert.not.match(r.stdout + r.stderr, 'CheckPassw0rdSecret');
});
check('warns about our names (teams, telegram, discord) in a file named ossec.conf, not in integratord.conf; a missing chat_id disables telegram', async () => {
  const blocks = [
    '<name>teams</name>\n<hook_url>https://flow.example/workflows/x/triggers/manual/paths/invoke?sig=TeamsSig1234</hook_url>',
    '<name>telegram</name>\n<api_key>123:TelegramTok3n</api_key>\n<options>{"chat_id": -100}</options>',
    '<name>discord</name>\n<hook_url>https://discord.com/api/webhooks/1/DiscordTok3n</hook_url>',
    '<name>slack</name>\n<hook_url>https://hooks.slack.com/services/T/B/x</hook_url>\n<alert_format>json</alert_format>',
  ];
  const inOssec = await withHome([], blocks, async (home, conf) => ({ ...(await run('check', '--home', home)), conf }));
  assert.is(inOssec.code, 0, inOssec.stdout);
  const warned = inOssec.stdout.split('\n').filter((l) => l.includes('move the block to integratord.conf'));
  assert.equal(warned.map((l) => /'([a-z]+)' is an integratord integration/.exec(l)?.[1]), ['teams', 'telegram', 'discord']);
  assert.match(warned[0] ?? '', `${inOssec.conf}:2:3: warning:`);
  const elsewhere = await withHome([], undefined, async (home) => {
    const file = join(home, 'etc', 'integratord.conf');
    await writeFile(file, ossecConf(...blocks));
    return run('check', '--home', home, '-c', file);
  });
  assert.is(elsewhere.code, 0, elsewhere.stdout);
  assert.not.match(elsewhere.stdout, 'move the block');
  const noChat = await withHome([], ['<name>telegram</name>\n<api_key>123:TelegramTok3n</api_key>'], (home) => run('check', '--home', home));
  assert.is(noChat.code, 1);
  assert.match(noChat.stdout, "error: Unable to enable integration for: 'telegram'. telegram needs <options>{\"chat_id\": …}</options>");
  assert.not.match(inOssec.stdout + noChat.stdout, /TeamsSig1234|TelegramTok3n|DiscordTok3n/);
});
check("warns about a typo'd dedup_by field and template field (issue 18), located, with the field meant; still exits 0", async () => {
  const r = await withHome([], undefined, async (home) => {
    const file = join(home, 'etc', 'integratord.conf');
    await writeFile(file, ossecConf('<name>slack</name>\n<hook_url>https://hooks.slack.com/services/T/B/x</hook_url>\n<alert_format>json</alert_format>\n<dedup_by>data.scrip</dedup_by>\n<template>{{rule.descripton}}</template>'));
    return { ...(await run('check', '--home', home, '-c', file)), file };
  });
  assert.is(r.code, 0, r.stdout);
  assert.match(r.stdout, `${r.file}:6:5: warning: <dedup_by> field 'data.scrip' is not a field Wazuh writes in alerts`);
  assert.match(r.stdout, "did you mean 'data.srcip'?");
  assert.match(r.stdout, "'rule.descripton' is not a field Wazuh writes in alerts (nor in the sample alert): it renders empty; did you mean 'rule.description'?");
  assert.match(r.stdout, 'OK, 1 integration block, 2 warnings');
});
check('exits 1 with a clear message when the file cannot be read', async () => {
  const r = await run('check', '-c', '/nonexistent/ossec.conf');
  assert.is(r.code, 1);
  assert.match(r.stderr, 'cannot read /nonexistent/ossec.conf (ENOENT');
});
check('says what the daemon does when there is no integration', async () => {
  const r = await run('check', '-c', fixturePath('ossec-conf', 'no-integration.conf'));
  assert.is(r.code, 0);
  assert.match(r.stdout, 'no <integration> block (the daemon exits cleanly)');
});
check('prints its help with --help and exits 2 on an unknown option', async () => {
  const help = await run('check', '--help');
  assert.is(help.code, 0);
  assert.match(help.stdout, 'Usage: integratord check');
  assert.match(help.stdout, 'Exit codes');
  const bad = await run('check', '--bogus');
  assert.is(bad.code, 2);
  assert.match(bad.stderr, "Unknown option '--bogus'");
});
check.run();

const templates = suite('integratord check: templates');
templates('a template that does not compile is an error at its file:line and exits 1', async () => {
  const block = '<name>slack</name>\n<hook_url>https://hooks.slack.com/services/T/B/X</hook_url>\n<alert_format>json</alert_format>\n<template>Alert {{#rule}}</template>';
  const r = await withHome([], [block], (home, conf) => run('check', '--home', home, '-c', conf).then((x) => ({ ...x, conf })));
  assert.is(r.code, 1, r.stdout);
  assert.match(r.stdout, `<template> at ${r.conf}:6:30: unclosed section "rule"`);
});
templates('a body_template that does not render the sample alert as JSON is an error at the template and exits 1', async () => {
  const block = webhookBlock('custom-hook', 'https://hooks.example/x', '<body_template>{"g":[{{#rule.groups}}"{{.}}"{{/rule.groups}}]}</body_template>');
  const r = await withHome([], [block], (home, conf) => run('check', '--home', home, '-c', conf).then((x) => ({ ...x, conf })));
  assert.is(r.code, 1, r.stdout);
  assert.match(r.stdout, `${r.conf}:6:20: error: Unable to enable integration for: 'custom-hook'. rendering the sample alert: <body_template> did not render valid JSON`);
  const shapeless = webhookBlock('custom-hook', 'https://hooks.example/x', '<body_template>{"log":{{full_log}} {{rule.id}}}</body_template>');
  const bad = await withHome([], [shapeless], (home, conf) => run('check', '--home', home, '-c', conf).then((x) => ({ ...x, conf })));
  assert.is(bad.code, 1, bad.stdout);
  assert.match(bad.stdout, `<body_template> at ${bad.conf}:6:20: does not render valid JSON`);
  const good = webhookBlock('custom-hook', 'https://hooks.example/x', '<body_template>{"log":{{full_log}},"ip":"{{data.srcip}}"}</body_template>');
  const ok = await withHome([], [good], (home, conf) => run('check', '--home', home, '-c', conf));
  assert.is(ok.code, 0, ok.stdout);
  assert.match(ok.stdout, "<body_template> is integratord's, not Wazuh's");
});
templates.run();

const files = suite('integratord check: the files run reads');
files("with --home reads ossec.conf and integratord.conf, as run does (the README's layout: blocks in integratord.conf only)", async () => {
  const r = await withHome([], [], async (home) => {
    await writeFile(join(home, 'etc', 'integratord.conf'), ossecConf(webhookBlock('custom-a', 'https://a.example/h'), webhookBlock('custom-b', 'https://b.example/h')));
    return run('check', '--home', home);
  });
  assert.is(r.code, 0, r.stdout);
  assert.match(r.stdout, /#0 custom-a: .*\n#1 custom-b: /);
  assert.match(r.stdout, /etc\/ossec\.conf and .*etc\/integratord\.conf: OK, 2 integration blocks, 0 warnings/);
});
files('check -c integratord.conf warns when ossec.conf still holds the same block (each alert delivered twice)', async () => {
  const twin = webhookBlock('custom-a', 'https://a.example/h');
  const r = await withHome([], [twin], async (home, conf) => {
    const ours = join(home, 'etc', 'integratord.conf');
    await writeFile(ours, ossecConf(webhookBlock('custom-b', 'https://b.example/h'), twin));
    return { ...(await run('check', '--home', home, '-c', ours)), conf, ours };
  });
  assert.is(r.code, 0, r.stdout);
  assert.match(r.stdout, `${r.ours}:7:3: warning: the same 'custom-a' block (same hook_url) is still in ${r.conf}:2:3, which Wazuh's own integratord reads: every alert would be delivered twice; remove it from ossec.conf`);
  assert.match(r.stdout, 'OK, 2 integration blocks, 1 warning');
});
files("errors in integratord.conf do not say that Wazuh would refuse to start (it never reads that file); in ossec.conf they do", async () => {
  const bad = `${webhookBlock('custom-a', 'https://a.example/h')}\n<bogus>1</bogus>`;
  const ours = await withHome([], [], async (home) => {
    const file = join(home, 'etc', 'integratord.conf');
    await writeFile(file, ossecConf(bad));
    return { ...(await run('check', '--home', home)), file };
  });
  assert.is(ours.code, 1);
  assert.match(ours.stdout, `${ours.file}:6:5: error: unknown element <bogus>`);
  assert.match(ours.stdout, `${ours.file}: 1 error, 0 warnings: 'run' would refuse to start with this file (Wazuh does not read it)`);
  assert.not.match(ours.stdout, 'Wazuh would refuse');
  const wazuh = await withHome([], [bad], async (home, conf) => ({ ...(await run('check', '--home', home)), conf }));
  assert.is(wazuh.code, 1);
  assert.match(wazuh.stdout, `${wazuh.conf}: 1 error, 0 warnings: Wazuh would refuse to start with this file`);
});
files('a hook_url with short credentials: the message keeps its own words, the credentials stay out', async () => {
  const r = await withHome([], [webhookBlock('custom-hook', 'https://user:pass@hooks.example/x')], (home) => run('check', '--home', home));
  assert.is(r.code, 1, r.stdout);
  assert.match(r.stdout, "error: Unable to enable integration for: 'custom-hook'. hook_url carries credentials before its host (NAME:PASSWORD@), which integratord does not send");
  assert.not.match(r.stdout, 'user:pass@');
  assert.not.match(r.stdout, 'REDACTED');
});
files.run();
