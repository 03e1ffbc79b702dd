// Specs for src/integrations/custom-script.ts (custom-* blocks: run integrations/<name> with Wazuh's argv contract, or post to hook_url when there is no script).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { chmod, chown } from 'node:fs/promises';
import { join } from 'node:path';
import { startupCheck } from '../../src/pipeline/startup-check.js';
import { captureLog } from '../helpers/capture-log.js';
import { alertFileContent, custom, NO_DEBUG_REDIRECT, scriptArgv, scriptStep } from '../../src/integrations/custom-script.js';
import { wazuhPaths } from '../../src/wazuh-home.js';
import { blockConfig } from '../helpers/block-config.js';
import { sampleAlert } from '../helpers/sample-alerts.js';
import { writeScript } from '../helpers/scripts.js';
import { tempDir } from '../helpers/temp-dir.js';

const argv = suite('scriptArgv');
argv("follows Wazuh's argv: alert, api_key, hook_url, debug, options, timeout, retries, redirect", () => {
  const config = blockConfig({ apiKey: 'k e y', hookUrl: 'https://h/x', timeout: 5, retries: 1 });
  assert.equal(scriptArgv(config, 0, '/t/a.alert', '/t/a.options'), ['/t/a.alert', 'k e y', 'https://h/x', '', '/t/a.options', '5', '1', NO_DEBUG_REDIRECT]);
  assert.is(NO_DEBUG_REDIRECT, '> /dev/null 2>&1');
});
argv('passes empty strings for unset values and drops the redirect in debug mode', () => {
  assert.equal(scriptArgv(blockConfig(), 1, '/t/a.alert', ''), ['/t/a.alert', '', '', 'debug', '', '10', '3']);
  assert.equal(scriptArgv(blockConfig(), 2, '/t/a.alert', '').length, 7);
});
argv.run();

const content = suite('alertFileContent');
content('is compact JSON and a newline for json formats', () => {
  const alert = sampleAlert(4);
  assert.is(alertFileContent(alert, blockConfig({ jsonFormat: true })), `${JSON.stringify(alert)}\n`);
});
content('is the legacy 7-line file otherwise, truncated at max_log', () => {
  const text = alertFileContent(sampleAlert(11), blockConfig({ jsonFormat: false, alertFormat: undefined, maxLog: 200 }));
  const lines = text.split('\n');
  assert.is(lines.length, 7);
  assert.is((lines[5] as string).length, "alertlog=''".length + 200);
});
content.run();

const step = suite('scriptStep');
step('writes the <options> text verbatim plus a newline and lists the secrets', () => {
  const config = blockConfig({ apiKey: 'KEY1', hookUrl: 'https://h/x', options: { a: 1 }, optionsText: ' {"a": 1} ' });
  const s = scriptStep('/h/integrations/custom-x', config, { paths: wazuhPaths('/h'), debug: 0 }, { id: '1' });
  assert.is(s.optionsFileContent, ' {"a": 1} \n');
  assert.equal(s.secrets, ['KEY1', 'https://h/x']);
  assert.is(scriptStep('/f', blockConfig(), { paths: wazuhPaths('/h'), debug: 0 }, {}).optionsFileContent, undefined);
});
step.run();

const create = suite('custom.create');
create('runs integrations/<name> when it exists and is safe', async () => {
  const home = await tempDir();
  try {
    await writeScript(join(home.path, 'integrations'), 'custom-ok', 'exit 0');
    const b = custom.create(blockConfig({ name: 'custom-ok' }), { paths: wazuhPaths(home.path), debug: 0 });
    assert.is(b.unavailable, undefined);
    const [s] = b.plan({ id: '1' });
    assert.is(s?.kind, 'exec');
    assert.is(s?.kind === 'exec' ? s.file : '', join(home.path, 'integrations', 'custom-ok'));
  } finally {
    await home.remove();
  }
});
create('is a JSON webhook when there is no script but a hook_url', async () => {
  const home = await tempDir();
  try {
    const b = custom.create(blockConfig({ name: 'custom-hook', hookUrl: 'http://127.0.0.1:9/in' }), { paths: wazuhPaths(home.path), debug: 0 });
    assert.is(b.plan({ id: '1' })[0]?.kind, 'http');
  } finally {
    await home.remove();
  }
});
create("is unavailable with Wazuh's message when there is neither, or when the script is writable by others", async () => {
  const home = await tempDir();
  try {
    const paths = wazuhPaths(home.path);
    assert.is(custom.create(blockConfig({ name: 'custom-none' }), { paths, debug: 0 }).unavailable, "File not found inside 'integrations'.");
    await writeScript(join(home.path, 'integrations'), 'custom-open', 'exit 0', 0o777);
    assert.is(custom.create(blockConfig({ name: 'custom-open' }), { paths, debug: 0 }).unavailable, "At wpopenv(): file 'integrations/custom-open' has write permissions.");
  } finally {
    await home.remove();
  }
});
create('is unavailable, and the block disabled at startup, for a set-uid, set-gid or foreign-owned script', async () => {
  const home = await tempDir();
  const log = captureLog(0);
  try {
    const paths = wazuhPaths(home.path);
    const integrations = join(home.path, 'integrations');
    await chmod(await writeScript(integrations, 'custom-suid', 'exit 0'), 0o4750);
    await chmod(await writeScript(integrations, 'custom-sgid', 'exit 0'), 0o2750);
    await chown(await writeScript(integrations, 'custom-nobody', 'exit 0', 0o750), 65534, 65534);
    const uid = process.getuid?.();
    const expected = {
      'custom-suid': "File 'integrations/custom-suid' is set-uid or set-gid: refused.",
      'custom-sgid': "File 'integrations/custom-sgid' is set-uid or set-gid: refused.",
      'custom-nobody': `File 'integrations/custom-nobody' is owned by uid 65534, not by root or the service user (uid ${uid}): refused.`,
    };
    for (const [name, reason] of Object.entries(expected)) {
      assert.is(custom.create(blockConfig({ name }), { paths, debug: 0 }).unavailable, reason);
      assert.equal(startupCheck(blockConfig({ name }), paths), { enabled: false, reason: `Unable to enable integration for: '${name}'. ${reason}`, at: blockConfig({ name }).at });
    }
  } finally {
    log.restore();
    await home.remove();
  }
});
create.run();
