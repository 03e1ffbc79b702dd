// Specs for src/pipeline/dry-run-deliver.ts (The --dry-run stand-in for delivery: prints the would-be actions of each matching alert, sends nothing).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { from, lastValueFrom, toArray } from 'rxjs';
import type { Alert } from '../../src/alerts/alert.js';
import type { IntegrationConfig } from '../../src/config/integration-config.js';
import type { BlockIntegration } from '../../src/integrations/definition.js';
import { dryRunDeliver } from '../../src/pipeline/dry-run-deliver.js';
import type { Outcome } from '../../src/pipeline/outcome.js';
import { startupCheck } from '../../src/pipeline/startup-check.js';
import { createMetrics, type Metrics } from '../../src/telemetry/metrics.js';
import { wazuhPaths } from '../../src/wazuh-home.js';
import { alertLine } from '../helpers/alert-line.js';
import { blockConfig } from '../helpers/block-config.js';
import { quietDuring } from '../helpers/capture-log.js';
import { metricValue } from '../helpers/pipeline-harness.js';

const TOKEN = 'dryrunSECRETtoken';
const alert = (id: string, level = 12, ruleId = '5712') => JSON.parse(alertLine(id, { level, ruleId })) as Alert;
const integrationOf = (config: IntegrationConfig): BlockIntegration => {
  const started = startupCheck(config, wazuhPaths('/nonexistent'));
  if (!started.enabled) throw new Error(started.reason);
  return started.block;
};
const run = (config: IntegrationConfig, integration: BlockIntegration, alerts: readonly Alert[], metrics: Metrics, showSecrets = false) => {
  const printed: string[] = [];
  const outcomes = lastValueFrom(
    from(alerts.map((a, seq) => ({ alert: a, seq }))).pipe(dryRunDeliver(config, integration, metrics, { write: (l) => printed.push(l), showSecrets }), toArray()),
  );
  return outcomes.then((o: Outcome[]) => ({ outcomes: o, printed }));
};

const dry = suite('dryRunDeliver');
quietDuring(dry);

dry('prints each matching alert’s request as one JSON line and counts it delivered with 0 attempts; secrets redacted', async () => {
  const config = blockConfig({ name: 'slack', hookUrl: `http://127.0.0.1:9/services/T/B/${TOKEN}`, level: 10 });
  const metrics = createMetrics();
  const { outcomes, printed } = await run(config, integrationOf(config), [alert('A1'), alert('A2', 3)], metrics);
  assert.equal(outcomes.map((o) => [o.seq, o.kind, o.kind === 'delivered' ? o.attempts : o.kind === 'skipped' ? o.reason : '']), [
    [0, 'delivered', 0],
    [1, 'skipped', 'level'],
  ]);
  assert.is(printed.length, 1);
  const line = JSON.parse(printed[0] ?? '') as { block: number; integration: string; alert_id: string; request: { method: string; url: string; body: { attachments: unknown[] } } };
  assert.equal([line.block, line.integration, line.alert_id, line.request.method, line.request.url], [0, 'slack', 'A1', 'POST', '**REDACTED**']);
  assert.ok(Array.isArray(line.request.body.attachments), 'the body is parsed JSON');
  assert.not.match(printed[0] ?? '', TOKEN);
  const labels = { block: '0', integration: 'slack' };
  assert.is(await metricValue(metrics.alertsMatched, labels), 1);
  assert.is(await metricValue(metrics.alertsSkipped, { ...labels, reason: 'level' }), 1);
});

dry('shows the secrets with showSecrets', async () => {
  const config = blockConfig({ name: 'slack', hookUrl: `http://127.0.0.1:9/services/T/B/${TOKEN}` });
  const { printed } = await run(config, integrationOf(config), [alert('A1')], createMetrics(), true);
  assert.match(printed[0] ?? '', `"url":"http://127.0.0.1:9/services/T/B/${TOKEN}"`);
});

dry("applies the integration's own pre-filter (Shuffle's skip list) and says why", async () => {
  const config = blockConfig({ name: 'shuffle', hookUrl: 'http://127.0.0.1:9/api/v1/hooks/x' });
  const metrics = createMetrics();
  const { outcomes, printed } = await run(config, integrationOf(config), [alert('S1', 12, '5710')], metrics);
  assert.equal(outcomes, [{ kind: 'skipped', seq: 0, reason: 'Skipping rule 5710' }]);
  assert.equal(printed, []);
  assert.is(await metricValue(metrics.alertsSkipped, { block: '0', integration: 'shuffle', reason: 'integration' }), 1);
});

dry('reports a plan that throws as dead-lettered with the reason, prints nothing, and goes on', async () => {
  const config = blockConfig({ name: 'custom-x' });
  const integration: BlockIntegration = {
    plan: (a) => {
      if (a['id'] === 'BAD') throw new Error('no field x');
      return integrationOf(blockConfig({ name: 'custom-x', hookUrl: 'http://127.0.0.1:9/x' })).plan(a);
    },
  };
  const { outcomes, printed } = await run(config, integration, [alert('BAD'), alert('OK')], createMetrics());
  assert.equal(outcomes.map((o) => `${o.seq}:${o.kind}`), ['0:dead-lettered', '1:delivered']);
  assert.is(outcomes[0]?.kind === 'dead-lettered' ? outcomes[0].reason : '', 'cannot build the request: no field x');
  assert.is(printed.length, 1);
});

dry.run();
