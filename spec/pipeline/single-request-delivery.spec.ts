// Specs for src/pipeline/single-request-delivery.ts (A block's delivery of an alert planned as one HTTP request).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { asyncScheduler } from 'rxjs';
import type { DeadLetterRecord } from '../../src/delivery/dead-letter.js';
import { DestinationPauses } from '../../src/delivery/destination-pauses.js';
import type { HttpSender } from '../../src/delivery/http.js';
import { jsonPost } from '../../src/integrations/json-post.js';
import { deadLetterWriter } from '../../src/pipeline/dead-letter-writer.js';
import type { Envelope, Outcome } from '../../src/pipeline/outcome.js';
import { singleRequestDelivery } from '../../src/pipeline/single-request-delivery.js';
import { blockLabels, createMetrics } from '../../src/telemetry/metrics.js';
import { blockConfig } from '../helpers/block-config.js';
import { quietDuring } from '../helpers/capture-log.js';
import { metricValue } from '../helpers/pipeline-harness.js';

const LABELS = blockLabels(0, 'custom-test');

/** A block's delivery with a sender answering `status` (or never, for `hang`), its dead letters kept in memory. */
const setUp = (answer: number | 'hang') => {
  const config = blockConfig({ retries: 0 });
  const metrics = createMetrics();
  const records: DeadLetterRecord[] = [];
  const aborted: boolean[] = [];
  const http: HttpSender = {
    send: (_request, signal) => {
      signal.addEventListener('abort', () => aborted.push(true));
      return answer === 'hang' ? new Promise(() => undefined) : Promise.resolve({ status: answer, headers: {}, body: answer === 200 ? 'ok' : 'refused' });
    },
  };
  const deliver = singleRequestDelivery({
    config,
    labels: LABELS,
    http,
    pauses: new DestinationPauses(),
    metrics,
    scheduler: asyncScheduler,
    streak: { failingSince: 0 },
    deadlines: { httpMs: 60_000 },
    delivered: (envelope, result): Outcome => ({ kind: 'delivered', seq: envelope.seq, attempts: result.attempts, alert: envelope.alert }),
    deadLettered: deadLetterWriter({ config, labels: LABELS, metrics, deadLetters: { append: async (r) => void records.push(r) }, scheduler: asyncScheduler }),
  });
  return { deliver, metrics, records, aborted };
};

/** Delivers one envelope; resolves with its outcomes once the sink is told it is done. */
const run = (deliver: ReturnType<typeof setUp>['deliver'], envelope: Envelope) =>
  new Promise<Outcome[]>((resolve, reject) => {
    const outcomes: Outcome[] = [];
    deliver(envelope, jsonPost('http://127.0.0.1:9/hook', envelope.alert, []), { next: (o) => outcomes.push(o), done: () => resolve(outcomes), error: reject });
  });

const delivery = suite('singleRequestDelivery');
quietDuring(delivery);

delivery('a 2xx is one delivered outcome; in flight back to 0', async () => {
  const { deliver, metrics } = setUp(200);
  const outcomes = await run(deliver, { alert: { id: 'a' }, seq: 4 });
  assert.equal(outcomes.map((o) => [o.kind, o.seq]), [['delivered', 4]]);
  assert.is(await metricValue(metrics.inFlight, LABELS), 0);
});

delivery('a refusal is dead-lettered: the outcome comes once the dead letter is written, with its cause', async () => {
  const { deliver, metrics, records } = setUp(400);
  const outcomes = await run(deliver, { alert: { id: 'b' }, seq: 1 });
  assert.equal(outcomes.map((o) => o.kind), ['dead-lettered']);
  assert.is(records.length, 1);
  assert.is(records[0]?.alert['id'], 'b');
  assert.match(String(records[0]?.reason), /HTTP 400/);
  assert.is(await metricValue(metrics.alertsDeadLettered, LABELS), 1);
  assert.is(await metricValue(metrics.inFlight, LABELS), 0);
});

delivery('torn down mid-request: the request is aborted, no outcome, in flight back to 0', async () => {
  const { deliver, metrics, aborted } = setUp('hang');
  const outcomes: Outcome[] = [];
  let done = false;
  const cancel = deliver({ alert: { id: 'c' }, seq: 0 }, jsonPost('http://127.0.0.1:9/hook', {}, []), { next: (o) => outcomes.push(o), done: () => (done = true), error: () => undefined });
  assert.is(await metricValue(metrics.inFlight, LABELS), 1);
  cancel();
  cancel();
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal([outcomes.length, done, aborted.length], [0, false, 1]);
  assert.is(await metricValue(metrics.inFlight, LABELS), 0);
});

delivery.run();
