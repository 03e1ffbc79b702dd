// The daemon's automatic redrive: a receiver down for a few seconds, every alert delivered after it returns, no command typed.

import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadConfigText } from '../../src/config/load.js';
import type { DeadLetterRecord } from '../../src/delivery/dead-letter.js';
import { AutoRedrive } from '../../src/pipeline/auto-redrive.js';
import { Integrator } from '../../src/pipeline/integrator.js';
import { startStandIn, type StandIn } from '../../src/stand-ins/stand-in-server.js';
import { wazuhPaths } from '../../src/wazuh-home.js';
import { AlertsDir } from '../helpers/alerts-dir.js';
import { captureLog } from '../helpers/capture-log.js';
import { eventually } from '../helpers/eventually.js';
import { ossecConf, webhookBlock } from '../helpers/ossec-conf.js';
import { metricValue } from '../helpers/pipeline-harness.js';
import { receiverOutage } from '../helpers/receiver-outage.js';

const test = suite('automatic redrive');

test('a receiver down for 4 s: every dead-lettered alert is delivered after it returns and the queue is empty', async () => {
  const result = await receiverOutage({ outageMs: 4000, alerts: 30, baseSeconds: 0.2, settleMs: 30_000 });
  assert.ok(result.gaugeDuringOutage > 0, 'alerts were dead-lettered during the outage (integratord_dead_letters)');
  assert.ok(result.nextRedriveDuringOutage * 1000 > Date.now() - 60_000, 'a next redrive time was published');
  assert.match(result.stderr, /AlertDeadLettered/);
  assert.equal([...result.received].sort(), [...result.sent].sort(), 'every alert reached the receiver');
  assert.is(result.deadLettersLeft, 0, 'nothing left in the dead-letter queue');
  assert.is(result.gaugeAtEnd, 0, 'the gauge says so too');
  assert.match(result.stderr, /DeadLettersRedriven/);
});

test('the schedule is in the dead letters: a daemon stopped during the outage and started after it sends them, no command typed', async () => {
  const result = await receiverOutage({ outageMs: 3000, alerts: 20, baseSeconds: 0.2, settleMs: 30_000, restart: true });
  assert.ok(result.gaugeDuringOutage > 0, 'dead-lettered by the first daemon');
  assert.equal([...result.received].sort(), [...result.sent].sort(), 'every alert delivered by the second');
  assert.is(result.deadLettersLeft, 0);
  assert.is((result.stderr.match(/Following /g) ?? []).length, 2, 'two daemons');
});

test('in process: transient dead letters are sent when due, also those appended later; permanent ones stay; gauges by cause', async () => {
  const log = captureLog(0);
  const dir = new AlertsDir('auto-redrive');
  let service: StandIn | undefined;
  let integrator: Integrator | undefined;
  let redrive: AutoRedrive | undefined;
  try {
    service = await startStandIn({ answer: () => ({ status: 200, body: {} }) });
    const [config] = loadConfigText(ossecConf(webhookBlock('custom-auto', `${service.url}/hook`))).integrations;
    dir.append([]);
    const paths = wazuhPaths(dir.home);
    integrator = new Integrator({ paths, input: { kind: 'follow', alertsFile: dir.alerts, pollMs: 20 }, redrive: { baseMs: 100, capMs: 1000, maxAgeMs: 60_000 } });
    await integrator.start([config!]);
    const store = integrator.deliveryParts.deadLetters;
    const now = new Date().toISOString();
    const base = { time: now, block_id: config!.id, block: 0, integration: 'custom-auto', attempts: 4 };
    const transient = (id: string): DeadLetterRecord => ({ ...base, alert: { id, rule: { level: 5, id: '5710' } }, reason: 'connection refused (ECONNREFUSED)', cause: 'connection', retryable: true });
    const refused = (id: string): DeadLetterRecord => ({ ...base, alert: { id, rule: { level: 5, id: '5710' } }, status: 400, reason: 'HTTP 400: bad', cause: 'http_4xx', retryable: false });
    // S1 has no rule.level: the block's filters no longer take it.
    const unmatched: DeadLetterRecord = { ...transient('S1'), alert: { id: 'S1' } };
    for (const r of [transient('T1'), refused('P1'), transient('T2'), refused('P2'), unmatched, transient('T3')]) await store.append(r);
    const metrics = integrator.metrics;
    const open = integrator;
    redrive = new AutoRedrive({ configs: () => [config!], paths, delivery: integrator.deliveryParts, metrics, open: (c) => open.redriveBlock(c), tickMs: 20 });
    redrive.start();
    const ids = () => service!.received.map((r) => (r.json as { id: string }).id).sort();
    await eventually(() => ids().length === 3, 'the three transient dead letters sent');
    assert.equal(ids(), ['T1', 'T2', 'T3']);
    // The sent ones leave and the unmatched one is taken off the schedule in separate passes: wait for both.
    await eventually(async () => {
      const records = await store.records();
      return records.length === 3 && records.every((r) => r.alert['id'] !== 'S1' || r.next_redrive === undefined);
    }, 'only the permanent and the unmatched ones left, the unmatched one unscheduled');
    const left = await store.records();
    assert.equal(left.map((r) => r.alert['id']), ['P1', 'P2', 'S1']);
    assert.is(left[2]!.next_redrive, undefined, 'the unmatched one is off the schedule: kept for a person, not retried every tick');
    const labels = { block: '0', integration: 'custom-auto' };
    const gauge = async () => [await metricValue(metrics.deadLetters, { ...labels, cause: 'http_4xx' }), await metricValue(metrics.deadLetters, { ...labels, cause: 'connection' })];
    await eventually(async () => (await gauge()).join() === '2,1', 'the gauge counts the permanent ones and the unmatched one');
    assert.is(await metricValue(metrics.deadLetterNextRedrive, labels), 0, 'nothing scheduled any more');

    // Appended while it runs (read from where it stopped, not whole): sent too, once.
    await store.append(transient('T4'));
    await eventually(() => ids().length === 4, 'T4 sent');
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(ids(), ['T1', 'T2', 'T3', 'T4'], 'each once');
    assert.is(await metricValue(metrics.deadLettersRedriven, { ...labels, result: 'delivered' }), 4);
    assert.is(await metricValue(metrics.deadLettersRedriven, { ...labels, result: 'skipped' }), 1, 'S1');
  } finally {
    await redrive?.stop();
    await integrator?.stop(0);
    await service?.close();
    log.restore();
    dir.remove();
  }
});

test.run();
