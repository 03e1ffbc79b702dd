// Specs for src/pipeline/startup-check.ts (Wazuh's startup checks of a block (§1.4): which integration, mandatory values, then the integration's own).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { locateRefusal, ourNameWarning, startupCheck, startupDecision } from '../../src/pipeline/startup-check.js';
import { integrationFor } from '../../src/integrations/registry.js';
import { scrubSecrets } from '../../src/telemetry/log.js';
import { createMetrics } from '../../src/telemetry/metrics.js';
import { wazuhPaths } from '../../src/wazuh-home.js';
import { blockConfig } from '../helpers/block-config.js';
import { captureLog } from '../helpers/capture-log.js';
import { writeScript } from '../helpers/scripts.js';
import { tempDir } from '../helpers/temp-dir.js';

const check = async (configs: Parameters<typeof blockConfig>[0][], prepare: (home: string) => Promise<unknown> = async () => undefined) => {
  const home = await tempDir();
  const log = captureLog(0);
  try {
    await prepare(home.path);
    const results = configs.map((c) => startupCheck(blockConfig(c), wazuhPaths(home.path)));
    return { results, lines: log.lines.map((l) => l.replace(/^.*integratord: /, '')) };
  } finally {
    log.restore();
    await home.remove();
  }
};

/** blockConfig's `<integration>` position. */
const BLOCK_AT = { line: 1, column: 1 };

