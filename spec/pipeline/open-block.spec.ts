// Specs for src/pipeline/open-block.ts (One <integration> block made ready to deliver: Wazuh's startup check, then its filter and pipeline (or the dry-run printer)).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { from, lastValueFrom, toArray, type OperatorFunction } from 'rxjs';
import type { Alert } from '../../src/alerts/alert.js';
import { loadConfigText } from '../../src/config/load.js';
import type { DeadLetterRecord } from '../../src/delivery/dead-letter.js';
import { createDeliveryParts, type DeliveryParts } from '../../src/pipeline/delivery-parts.js';
import { openBlock, type OpenBlockParts } from '../../src/pipeline/open-block.js';
import type { Envelope, Outcome } from '../../src/pipeline/outcome.js';
import { startWebhookStandIn } from '../../src/stand-ins/webhook.js';
import type { StandIn } from '../../src/stand-ins/stand-in-server.js';
import { wazuhPaths } from '../../src/wazuh-home.js';
import { alertLine, receivedIds } from '../helpers/alert-line.js';
import { captureLog, type CapturedLog } from '../helpers/capture-log.js';
import { closedPort } from '../helpers/closed-port.js';
import { ossecConf, webhookBlock } from '../helpers/ossec-conf.js';
import { recordingQueue } from '../helpers/pipeline-harness.js';
import { tempDir, type TempDir } from '../helpers/temp-dir.js';

const alert = (id: string, level: number) => JSON.parse(alertLine(id, { level })) as Alert;
const block = (xml: string) => {
  const [config] = loadConfigText(ossecConf(xml)).integrations;
  if (!config) throw new Error(`not a valid block: ${xml}`);
  return config;
};
const through = (deliver: OperatorFunction<Envelope, Outcome>, alerts: readonly Alert[]) =>
  lastValueFrom(from(alerts.map((a, seq) => ({ alert: a, seq }))).pipe(deliver, toArray()));

interface Context {
  home: TempDir;
  service: StandIn;
  delivery: DeliveryParts;
  parts: OpenBlockParts;
  log: CapturedLog;
}
const open = suite<Context>('openBlock');
open.before.each(async (ctx) => {
  ctx.home = await tempDir();
  ctx.service = await startWebhookStandIn();
  const paths = wazuhPaths(ctx.home.path);
  ctx.delivery = createDeliveryParts({ paths, queue: recordingQueue() });
  ctx.parts = { ...ctx.delivery, paths, pipeline: { backoff: { baseMs: 1, capMs: 1 } } };
  ctx.log = captureLog(0);
});
open.after.each(async (ctx) => {
  ctx.log.restore();
  await ctx.delivery.close();
  await ctx.service.close();
  await ctx.home.remove();
});

open("a block that fails Wazuh's startup checks is a result with Wazuh's reason, logged, counted as disabled", async ({ parts, log }) => {
  const config = block('<name>slack</name>');
  const opened = openBlock(config, parts);
  assert.equal(opened, { enabled: false, config, reason: "Unable to enable integration for: 'slack'. Missing hook URL." });
  assert.match(log.text(), `ERROR: ossec.conf:${config.at.line}:${config.at.column}: Unable to enable integration for: 'slack'. Missing hook URL.`, 'located as check prints it');
  assert.match(await parts.metrics.registry.metrics(), 'integratord_block_enabled{block="0",integration="slack"} 0');
});

open("an enabled block's operator applies its filters and delivers what they take, one outcome per alert", async ({ parts, service, log }) => {
  const config = block(webhookBlock('custom-a', `${service.url}/a`, '<level>10</level>'));
  const opened = openBlock(config, parts);
  assert.ok(opened.enabled);
  if (!opened.enabled) return;
  assert.match(log.text(), "INFO: Enabling integration for: 'custom-a'.");
  const outcomes = await through(opened.deliver, [alert('HIGH', 12), alert('LOW', 3)]);
  assert.equal(outcomes.map((o) => o.kind).sort(), ['delivered', 'skipped']);
  assert.equal(receivedIds(service.received), ['HIGH']);
  assert.match(await parts.metrics.registry.metrics(), 'integratord_block_enabled{block="0",integration="custom-a"} 1');
});

open('failures go to the dead-letter sink of the parts, with the block id', async ({ parts }) => {
  const config = block(webhookBlock('custom-down', `http://127.0.0.1:${await closedPort()}/x`, '<retries>0</retries>'));
  const written: DeadLetterRecord[] = [];
  const opened = openBlock(config, { ...parts, deadLetters: { append: async (r) => void written.push(r) } });
  if (!opened.enabled) return assert.unreachable(opened.reason);
  const [outcome] = await through(opened.deliver, [alert('GONE', 12)]);
  assert.is(outcome?.kind, 'dead-lettered');
  assert.equal(written.map((r) => [r.block_id, r.block, r.integration, r.alert['id']]), [[config.id, 0, 'custom-down', 'GONE']]);
});

open('with dryRun prints the would-be request and sends nothing', async ({ parts, service }) => {
  const lines: string[] = [];
  const opened = openBlock(block(webhookBlock('custom-a', `${service.url}/a`)), { ...parts, dryRun: { write: (l) => lines.push(l) } });
  if (!opened.enabled) return assert.unreachable(opened.reason);
  const outcomes = await through(opened.deliver, [alert('DRY', 12)]);
  assert.equal(outcomes.map((o) => [o.kind, 'attempts' in o ? o.attempts : -1]), [['delivered', 0]]);
  assert.is(service.received.length, 0);
  assert.is(lines.length, 1);
  assert.is(JSON.parse(lines[0]!).alert_id, 'DRY');
});
open.run();
