// A 429 storm with Retry-After, measured at the receiver: no block sends there before the wait is over; then all is delivered.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadConfigText } from '../../src/config/load.js';
import { Integrator } from '../../src/pipeline/integrator.js';
import type { BlockOutcome } from '../../src/pipeline/outcome.js';
import { wazuhPaths } from '../../src/wazuh-home.js';
import { AlertsDir } from '../helpers/alerts-dir.js';
import { captureLog } from '../helpers/capture-log.js';
import { eventually } from '../helpers/eventually.js';
import { parseMetrics, sumOf } from '../helpers/prometheus-text.js';
import { serviceAnswer, startRecordingService, type RecordingService } from '../helpers/recording-service.js';

/** `Retry-After: 2` (seconds) on every 429 of the storm. */
const RETRY_AFTER_S = 2;
/** The storm lasts three waves of requests (each wave is answered 429), then the service answers normally. */
const STORM_WAVES = 3;
/** Requests more than 1 s apart (half the Retry-After) belong to different waves. */
const WAVE_GAP_MS = 1000;
/**
 * Tolerances of the time checks, measured at the receiver (one clock: the daemon runs in this process):
 * - 5 ms for millisecond rounding of Date.now() on both sides (the pause ends at the 429's arrival
 *   at the daemon + 2000 ms, which is never earlier than its answer time here);
 * - 250 ms for requests already on their way when a 429 was answered (sent before the daemon could read
 *   it): a burst of 12 requests on loopback arrives within a few ms, 250 ms is a generous ceiling.
 */
const ROUNDING_MS = 5;
const IN_FLIGHT_MS = 250;
const ALERTS = 60;
/** 60 s: the storm (~6 s) and the backlog; only there so that a hang fails. */
const DELIVERY_DEADLINE_MS = 60_000;

const alert = (id: string, rule: string) =>
  JSON.stringify({ timestamp: '2026-11-28T01:00:00.000+0000', rule: { level: 10, description: 'storm', id: rule, groups: ['storm'] }, agent: { id: '001', name: 'a' }, id, full_log: 'x', location: 'storm' });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const test = suite('a 429 storm with Retry-After');

test('pauses every block sending to the origin for Retry-After after each 429, then delivers every alert', async () => {
  const dir = new AlertsDir('storm');
  const log = captureLog(0);
  let service: RecordingService | undefined;
  let integrator: Integrator | undefined;
  try {
    dir.startDay(1);
    let wave = 0;
    let lastArrival = Number.NEGATIVE_INFINITY;
    service = await startRecordingService({
      answer: (request) => {
        if (request.receivedAt - lastArrival > WAVE_GAP_MS) wave++;
        lastArrival = request.receivedAt;
        return wave <= STORM_WAVES ? { status: 429, headers: { 'retry-after': String(RETRY_AFTER_S) }, body: 'rate_limited' } : serviceAnswer(request);
      },
    });
    // Three integrations on one origin; only the Slack block takes rule 1001, the storm's first alert.
    const blocks = [
      { name: 'slack', path: '/services/T0/B0/storm', rules: '1001,1002' },
      { name: 'custom-storm', path: '/storm', rules: '1002' },
      { name: 'shuffle', path: '/api/v1/hooks/webhook_storm', rules: '1002' },
    ];
    const configs = loadConfigText(
      `<ossec_config>${blocks
        .map((b) => `<integration><name>${b.name}</name><hook_url>${service!.url}${b.path}</hook_url><rule_id>${b.rules}</rule_id><retries>5</retries><alert_format>json</alert_format></integration>`)
        .join('')}</ossec_config>`,
    ).integrations;
    integrator = new Integrator({ paths: wazuhPaths(dir.home), input: { kind: 'follow', alertsFile: dir.alerts, pollMs: 50 } });
    const outcomes: BlockOutcome[] = [];
    integrator.outcomes$.subscribe((o) => outcomes.push(o));
    await integrator.start(configs);
    const metric = async (name: string, labels: Record<string, string>) => sumOf(parseMetrics(await integrator!.metrics.registry.metrics()), name, labels);

    // One request gets the first 429; once the daemon has read it, the other blocks get work.
    dir.append([alert('storm-first', '1001')]);
    await eventually(() => service!.receipts.length >= 1, 'the first request');
    while ((await metric('integratord_delivery_attempts_total', { block: '0', result: 'retry' })) < 1) await sleep(5);
    const ids = Array.from({ length: ALERTS }, (_, i) => `storm-${String(i).padStart(3, '0')}`);
    dir.append(ids.map((id) => alert(id, '1002')));
    const deadline = Date.now() + DELIVERY_DEADLINE_MS;
    const delivered = (block: number) => outcomes.filter((o) => o.block === block && o.kind === 'delivered').length;
    while ((delivered(0) < ALERTS + 1 || delivered(1) < ALERTS || delivered(2) < ALERTS) && Date.now() < deadline) await sleep(50);
    await integrator.stop(1000);

    const receipts = [...service.receipts].sort((a, b) => a.at - b.at);
    const storm = receipts.filter((r) => r.status === 429);
    const first = receipts[0]!;
    const gaps: number[] = [];
    for (const q of storm) {
      for (const r of receipts) {
        const after = r.at - q.at;
        if (r === q || after < 0) continue;
        if (after >= IN_FLIGHT_MS && after < RETRY_AFTER_S * 1000 - ROUNDING_MS) {
          assert.unreachable(`a request to ${r.path} arrived ${after} ms after a 429 (Retry-After: ${RETRY_AFTER_S}) answered to ${q.path}`);
        }
      }
    }
    const spreads: number[] = [];
    let waveStart = receipts[0]!.at;
    for (let i = 1; i < receipts.length; i++) {
      if (receipts[i]!.at - receipts[i - 1]!.at < WAVE_GAP_MS) continue;
      gaps.push(receipts[i]!.at - receipts[i - 1]!.at);
      spreads.push(receipts[i - 1]!.at - waveStart);
      waveStart = receipts[i]!.at;
    }
    // The first 429 went to one block alone and was read before any other work existed: nothing at all may follow it early.
    assert.ok(receipts.slice(1).every((r) => r.at - first.at >= RETRY_AFTER_S * 1000 - ROUNDING_MS), 'no request within Retry-After of the first 429');
    console.log(`\n  429 storm: ${storm.length} answers 429 (Retry-After: ${RETRY_AFTER_S}) in ${STORM_WAVES} waves, each wave within ${spreads.join(', ')} ms, gaps after each ${gaps.join(', ')} ms; then ${receipts.length - storm.length} deliveries`);
    assert.is(gaps.length, STORM_WAVES, 'one pause after each wave of 429s');
    for (const [i, b] of blocks.entries()) {
      const want = i === 0 ? ALERTS + 1 : ALERTS;
      assert.is(delivered(i), want, `${b.name}: every alert delivered`);
      assert.is(outcomes.filter((o) => o.block === i && o.kind === 'dead-lettered').length, 0, `${b.name}: nothing dead-lettered`);
      const waits = await metric('integratord_quota_waits_total', { block: String(i) });
      console.log(`    block ${i} ${b.name}: ${delivered(i)} delivered, ${service.of(b.path).filter((r) => r.status === 429).length} × 429, ${waits} waits for the origin's pause`);
      assert.ok(waits > 0, `${b.name}: waited for the shared pause`);
    }
  } finally {
    await integrator?.stop(0);
    await service?.close();
    log.restore();
    dir.remove();
  }
});

test.run();