const startup = suite('startupCheck');
startup("enables a block with its requirements and logs Wazuh's INFO line", async () => {
  const { results, lines } = await check([{ name: 'slack', hookUrl: 'https://hooks.slack.com/services/x' }, { name: 'pagerduty', apiKey: '' }]);
  assert.equal(results.map((r) => r.enabled), [true, true]);
  assert.equal(lines, ["INFO: Enabling integration for: 'slack'.", "INFO: Enabling integration for: 'pagerduty'."]);
});
startup("disables blocks missing their hook URL or API key, with Wazuh's messages", async () => {
  const { results, lines } = await check([{ name: 'slack' }, { name: 'shuffle' }, { name: 'pagerduty' }]);
  assert.equal(results, [
    { enabled: false, reason: "Unable to enable integration for: 'slack'. Missing hook URL.", at: BLOCK_AT },
    { enabled: false, reason: "Unable to enable integration for: 'shuffle'. Missing hook URL.", at: BLOCK_AT },
    { enabled: false, reason: "Unable to enable integration for: 'pagerduty'. Missing API Key.", at: BLOCK_AT },
  ]);
  assert.equal(lines, results.map((r) => `ERROR: ${r.enabled ? '' : r.reason}`));
});
startup('refuses an unsupported name, or reports its missing file first as Wazuh does', async () => {
  const { results } = await check([{ name: 'opsgenie' }, { name: 'mattermost' }], (home) => writeScript(join(home, 'integrations'), 'mattermost', 'exit 0'));
  assert.equal(results, [
    { enabled: false, reason: "Unable to enable integration for: 'opsgenie'. File not found inside 'integrations'.", at: BLOCK_AT },
    { enabled: false, reason: "Invalid integration: 'mattermost'. Not currently supported.", at: BLOCK_AT },
  ]);
});
startup('enables a custom script, a custom webhook; refuses a missing or writable script', async () => {
  const { results } = await check(
    [{ name: 'custom-ok' }, { name: 'custom-hook', hookUrl: 'https://siem.example/in' }, { name: 'custom-none' }, { name: 'custom-open' }],
    async (home) => {
      await writeScript(join(home, 'integrations'), 'custom-ok', 'exit 0');
      await writeScript(join(home, 'integrations'), 'custom-open', 'exit 0', 0o766);
    },
  );
  assert.equal(results.map((r) => (r.enabled ? 'enabled' : r.reason)), [
    'enabled',
    'enabled',
    "Unable to enable integration for: 'custom-none'. File not found inside 'integrations'.",
    "Unable to enable integration for: 'custom-open'. At wpopenv(): file 'integrations/custom-open' has write permissions.",
  ]);
});
startup('never prints the secret values it registers', async () => {
  const home = await tempDir();
  const log = captureLog(0);
  try {
    startupCheck(blockConfig({ name: 'slack', hookUrl: 'not-a-url-SECRET' }), wazuhPaths(home.path));
    assert.ok(log.text().includes("Unable to enable integration for: 'slack'. hook_url is not a valid URL"));
    assert.not.ok(log.text().includes('SECRET'));
  } finally {
    log.restore();
    await home.remove();
  }
});
startup("registers the hook URL's path and token too: a line echoing only them is scrubbed", async () => {
  const home = await tempDir();
  const log = captureLog(0);
  try {
    startupCheck(blockConfig({ name: 'slack', hookUrl: 'https://hooks.slack.com/services/T0/B0/SPEC-STARTUP-TOKEN-9e8d' }), wazuhPaths(home.path));
    assert.is(scrubSecrets('HTTP 404: Cannot POST /services/T0/B0/SPEC-STARTUP-TOKEN-9e8d'), 'HTTP 404: Cannot POST **REDACTED**');
    assert.is(scrubSecrets('invalid token SPEC-STARTUP-TOKEN-9e8d'), 'invalid token **REDACTED**');
  } finally {
    log.restore();
    await home.remove();
  }
});
startup('sets integratord_block_enabled when given the metrics', async () => {
  const home = await tempDir();
  const log = captureLog(0);
  try {
    const metrics = createMetrics();
    startupCheck(blockConfig({ name: 'slack', hookUrl: 'https://h/x' }), wazuhPaths(home.path), { metrics });
    startupCheck(blockConfig({ name: 'pagerduty', index: 1 }), wazuhPaths(home.path), { metrics });
    const { values } = await metrics.blockEnabled.get();
    assert.equal(values.map((v) => [v.labels.block, v.labels.integration, v.value]), [['0', 'slack', 1], ['1', 'pagerduty', 0]]);
  } finally {
    log.restore();
    await home.remove();
  }
});
startup("suggests the built-in name a misspelt or miscased one meant, in run's log line too", async () => {
  const { results, lines } = await check([{ name: 'slak' }, { name: 'Slack' }, { name: 'opsgenie' }]);
  assert.equal(results.map((r) => (r.enabled ? '' : r.reason)), [
    "Unable to enable integration for: 'slak'. File not found inside 'integrations'. Did you mean 'slack'?",
    "Unable to enable integration for: 'Slack'. File not found inside 'integrations'. Did you mean 'slack'?",
    "Unable to enable integration for: 'opsgenie'. File not found inside 'integrations'.",
  ]);
  assert.equal(lines, results.map((r) => `ERROR: ${r.enabled ? '' : r.reason}`));
});
startup('disables a block whose <options> is invalid, at the located element, and logs where it is', async () => {
  const at = { line: 7, column: 14 };
  const { results, lines } = await check([
    { name: 'slack', hookUrl: 'https://h/x', at: { line: 5, column: 3 }, invalid: { reason: '<options>: invalid JSON in <options>: Unexpected token', at } },
    { name: 'shuffle', hookUrl: 'https://h/y', index: 1 },
  ]);
  assert.equal(results[0], { enabled: false, reason: "Unable to enable integration for: 'slack'. <options>: invalid JSON in <options>: Unexpected token", at });
  assert.ok(results[1]?.enabled, 'the other block runs');
  assert.equal(lines, [
    "ERROR: Unable to enable integration for: 'slack'. <options>: invalid JSON in <options>: Unexpected token (line 7, column 14)",
    "INFO: Enabling integration for: 'shuffle'.",
  ]);
});
startup('disables a block with invalid enrichment options; warns about unused ones and runs', async () => {
  const { results, lines } = await check([
    { name: 'virustotal', apiKey: 'k'.repeat(16), options: { cache_size: 0 } },
    { name: 'maltiverse', apiKey: 'k'.repeat(16), hookUrl: 'https://api.maltiverse.com', options: { colour: 'red' }, index: 1 },
  ]);
  assert.equal(results[0], { enabled: false, reason: "Unable to enable integration for: 'virustotal'. options.cache_size must be an integer ≥ 1 (got 0)", at: BLOCK_AT });
  assert.equal(results[1]?.enabled ? results[1].warnings : undefined, ['options.colour is not used by this integration (known: cache_ttl_seconds, negative_cache_ttl_seconds, cache_size, rate_per_minute)']);
  assert.equal(lines.slice(1), [
    'WARNING: maltiverse block 1: options.colour is not used by this integration (known: cache_ttl_seconds, negative_cache_ttl_seconds, cache_size, rate_per_minute) block=1 integration=maltiverse',
    "INFO: Enabling integration for: 'maltiverse'.",
  ]);
});
startup('warns that Wazuh\'s script of a JSON-only integration cannot read the legacy alert_format; custom scripts may', async () => {
  const { results } = await check(
    [
      { name: 'slack', hookUrl: 'https://h/x', jsonFormat: false, alertFormat: undefined },
      { name: 'slack', hookUrl: 'https://h/x', jsonFormat: true },
      { name: 'custom-legacy', jsonFormat: false, alertFormat: undefined },
    ],
    (home) => writeScript(join(home, 'integrations'), 'custom-legacy', 'exit 0'),
  );
  const warnings = results.map((r) => (r.enabled ? r.warnings : ['disabled']));
  assert.equal(warnings.slice(1), [[], []]);
  assert.is(warnings[0]?.length, 1);
  assert.match(warnings[0]?.[0] ?? '', "<alert_format> is not json: Wazuh's slack script cannot read the legacy format");
});
startup('refuses a hook_url an HTTP integration cannot use: not http(s), or with user:password@ it would drop', async () => {
  const { results } = await check([
    { name: 'slack', hookUrl: 'file:///etc/passwd' },
    { name: 'custom-hook', hookUrl: 'unix:/run/x.sock' },
    { name: 'shuffle', hookUrl: 'https://admin:S3cretPassw0rd@shuffle.example/api/v1/hooks/x' },
    { name: 'virustotal', apiKey: 'k'.repeat(16), hookUrl: 'https://user:pw@vt.example' },
    { name: 'pagerduty', apiKey: 'k'.repeat(16), hookUrl: 'ftp://pd.example' },
  ]);
  assert.equal(results.map((r) => (r.enabled ? 'enabled' : r.reason.replace(/^.*?'\. /, ''))), [
    'hook_url must be http or https, not file:',
    'hook_url must be http or https, not unix:',
    "hook_url carries credentials before its host (NAME:PASSWORD@), which integratord does not send: put the credentials in <api_key> or use the integration's own authentication",
    "hook_url carries credentials before its host (NAME:PASSWORD@), which integratord does not send: put the credentials in <api_key> or use the integration's own authentication",
    'hook_url must be http or https, not ftp:',
  ]);
  assert.not.ok(results.some((r) => !r.enabled && r.reason.includes('S3cret')), 'the password is never quoted');
});
startup('passes a hook_url with user info untouched to a custom script, which gets it in argv as in Wazuh', async () => {
  const { results } = await check([{ name: 'custom-misp', hookUrl: 'https://user:pw@misp.example' }], (home) =>
    writeScript(join(home, 'integrations'), 'custom-misp', 'exit 0'),
  );
  assert.ok(results[0]?.enabled);
});

const decision = suite('startupDecision');
decision('decides as startupCheck does without a log line or a metric', async () => {
  const home = await tempDir();
  const log = captureLog(0);
  try {
    const metrics = createMetrics();
    const configs = [blockConfig({ name: 'slak' }), blockConfig({ name: 'slack', hookUrl: 'https://h/x', index: 1 })];
    const decided = configs.map((c) => startupDecision(c, wazuhPaths(home.path), { metrics }));
    assert.equal(log.lines, []);
    assert.equal((await metrics.blockEnabled.get()).values, []);
    const checked = configs.map((c) => startupCheck(c, wazuhPaths(home.path)));
    assert.equal(decided.map((d) => (d.enabled ? 'enabled' : d.reason)), checked.map((d) => (d.enabled ? 'enabled' : d.reason)));
  } finally {
    log.restore();
    await home.remove();
  }
});
decision('disables a block whose template fails on the sample alert, at the template; in a <template_file> it names that file', async () => {
  const home = await tempDir();
  try {
    const paths = wazuhPaths(home.path);
    const inline = { text: '{"g":[{{#rule.groups}}"{{.}}"{{/rule.groups}}]}', file: '/etc/integratord.conf', at: { line: 9, column: 20 } };
    const bad = startupDecision(blockConfig({ name: 'custom-hook', hookUrl: 'http://127.0.0.1:9/h', file: '/etc/integratord.conf', bodyTemplate: inline }), paths);
    assert.ok(!bad.enabled);
    assert.match(bad.reason, /^Unable to enable integration for: 'custom-hook'\. rendering the sample alert: <body_template> did not render valid JSON/);
    assert.equal([bad.at, bad.file], [inline.at, undefined], 'in the block\'s own file');
    const templateFile = join(home.path, 'slack.mustache');
    writeFileSync(templateFile, 'Alert {{#rule}}');
    const inFile = startupDecision(blockConfig({ name: 'slack', hookUrl: 'https://hooks.slack.com/services/T/B/X', file: '/etc/integratord.conf', template: { text: undefined, file: templateFile, at: { line: 1, column: 1 } } }), paths);
    assert.ok(!inFile.enabled);
    assert.is(inFile.file, templateFile);
    const good = startupDecision(blockConfig({ name: 'custom-hook', hookUrl: 'http://127.0.0.1:9/h', bodyTemplate: { ...inline, text: '{"log":"{{full_log}}"}' } }), paths);
    assert.ok(good.enabled);
  } finally {
    await home.remove();
  }
});
decision('startupCheck logs a refusal as FILE:LINE:COL like check, and locateRefusal keeps the old form without a file', async () => {
  const log = captureLog(0);
  try {
    const config = blockConfig({ name: 'slack', file: '/var/ossec/etc/integratord.conf', at: { line: 12, column: 3 } });
    startupCheck(config, wazuhPaths('/nonexistent'));
    assert.match(log.text(), "ERROR: /var/ossec/etc/integratord.conf:12:3: Unable to enable integration for: 'slack'. Missing hook URL.");
    const unfiled = blockConfig({ name: 'slack', at: { line: 12, column: 3 } });
    assert.is(locateRefusal(unfiled, { reason: 'r', at: { line: 14, column: 5 } }), 'r (line 14, column 5)');
    assert.is(locateRefusal(unfiled, { reason: 'r', at: { line: 12, column: 3 } }), 'r');
    assert.is(locateRefusal(unfiled, { reason: 'r', at: { line: 14, column: 5 } }, '/etc/ossec.conf'), '/etc/ossec.conf:14:5: r');
  } finally {
    log.restore();
  }
});
startup.run();
decision.run();

const ours = suite('ourNameWarning');
ours('warns for a name flagged ours on the definition read from a file named ossec.conf, never for Wazuh names or other files', () => {
  const teams = integrationFor('teams');
  const slack = integrationFor('slack');
  if (teams === undefined || slack === undefined) throw new Error('teams and slack are registered');
  assert.match(ourNameWarning(teams, 'teams', '/var/ossec/etc/ossec.conf') ?? '', "'teams' is an integratord integration, not Wazuh's");
  assert.is(ourNameWarning(teams, 'teams', '/var/ossec/etc/integratord.conf'), undefined);
  assert.is(ourNameWarning(teams, 'teams', undefined), undefined);
  assert.is(ourNameWarning(slack, 'slack', '/var/ossec/etc/ossec.conf'), undefined);
  const d = startupDecision(blockConfig({ name: 'discord', hookUrl: 'https://discord.com/api/webhooks/1/t' }), wazuhPaths('/var/ossec'), { configFile: '/x/ossec.conf' });
  assert.ok(d.enabled && d.warnings.some((w) => w.includes('move the block to integratord.conf')), JSON.stringify(d));
});
ours.run();
