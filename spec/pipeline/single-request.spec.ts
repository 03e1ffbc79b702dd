// Specs for src/pipeline/single-request.ts (The common delivery as callbacks: one HTTP request with retries, Retry-After, pauses, rate limit and one deadline list).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { VirtualTimeScheduler } from 'rxjs';
import { DeadlineList } from '../../src/delivery/deadline-list.js';
import { DestinationPauses } from '../../src/delivery/destination-pauses.js';
import { HttpClient, HttpError, type HttpSender } from '../../src/delivery/http.js';
import type { HttpResponse } from '../../src/delivery/step.js';
import { jsonPost } from '../../src/integrations/json-post.js';
import { attemptMetrics } from '../../src/pipeline/attempt-metrics.js';
import type { StepsResult } from '../../src/pipeline/execute-steps.js';
import { RateLimit } from '../../src/pipeline/operators/rate-limit.js';
import { isSingleRequest, sendSingleRequest, type SingleRequestContext } from '../../src/pipeline/single-request.js';
import { startWebhookStandIn } from '../../src/stand-ins/webhook.js';
import { blockLabels, createMetrics } from '../../src/telemetry/metrics.js';
import { metricValue } from '../helpers/pipeline-harness.js';

const URL_A = 'http://127.0.0.1:9/hook';
const LABELS = blockLabels(0, 'custom-test');

/** A sender whose answers the spec gives, one per call (`undefined`: never answers); records each call's time and abort. */
const scripted = (scheduler: VirtualTimeScheduler, answers: (Partial<HttpResponse> | Error | undefined)[]) => {
  const calls: { at: number; aborted: () => boolean }[] = [];
  const http: HttpSender = {
    send: (_request, signal) => {
      calls.push({ at: scheduler.now(), aborted: () => signal.aborted });
      const answer = answers.shift();
      if (answer === undefined) return new Promise(() => undefined);
      if (answer instanceof Error) return Promise.reject(answer);
      return Promise.resolve({ status: 200, headers: {}, body: '', ...answer });
    },
  };
  return { http, calls };
};

const context = (scheduler: VirtualTimeScheduler, http: HttpSender, extra: Partial<SingleRequestContext> = {}) => {
  const metrics = createMetrics();
  const ctx: SingleRequestContext = {
    http,
    scheduler,
    deadlines: new DeadlineList(scheduler),
    timeoutMs: 1000,
    retries: 2,
    pauses: new DestinationPauses(),
    counted: attemptMetrics(metrics, LABELS, scheduler, { failingSince: 0 }),
    backoff: { baseMs: 100, capMs: 100, random: () => 0.5 },
    ...extra,
  };
  return { ctx, metrics };
};

/** Runs virtual time forward in small steps, letting promise callbacks run between them. */
const runFor = async (scheduler: VirtualTimeScheduler, ms: number) => {
  const from = Math.max(scheduler.now(), scheduler.maxFrames === Number.POSITIVE_INFINITY ? 0 : scheduler.maxFrames);
  for (let t = from + 10; t <= from + ms; t += 10) {
    scheduler.maxFrames = t;
    scheduler.flush();
    await new Promise((resolve) => setImmediate(resolve));
  }
};

const single = suite('sendSingleRequest');

single('isSingleRequest: one HTTP step without follow-ups only', () => {
  const step = jsonPost(URL_A, {}, []);
  assert.ok(isSingleRequest([step]));
  assert.not.ok(isSingleRequest([step, step]));
  assert.not.ok(isSingleRequest([{ ...step, after: () => [] }]));
  assert.not.ok(isSingleRequest([{ ...step, onGiveUp: () => [] }]));
  assert.not.ok(isSingleRequest([{ kind: 'queue', message: 'x' }]));
});

single('retries a 503 after the backoff, delivers on the next answer, counts each attempt by result', async () => {
  const scheduler = new VirtualTimeScheduler();
  const { http, calls } = scripted(scheduler, [{ status: 503, body: 'busy' }, { status: 200 }]);
  const { ctx, metrics } = context(scheduler, http);
  const results: StepsResult[] = [];
  sendSingleRequest(jsonPost(URL_A, { a: 1 }, []), ctx, 'a1', (r) => results.push(r));
  await runFor(scheduler, 500);
  assert.equal(results, [{ delivered: true, attempts: 2 }]);
  assert.equal(calls.map((c) => c.at), [0, 50], 'the second attempt after the jittered backoff (0.5 × 100 ms)');
  assert.is(await metricValue(metrics.deliveryAttempts, { ...LABELS, result: 'retry' }), 1);
  assert.is(await metricValue(metrics.deliveryAttempts, { ...LABELS, result: 'delivered' }), 1);
  assert.is(await metricValue(metrics.deliveryFailures, { ...LABELS, reason: 'http_503' }), 1);
  assert.is(await metricValue(metrics.deliveryRetries, LABELS), 1);
});

