// A 30 s outage (connection refused, then 503) and back: every alert is delivered, or dead-lettered once retries ran out; none silent.

import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { generateAlert, seededRandom } from '../../bench/corpus.js';
import { loadConfigText } from '../../src/config/load.js';
import { DeadLetterStore } from '../../src/delivery/dead-letter.js';
import { Integrator } from '../../src/pipeline/integrator.js';
import type { BlockOutcome } from '../../src/pipeline/outcome.js';
import { wazuhPaths } from '../../src/wazuh-home.js';
import { AlertsDir } from '../helpers/alerts-dir.js';
import { captureLog } from '../helpers/capture-log.js';
import { closedPort } from '../helpers/closed-port.js';
import { parseMetrics, sumOf } from '../helpers/prometheus-text.js';
import { serviceAnswer, startRecordingService, type RecordingService } from '../helpers/recording-service.js';

/** The outage: 15 s with nothing listening (connection refused), then 15 s of 503, then normal answers. */
const REFUSED_MS = 15_000;
const UNAVAILABLE_MS = 15_000;
const FIRST_ALERTS = 150;
/** Appended during the 503 phase: the file keeps growing while the service is down. */
const LATER_ALERTS = 50;
/**
 * 15 retries: with the default full-jitter backoff (0.5 s doubling, capped at 30 s) the expected
 * waits add up to ~30 s after 7 retries and ~165 s after 15, so a 30 s outage is ridden out unless the
 * jitter is extremely unlucky; then the spec checks the other promise: every undelivered alert is dead-lettered.
 */
const PATIENT = '<timeout>2</timeout><retries>15</retries>';
/** 1 retry: certain to run out during the outage, so dead letters are exercised every run. */
const IMPATIENT = '<timeout>2</timeout><retries>1</retries>';
/** 120 s after the outage: the longest backoff wait (30 s) plus delivering the backlog; only there so that a hang fails. */
const SETTLE_DEADLINE_MS = 120_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const test = suite('a service down for 30 s, then back');

