// Specs for src/pipeline/dry-run.ts (--dry-run output: the JSON line per would-be action of one alert in one block, secrets redacted).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { custom } from '../../src/integrations/custom-script.js';
import { pagerduty } from '../../src/integrations/pagerduty.js';
import { slack } from '../../src/integrations/slack.js';
import { DRY_RUN_ALERT_FILE, dryRunLines, redactSecrets } from '../../src/pipeline/dry-run.js';
import { wazuhPaths } from '../../src/wazuh-home.js';
import { join } from 'node:path';
import { blockConfig } from '../helpers/block-config.js';
import { sampleAlert } from '../helpers/sample-alerts.js';
import { writeScript } from '../helpers/scripts.js';
import { tempDir } from '../helpers/temp-dir.js';

const ALERT = sampleAlert(4);
const env = { paths: wazuhPaths('/var/ossec'), debug: 0 };

const lines = suite('dryRunLines');
lines('prints one request line with the body parsed and the hook URL redacted', () => {
  const config = blockConfig({ name: 'slack', index: 0, hookUrl: 'https://hooks.slack.com/services/T/B/XYZ' });
  const [line, ...rest] = dryRunLines(config, ALERT, slack.create(config, env).plan(ALERT));
  assert.is(rest.length, 0);
  const parsed = JSON.parse(line as string);
  assert.equal(Object.keys(parsed), ['block', 'integration', 'alert_id', 'request']);
  assert.equal([parsed.block, parsed.integration, parsed.alert_id], [0, 'slack', '1652272159.1549653']);
  assert.equal(parsed.request.method, 'POST');
  assert.is(parsed.request.url, '**REDACTED**');
  assert.is(parsed.request.body.attachments[0].color, 'danger');
  assert.not.ok((line as string).includes('XYZ'));
});
lines('redacts the PagerDuty routing key inside the body, shows it with showSecrets', () => {
  const config = blockConfig({ name: 'pagerduty', index: 1, apiKey: 'ROUTINGKEY123' });
  const steps = pagerduty.create(config, env).plan(ALERT);
  const hidden = JSON.parse(dryRunLines(config, ALERT, steps)[0] as string);
  assert.is(hidden.request.body.routing_key, '**REDACTED**');
  assert.is(hidden.request.url, 'https://events.pagerduty.com/v2/enqueue');
  const shown = JSON.parse(dryRunLines(config, ALERT, steps, true)[0] as string);
  assert.is(shown.request.body.routing_key, 'ROUTINGKEY123');
});
lines('prints a script run as exec with argv and the alert file content, secrets redacted', async () => {
  const home = await tempDir();
  try {
    await writeScript(join(home.path, 'integrations'), 'custom-x', 'exit 0');
    const config = blockConfig({ name: 'custom-x', index: 3, apiKey: 'KEY-0001', jsonFormat: false, alertFormat: undefined });
    const steps = custom.create(config, { paths: wazuhPaths(home.path), debug: 0 }).plan(ALERT);
    const parsed = JSON.parse(dryRunLines(config, ALERT, steps)[0] as string);
    assert.is(parsed.exec.file, join(home.path, 'integrations', 'custom-x'));
    assert.equal(parsed.exec.argv, ['integrations', DRY_RUN_ALERT_FILE, '**REDACTED**', '', '', '', '10', '3', '> /dev/null 2>&1']);
    assert.ok(parsed.exec.alert_file.startsWith("alertdate='2022-05-11T12:29:19.905+0000'\n"));
  } finally {
    await home.remove();
  }
});
lines('prints null as alert_id when the alert has none', () => {
  const config = blockConfig({ name: 'slack', hookUrl: 'https://h/x' });
  assert.is(JSON.parse(dryRunLines(config, {}, slack.create(config, env).plan({}))[0] as string).alert_id, null);
});
lines.run();

const redact = suite('redactSecrets');
redact('replaces whole values always and embedded secrets of 4+ characters', () => {
  assert.equal(redactSecrets({ a: 'k', b: ['xk', 'token=abcd!'], c: 1 }, ['k', 'abcd']), { a: '**REDACTED**', b: ['xk', 'token=**REDACTED**!'], c: 1 });
  assert.equal(redactSecrets('x', ['']), 'x');
});
redact.run();