single('a deadline passed aborts the attempt, counts a timeout and gives up transient after the retries', async () => {
  const scheduler = new VirtualTimeScheduler();
  const { http, calls } = scripted(scheduler, [undefined, undefined, undefined]);
  const { ctx, metrics } = context(scheduler, http);
  const results: StepsResult[] = [];
  sendSingleRequest(jsonPost(URL_A, {}, []), ctx, undefined, (r) => results.push(r));
  await runFor(scheduler, 5000);
  assert.equal(calls.map((c) => c.at), [0, 1050, 2100]);
  assert.ok(calls.every((c) => c.aborted()), 'every attempt was aborted at its deadline');
  assert.equal(results, [{ delivered: false, attempts: 3, reason: 'timed out after 1 s', code: 'HTTP_TIMEOUT', transient: true, timedOut: true }]);
  assert.is(await metricValue(metrics.deliveryFailures, { ...LABELS, reason: 'timeout' }), 3);
  assert.is(ctx.deadlines.size, 0);
});

single('Retry-After on a 429 waits exactly that long and pauses the destination for every block', async () => {
  const scheduler = new VirtualTimeScheduler();
  const { http, calls } = scripted(scheduler, [{ status: 429, headers: { 'retry-after': '3' } }, { status: 200 }]);
  const { ctx, metrics } = context(scheduler, http);
  const results: StepsResult[] = [];
  sendSingleRequest(jsonPost(URL_A, {}, []), ctx, undefined, (r) => results.push(r));
  await runFor(scheduler, 100);
  assert.equal([...ctx.pauses.active(scheduler.now()).keys()], ['http://127.0.0.1:9']);
  // Another alert of another block to the same origin waits for the pause too.
  const other = scripted(scheduler, [{ status: 200 }]);
  sendSingleRequest(jsonPost(`${URL_A}/other`, {}, []), { ...ctx, http: other.http }, undefined, (r) => results.push(r));
  await runFor(scheduler, 4000);
  assert.equal(calls.map((c) => c.at), [0, 3000]);
  assert.equal(other.calls.map((c) => c.at), [3000]);
  assert.equal([...results].sort((a, b) => a.attempts - b.attempts), [{ delivered: true, attempts: 1 }, { delivered: true, attempts: 2 }]);
  assert.ok((await metricValue(metrics.quotaWaits, LABELS)) >= 1);
});

single('a 400 is dropped at once; a thrown sender is a retry; an HttpError keeps its code as the failure reason', async () => {
  const scheduler = new VirtualTimeScheduler();
  const { http } = scripted(scheduler, [{ status: 400, body: 'bad' }]);
  const { ctx } = context(scheduler, http);
  const results: StepsResult[] = [];
  sendSingleRequest(jsonPost(URL_A, {}, []), ctx, undefined, (r) => results.push(r));
  await runFor(scheduler, 100);
  assert.equal(results, [{ delivered: false, attempts: 1, reason: 'HTTP 400: bad', status: 400, transient: false, timedOut: false }]);

  const refused = scripted(scheduler, [new HttpError('HTTP_CONNECTION_REFUSED', 'connection refused'), { status: 200 }]);
  const second = context(scheduler, refused.http);
  const later: StepsResult[] = [];
  sendSingleRequest(jsonPost(URL_A, {}, []), second.ctx, undefined, (r) => later.push(r));
  await runFor(scheduler, 500);
  assert.equal(later, [{ delivered: true, attempts: 2 }]);
  assert.is(await metricValue(second.metrics.deliveryFailures, { ...LABELS, reason: 'connection_refused' }), 1);
});

single('the rate limit spaces attempts; cancelling stops the attempt and reports nothing', async () => {
  const scheduler = new VirtualTimeScheduler();
  const { http, calls } = scripted(scheduler, [{}, {}, undefined]);
  const { ctx } = context(scheduler, http, { rateLimit: new RateLimit(60, { scheduler }) });
  const results: StepsResult[] = [];
  for (let i = 0; i < 2; i++) sendSingleRequest(jsonPost(URL_A, {}, []), ctx, undefined, (r) => results.push(r));
  await runFor(scheduler, 1500);
  assert.equal(calls.map((c) => c.at), [0, 1000], 'one request per second at 60 per minute');
  const cancel = sendSingleRequest(jsonPost(URL_A, {}, []), ctx, undefined, (r) => results.push(r));
  await runFor(scheduler, 1000);
  cancel();
  await runFor(scheduler, 3000);
  assert.is(results.length, 2);
  assert.ok(calls[2]!.aborted());
  assert.is(ctx.deadlines.size, 0);
});

single('through the real client: the body arrives as built, headers in the integration spelling', async () => {
  const server = await startWebhookStandIn();
  const client = new HttpClient();
  const scheduler = new VirtualTimeScheduler();
  try {
    const { ctx } = context(scheduler, client);
    const done = new Promise<StepsResult>((resolve) => sendSingleRequest(jsonPost(`${server.url}/hook`, { é: 'ü', n: 1 }, []), ctx, undefined, resolve));
    assert.equal(await done, { delivered: true, attempts: 1 });
    assert.is(server.received[0]?.body, '{"é":"ü","n":1}');
    assert.is(server.received[0]?.headers['accept-charset'], 'UTF-8');
  } finally {
    await client.close();
    await server.close();
  }
});

single.run();
