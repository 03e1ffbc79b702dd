// Specs for src/pipeline/startup-check.ts (Wazuh's startup checks of a block (§1.4): which integration, mandatory values, then the integration's own).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { startupCheck } from '../../src/pipeline/startup-check.js';
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

const startup = suite('startupCheck');
startup("enables a block with its requirements and logs Wazuh's INFO line", async () => {
  const { results, lines } = await check([{ name: 'slack', hookUrl: 'https://hooks.slack.com/services/x' }, { name: 'pagerduty', apiKey: '' }]);
  assert.equal(results.map((r) => r.enabled), [true, true]);
  assert.equal(lines, ["INFO: Enabling integration for: 'slack'.", "INFO: Enabling integration for: 'pagerduty'."]);
});
startup("disables blocks missing their hook URL or API key, with Wazuh's messages", async () => {
  const { results, lines } = await check([{ name: 'slack' }, { name: 'shuffle' }, { name: 'pagerduty' }]);
  assert.equal(results, [
    { enabled: false, reason: "Unable to enable integration for: 'slack'. Missing hook URL." },
    { enabled: false, reason: "Unable to enable integration for: 'shuffle'. Missing hook URL." },
    { enabled: false, reason: "Unable to enable integration for: 'pagerduty'. Missing API Key." },
  ]);
  assert.equal(lines, results.map((r) => `ERROR: ${r.enabled ? '' : r.reason}`));
});
startup('refuses an unsupported name, or reports its missing file first as Wazuh does', async () => {
  const { results } = await check([{ name: 'teams' }, { name: 'jira' }], (home) => writeScript(join(home, 'integrations'), 'jira', 'exit 0'));
  assert.equal(results, [
    { enabled: false, reason: "Unable to enable integration for: 'teams'. File not found inside 'integrations'." },
    { enabled: false, reason: "Invalid integration: 'jira'. Not currently supported." },
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
startup.run();