test('delivers everything after the outage, or dead-letters exactly what it gave up on', async () => {
  const dir = new AlertsDir('outage');
  const log = captureLog(0);
  const port = await closedPort();
  const origin = `http://127.0.0.1:${port}`;
  let service: RecordingService | undefined;
  let integrator: Integrator | undefined;
  try {
    dir.startDay(1);
    const blocks = [
      { name: 'custom-outage', path: '/hook', xml: `<hook_url>${origin}/hook</hook_url>${PATIENT}` },
      { name: 'slack', path: '/services/T0/B0/outage', xml: `<hook_url>${origin}/services/T0/B0/outage</hook_url>${PATIENT}` },
      { name: 'pagerduty', path: '/v2/enqueue', xml: `<hook_url>${origin}</hook_url><api_key>routing-key-outage</api_key>${PATIENT}` },
      { name: 'custom-impatient', path: '/impatient', xml: `<hook_url>${origin}/impatient</hook_url>${IMPATIENT}` },
    ];
    const configs = loadConfigText(
      `<ossec_config>${blocks.map((b) => `<integration><name>${b.name}</name>${b.xml}<alert_format>json</alert_format></integration>`).join('')}</ossec_config>`,
    ).integrations;
    const random = seededRandom(30);
    const alerts = Array.from({ length: FIRST_ALERTS + LATER_ALERTS }, (_, n) => generateAlert(random, n));
    const ids = alerts.map((a) => a['id'] as string);
    integrator = new Integrator({ paths: wazuhPaths(dir.home), input: { kind: 'follow', alertsFile: dir.alerts, pollMs: 50 } });
    const outcomes: BlockOutcome[] = [];
    integrator.outcomes$.subscribe((o) => outcomes.push(o));
    const report = await integrator.start(configs);
    assert.is(report.enabled.length, blocks.length);

    const began = Date.now();
    dir.append(alerts.slice(0, FIRST_ALERTS).map((a) => JSON.stringify(a)));
    await sleep(REFUSED_MS);
    let phase: 'unavailable' | 'up' = 'unavailable';
    service = await startRecordingService({
      port,
      answer: (request) => (phase === 'unavailable' ? { status: 503, body: 'Service Unavailable' } : serviceAnswer(request)),
    });
    dir.append(alerts.slice(FIRST_ALERTS).map((a) => JSON.stringify(a)));
    await sleep(UNAVAILABLE_MS);
    phase = 'up';
    const upAt = Date.now();
    const settled = (block: number) => outcomes.filter((o) => o.block === block).length;
    while (blocks.some((_, i) => settled(i) < ids.length) && Date.now() < upAt + SETTLE_DEADLINE_MS) await sleep(100);
    const recoveredSeconds = (Date.now() - upAt) / 1000;
    await integrator.stop(1000);

    const samples = parseMetrics(await integrator.metrics.registry.metrics());
    const deadLetters = new DeadLetterStore(join(dir.home, 'var', 'integratord'));
    console.log(`\n  outage: ${ids.length} alerts, ${(upAt - began) / 1000} s down (${REFUSED_MS / 1000} s refused, ${UNAVAILABLE_MS / 1000} s 503), all settled ${recoveredSeconds.toFixed(1)} s after it ended`);
    let unavailableSeen = 0;
    for (const [i, b] of blocks.entries()) {
      const mine = outcomes.filter((o) => o.block === i);
      const delivered = mine.flatMap((o) => (o.kind === 'delivered' ? [o.alert['id'] as string] : []));
      const dead = (await deadLetters.records(configs[i]!.id)).map((r) => r.alert['id'] as string);
      const received = new Set(service.of(b.path).filter((r) => r.status < 300).map((r) => r.id));
      const refused = sumOf(samples, 'integratord_delivery_failures_total', { block: String(i), reason: 'connection_refused' });
      const unavailable = sumOf(samples, 'integratord_delivery_failures_total', { block: String(i), reason: 'http_503' });
      console.log(`    block ${i} ${b.name}: ${delivered.length} delivered, ${dead.length} dead-lettered; failed attempts: ${refused} refused, ${unavailable} × 503`);

      assert.is(mine.length, ids.length, `${b.name}: one outcome per alert`);
      assert.equal([...delivered, ...dead].sort(), [...ids].sort(), `${b.name}: every alert is delivered or dead-lettered, exactly once`);
      assert.ok(delivered.every((id) => received.has(id)), `${b.name}: what it calls delivered reached the service`);
      assert.ok(refused > 0, `${b.name}: its first attempts were refused`);
      unavailableSeen += unavailable;
      assert.is(sumOf(samples, 'integratord_alerts_delivered_total', { block: String(i) }), delivered.length);
      assert.is(sumOf(samples, 'integratord_alerts_dead_lettered_total', { block: String(i) }), dead.length);
      for (const record of await deadLetters.records(configs[i]!.id)) {
        assert.is(record.attempts, configs[i]!.retries + 1, `${b.name}: dead-lettered only once its retries ran out`);
        assert.match(record.reason, /connection refused|HTTP 503/);
      }
    }
    // Each block retries on its own backoff; together they certainly met the 503 phase.
    assert.ok(unavailableSeen > 0, 'attempts were answered 503 during the second phase');
    // Everything settled, so each cursor is at the end of alerts.json.
    const cursorOffset = (key: string) => JSON.parse(readFileSync(join(dir.home, 'var', 'integratord', 'cursors', `${key}.json`), 'utf8')).offset as number;
    assert.equal(configs.map((c) => cursorOffset(c.id)), blocks.map(() => statSync(dir.alerts).size), 'every cursor moved past every alert');
    assert.ok((await deadLetters.records(configs[3]!.id)).length > 0, 'the impatient block did give up on some alerts');
  } finally {
    await integrator?.stop(0);
    await service?.close();
    log.restore();
    dir.remove();
  }
});

test.run();
