// Specs for src/pipeline/block-pipeline.ts (One <integration> block as an operator: Envelope in, exactly one Outcome out, counted and logged once here).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Subject, VirtualTimeScheduler, from, lastValueFrom, take, toArray } from 'rxjs';
import type { Alert } from '../../src/alerts/alert.js';
import type { DeadLetterRecord } from '../../src/delivery/dead-letter.js';
import type { HttpSender } from '../../src/delivery/http.js';
import type { BlockIntegration } from '../../src/integrations/definition.js';
import { jsonPost } from '../../src/integrations/json-post.js';
import { custom } from '../../src/integrations/custom-script.js';
import { shuffle } from '../../src/integrations/shuffle.js';
import { slack } from '../../src/integrations/slack.js';
import { webhookBlock } from '../../src/integrations/webhook.js';
import { pagerduty } from '../../src/integrations/pagerduty.js';
import { startPagerDutyStandIn } from '../../src/stand-ins/pagerduty.js';
import { startShuffleStandIn } from '../../src/stand-ins/shuffle.js';
import { blockPipeline } from '../../src/pipeline/block-pipeline.js';
import type { Envelope, Outcome } from '../../src/pipeline/outcome.js';
import { SLACK_REPLIES, startSlackStandIn } from '../../src/stand-ins/slack.js';
import { startWebhookStandIn } from '../../src/stand-ins/webhook.js';
import { wazuhPaths } from '../../src/wazuh-home.js';
import { blockConfig } from '../helpers/block-config.js';
import { captureLog, quietDuring } from '../helpers/capture-log.js';
import { closedPort } from '../helpers/closed-port.js';
import { eventually } from '../helpers/eventually.js';
import { harness, metricValue } from '../helpers/pipeline-harness.js';
import { startRecordingService } from '../helpers/recording-service.js';
import { sampleAlert } from '../helpers/sample-alerts.js';
import { writeScript } from '../helpers/scripts.js';

const ALERT = sampleAlert(4);
const labels = { block: '0', integration: 'slack' };
const slackBlock = (url: string, extra: Parameters<typeof blockConfig>[0] = {}) => {
  const config = blockConfig({ name: 'slack', hookUrl: `${url}/services/T/B/SECRET-TOKEN`, ...extra });
  return { config, integration: slack.create(config, { paths: wazuhPaths('/var/ossec'), debug: 0 }) };
};
const deadLettered = (o: Outcome | undefined): Extract<Outcome, { kind: 'dead-lettered' }> => {
  if (o?.kind !== 'dead-lettered') throw new assert.Assertion({ message: `expected dead-lettered, got ${JSON.stringify(o)}`, operator: 'is', actual: o?.kind, expects: 'dead-lettered', generated: false, details: '' });
  return o;
};

const filters = suite('blockPipeline: filters');
quietDuring(filters);
filters("skips what the block's filters reject, with Wazuh's debug line, and counts the reason", async () => {
  const h = await harness();
  const log = captureLog(2);
  try {
    const { config, integration } = slackBlock('http://127.0.0.1:9', { level: 12 });
    const outcomes = await h.run(config, integration, [ALERT, { location: 'x' }]);
    assert.equal(outcomes, [
      { kind: 'skipped', seq: 0, reason: 'level' },
      { kind: 'skipped', seq: 1, reason: 'no-rule' },
    ]);
    assert.ok(log.text().includes('DEBUG: Skipping: Alert level is too low'));
    assert.ok(log.text().includes('DEBUG: Skipping: Alert does not contain a rule block.'));
    assert.is(await metricValue(h.metrics.alertsSkipped, { ...labels, reason: 'level' }), 1);
    assert.is(await metricValue(h.metrics.alertsMatched, labels), 0);
  } finally {
    log.restore();
    await h.close();
  }
});
filters("skips what the integration's own pre-filter rejects (Shuffle's list)", async () => {
  const h = await harness();
  const log = captureLog(2);
  try {
    const config = blockConfig({ name: 'shuffle', hookUrl: 'http://127.0.0.1:9/api/v1/hooks/x' });
    const outcomes = await h.run(config, shuffle.create(config, { paths: wazuhPaths('/x'), debug: 0 }), [sampleAlert(6)]);
    assert.equal(outcomes, [{ kind: 'skipped', seq: 0, reason: 'Skipping rule 5710' }]);
    assert.is(await metricValue(h.metrics.alertsSkipped, { block: '0', integration: 'shuffle', reason: 'integration' }), 1);
    assert.ok(log.text().includes('DEBUG: Skipping rule 5710 block=0'), log.text());
  } finally {
    log.restore();
    await h.close();
  }
});
filters.run();

const http = suite('blockPipeline: HTTP delivery against stand-ins');
quietDuring(http);
http('delivers, counts matched, delivered, attempts and latency, and ends with nothing in flight', async () => {
  const h = await harness();
  const server = await startSlackStandIn();
  try {
    const { config, integration } = slackBlock(server.url);
    const outcomes = await h.run(config, integration, [ALERT]);
    assert.equal(outcomes, [{ kind: 'delivered', seq: 0, attempts: 1, alert: ALERT }]);
    assert.is(server.count, 1);
    assert.is(await metricValue(h.metrics.alertsMatched, labels), 1);
    assert.is(await metricValue(h.metrics.alertsDelivered, labels), 1);
    assert.is(await metricValue(h.metrics.deliveryAttempts, { ...labels, result: 'delivered' }), 1);
    assert.is(await metricValue(h.metrics.inFlight, labels), 0);
    const latency = (await h.metrics.deliveryLatency.get()).values.find((v) => v.metricName?.endsWith('_count'));
    assert.is(latency?.value, 1);
  } finally {
    await server.close();
    await h.close();
  }
});
http('retries 5xx and then delivers; counts retries and failures by status', async () => {
  const h = await harness();
  const server = await startSlackStandIn();
  try {
    server.script(SLACK_REPLIES.rollupError, { status: 503 });
    const { config, integration } = slackBlock(server.url);
    const [outcome] = await h.run(config, integration, [ALERT]);
    assert.equal(outcome, { kind: 'delivered', seq: 0, attempts: 3, alert: ALERT });
    assert.is(await metricValue(h.metrics.deliveryRetries, labels), 2);
    assert.is(await metricValue(h.metrics.deliveryFailures, { ...labels, reason: 'http_500' }), 1);
    assert.is(await metricValue(h.metrics.deliveryFailures, { ...labels, reason: 'http_503' }), 1);
    assert.is(await metricValue(h.metrics.failingSince, labels), 0, 'the streak ended with the delivery');
  } finally {
    await server.close();
    await h.close();
  }
});
http('a 429 with Retry-After holds every block sending to that service until it elapses', async () => {
  const h = await harness();
  const server = await startSlackStandIn();
  try {
    server.script(SLACK_REPLIES.rateLimited(1));
    const a = slackBlock(server.url);
    const b = slackBlock(server.url, { index: 1 });
    const first = h.run(a.config, a.integration, [ALERT]);
    await server.waitFor(1);
    await new Promise((r) => setTimeout(r, 20));
    const second = h.run(b.config, b.integration, [ALERT]);
    const [ra, rb] = await Promise.all([first, second]);
    assert.is(ra[0]?.kind, 'delivered');
    assert.is(rb[0]?.kind, 'delivered');
    const [limited, ...rest] = server.received;
    for (const r of rest) assert.ok(r.receivedAt - limited!.receivedAt >= 990, `request ${r.receivedAt - limited!.receivedAt} ms after the 429`);
    assert.ok((await metricValue(h.metrics.quotaWaits, { block: '1', integration: 'slack' })) >= 1, 'block 1 waited for the pause');
  } finally {
    await server.close();
    await h.close();
  }
});
http('dead-letters an alert whose requests hang past the deadline, durably, with the reason', async () => {
  const h = await harness();
  const server = await startSlackStandIn();
  try {
    server.script('hang', 'hang');
    const { config, integration } = slackBlock(server.url, { retries: 1 });
    const [outcome] = await h.run(config, integration, [ALERT], { deadlines: { httpMs: 150 } });
    assert.equal(deadLettered(outcome), { kind: 'dead-lettered', seq: 0, attempts: 2, reason: 'timed out after 0.15 s', alert: ALERT, code: 'HTTP_TIMEOUT' });
    const [record] = await h.deadLetters.records(config.id);
    assert.equal({ ...record, time: 'T' }, { time: 'T', block_id: config.id, block: 0, integration: 'slack', alert: ALERT, attempts: 2, reason: 'timed out after 0.15 s', cause: 'timeout', retryable: true });
    assert.is(await metricValue(h.metrics.deliveryFailures, { ...labels, reason: 'timeout' }), 2);
    assert.is(await metricValue(h.metrics.alertsDeadLettered, labels), 1);
    assert.ok((await metricValue(h.metrics.failingSince, labels)) > 1_700_000_000, 'failing since the first timeout (unix seconds)');
  } finally {
    await server.close();
    await h.close();
  }
});
http('retries a refused connection and dead-letters it when retries run out', async () => {
  const h = await harness();
  try {
    const { config, integration } = slackBlock(`http://127.0.0.1:${await closedPort()}`, { retries: 2 });
    const [outcome] = await h.run(config, integration, [ALERT]);
    const dead = deadLettered(outcome);
    assert.is(dead.attempts, 3);
    assert.is(dead.reason, 'connection refused (ECONNREFUSED)');
    assert.is(await metricValue(h.metrics.deliveryFailures, { ...labels, reason: 'connection_refused' }), 3);
  } finally {
    await h.close();
  }
});
http('retries a reset connection, then delivers', async () => {
  const h = await harness();
  const server = await startSlackStandIn();
  try {
    server.script('reset');
    const { config, integration } = slackBlock(server.url);
    const [outcome] = await h.run(config, integration, [ALERT]);
    assert.equal(outcome, { kind: 'delivered', seq: 0, attempts: 2, alert: ALERT });
  } finally {
    await server.close();
    await h.close();
  }
});
http('dead-letters a final refusal at once with its status; logs it without the hook URL', async () => {
  const h = await harness();
  const server = await startSlackStandIn();
  const log = captureLog(2);
  try {
    server.script(SLACK_REPLIES.noService);
    const { config, integration } = slackBlock(server.url);
    const [outcome] = await h.run(config, integration, [ALERT]);
    assert.equal(deadLettered(outcome).reason, 'HTTP 404: no_service');
    assert.is(server.count, 1);
    const [record] = await h.deadLetters.records(config.id);
    assert.is(record?.status, 404);
    assert.ok(log.text().includes('AlertDeadLettered'));
    assert.not.ok(log.text().includes('SECRET-TOKEN'), log.text());
  } finally {
    log.restore();
    await server.close();
    await h.close();
  }
});
http('emits exactly one outcome per envelope whatever happens to each', async () => {
  const h = await harness();
  const server = await startSlackStandIn();
  try {
    server.script(SLACK_REPLIES.noService, { status: 503 }, 'reset', SLACK_REPLIES.invalidPayload);
    const { config, integration } = slackBlock(server.url, { level: 5 });
    const alerts: Alert[] = Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? { rule: { level: 1 } } : { ...ALERT, id: `a${i}` }));
    const outcomes = await h.run(config, integration, alerts, { concurrency: 3 });
    assert.equal(outcomes.map((o) => o.seq).sort((a, b) => a - b), alerts.map((_, i) => i));
    assert.is(outcomes.filter((o) => o.kind === 'skipped').length, 10);
    assert.is(outcomes.filter((o) => o.kind === 'dead-lettered').length, 2);
  } finally {
    await server.close();
    await h.close();
  }
});
http.run();

const failures = suite('blockPipeline: failures inside the block are data');
quietDuring(failures);
failures('dead-letters an alert whose request cannot be built', async () => {
  const h = await harness();
  try {
    const broken: BlockIntegration = {
      plan: () => {
        throw new Error('no payload');
      },
    };
    const [outcome] = await h.run(blockConfig({ name: 'custom-x' }), broken, [ALERT]);
    assert.is(deadLettered(outcome).reason, 'cannot build the request: no payload');
  } finally {
    await h.close();
  }
});
failures.run();

/** Advances a VirtualTimeScheduler to `frame` (running every timer due by then), then lets real I/O (files, HTTP) happen. */
const advanceTo = async (scheduler: VirtualTimeScheduler, frame: number): Promise<void> => {
  scheduler.maxFrames = frame;
  scheduler.flush();
  await new Promise((resolve) => setTimeout(resolve, 50));
};

const full = suite('blockPipeline: a dead letter that cannot be written (state disk full)');
full('holds the alert unsettled, retries the write 1 s, 2 s, 4 s… apart until it works, counts only written dead letters', async () => {
  const h = await harness();
  const log = captureLog(0);
  const service = await startRecordingService({ answer: () => ({ status: 503, body: 'Service Unavailable' }) });
  const scheduler = new VirtualTimeScheduler();
  const blocker = join(h.home.path, 'state', 'dead-letter');
  try {
    // A file where the dead-letter directory should be: every append fails (ENOTDIR/EEXIST) until it is removed.
    await mkdir(join(h.home.path, 'state'), { recursive: true });
    await writeFile(blocker, 'not a directory');
    const tries: number[] = [];
    const sink = { append: (record: DeadLetterRecord) => (tries.push(scheduler.now()), h.deadLetters.append(record)) };
    const config = blockConfig({ name: 'custom-full', hookUrl: `${service.url}/hook`, retries: 0 });
    const alerts = Array.from({ length: 10 }, (_, i) => ({ envelope: { alert: { ...ALERT, id: `full-${i}` }, seq: i } }));
    const outcomes: Outcome[] = [];
    let completed = false;
    from(alerts.map((a) => a.envelope))
      .pipe(blockPipeline(h.options(config, webhookBlock(config), { deadLetters: sink, scheduler, concurrency: 2, deadlines: { httpMs: 1e9, scriptMs: 1e9 } })))
      .subscribe({ next: (o) => outcomes.push(o), complete: () => (completed = true) });
    const blockLabels = { block: '0', integration: 'custom-full' };

    const failed = () => log.lines.filter((l) => l.includes('DeadLetterNotWritten')).length;
    await eventually(() => failed() === 2, 'the first two dead-letter writes failed');
    assert.equal(tries, [0, 0]);
    assert.is(outcomes.length, 0, 'nothing settles while its dead letter is not on disk');
    assert.is(await metricValue(h.metrics.deadLetterWritesBlocked, blockLabels), 2);
    assert.is(await metricValue(h.metrics.deadLetterWriteFailures, blockLabels), 2);
    assert.is(await metricValue(h.metrics.alertsDeadLettered, blockLabels), 0);
    assert.is(log.lines.filter((l) => l.includes('DeadLetterNotWritten')).length, 2, 'one line per failed try');
    assert.match(log.text(), /ERROR: DeadLetterNotWritten block=0 integration=custom-full alert_id=full-0 failures=1 retry_in_seconds=1 error="E(EXIST|NOTDIR)/);

    await advanceTo(scheduler, 999);
    assert.is(tries.length, 2, 'no try before 1 s');
    await advanceTo(scheduler, 1000);
    await advanceTo(scheduler, 2999);
    assert.equal(tries, [0, 0, 1000, 1000]);
    await advanceTo(scheduler, 3000);
    await advanceTo(scheduler, 7000);
    assert.equal(tries, [0, 0, 1000, 1000, 3000, 3000, 7000, 7000], 'waits of 1 s, 2 s, 4 s');
    assert.match(log.text(), /failures=4 retry_in_seconds=8 /);
    assert.is(outcomes.length, 0);
    assert.is(service.receipts.length, 2, 'only the two blocked alerts were sent: the others wait for room');

    // Space comes back: the next try writes both, and the other alerts flow.
    await unlink(blocker);
    await advanceTo(scheduler, 15_000);
    await eventually(() => completed, 'every alert settled');
    assert.equal(outcomes.map((o) => o.seq).sort((a, b) => a - b), alerts.map((_, i) => i));
    assert.ok(outcomes.every((o) => o.kind === 'dead-lettered' && o.reason === deadLettered(outcomes[0]).reason && /503/.test(o.reason)), `each carries its delivery reason, nothing about the failed writes: ${JSON.stringify(outcomes[0])}`);
    const written = (await readFile(h.deadLetters.fileFor(config.id), 'utf8')).trimEnd().split('\n');
    assert.equal(written.map((l) => (JSON.parse(l) as DeadLetterRecord).alert['id']).sort(), alerts.map((a) => a.envelope.alert.id).sort());
    assert.is(await metricValue(h.metrics.alertsDeadLettered, blockLabels), 10, 'dead letters counted once written');
    assert.is(await metricValue(h.metrics.deadLetterWriteFailures, blockLabels), 8);
    assert.is(await metricValue(h.metrics.deadLetterWritesBlocked, blockLabels), 0);
    assert.is(log.lines.filter((l) => l.includes('DeadLetterWritten')).length, 2);
  } finally {
    log.restore();
    await service.close();
    await h.close();
  }
});
full('a block torn down while it waits gives the alert no outcome and counts no dead letter', async () => {
  const h = await harness();
  const log = captureLog(0);
  const scheduler = new VirtualTimeScheduler();
  try {
    await writeFile(join(h.home.path, 'state'), 'not a directory');
    let tries = 0;
    const sink = { append: (record: DeadLetterRecord) => (tries++, h.deadLetters.append(record)) };
    const broken: BlockIntegration = {
      plan: () => {
        throw new Error('no payload');
      },
    };
    const outcomes: Outcome[] = [];
    const subscription = from([{ alert: ALERT, seq: 0 }])
      .pipe(blockPipeline(h.options(blockConfig({ name: 'custom-x' }), broken, { deadLetters: sink, scheduler })))
      .subscribe((o) => outcomes.push(o));
    await eventually(() => log.text().includes('DeadLetterNotWritten'), 'the write failed once');
    assert.is(await metricValue(h.metrics.deadLetterWritesBlocked, { block: '0', integration: 'custom-x' }), 1);
    subscription.unsubscribe();
    await advanceTo(scheduler, 60_000);
    assert.is(tries, 1, 'no try after the teardown');
    assert.equal(outcomes, []);
    assert.is(await metricValue(h.metrics.deadLetterWritesBlocked, { block: '0', integration: 'custom-x' }), 0);
    assert.is(await metricValue(h.metrics.alertsDeadLettered, { block: '0', integration: 'custom-x' }), 0);
  } finally {
    log.restore();
    await h.close();
  }
});
full.run();

const followUps = suite('blockPipeline: follow-up and give-up steps');
quietDuring(followUps);
followUps('runs `after` steps once delivered and `onGiveUp` steps once given up', async () => {
  const h = await harness();
  const server = await startWebhookStandIn();
  try {
    const step = jsonPost(`${server.url}/lookup`, { q: 1 }, []);
    const integration: BlockIntegration = {
      plan: () => [{ ...step, after: (r) => [{ kind: 'queue', message: `1:test:${r.body}` }], onGiveUp: (last) => [{ kind: 'queue', message: `1:test:error ${last.status}` }] }],
    };
    server.script({ status: 403, body: 'denied' });
    const config = blockConfig({ name: 'custom-x', retries: 0 });
    const outcomes = await h.run(config, integration, [ALERT, ALERT], { concurrency: 1 });
    assert.equal(outcomes.map((o) => o.kind), ['dead-lettered', 'delivered']);
    assert.equal(h.queue.messages, ['1:test:error 403', '1:test:{"ok":true}']);
    assert.is(outcomes[1]?.kind === 'delivered' ? outcomes[1].attempts : 0, 2, 'the follow-up counts as an attempt');
  } finally {
    await server.close();
    await h.close();
  }
});
followUps.run();

const scripts = suite('blockPipeline: custom scripts');
quietDuring(scripts);
scripts('runs the script per alert, runs a failing one once and dead-letters it with the exit status', async () => {
  const h = await harness();
  try {
    const integrations = join(h.home.path, 'integrations');
    await writeScript(integrations, 'custom-ok', `echo "$1" >> '${h.home.path}/ok.runs'`);
    await writeScript(integrations, 'custom-fail', `echo run >> '${h.home.path}/fail.runs'\necho "Error: upstream said no"\nexit 2`);
    const env = { paths: wazuhPaths(h.home.path), debug: 0 };
    const okConfig = blockConfig({ name: 'custom-ok' });
    const failConfig = blockConfig({ name: 'custom-fail', index: 1, retries: 2 });
    const log = captureLog(0);
    try {
      assert.equal(await h.run(okConfig, custom.create(okConfig, env), [ALERT]), [{ kind: 'delivered', seq: 0, attempts: 1, alert: ALERT }]);
      const [failed] = await h.run(failConfig, custom.create(failConfig, env), [ALERT]);
      assert.equal(deadLettered(failed).reason, 'exit status 2: Error: upstream said no');
      assert.is(deadLettered(failed).attempts, 1);
    } finally {
      log.restore();
    }
    assert.is((await readFile(join(h.home.path, 'fail.runs'), 'utf8')).trim().split('\n').length, 1, 'Wazuh runs a script once; retries are its own');
    assert.is(await metricValue(h.metrics.deliveryFailures, { block: '1', integration: 'custom-fail', reason: 'exit_2' }), 1);
    assert.equal((await h.deadLetters.records()).map((r) => [r.integration, r.attempts, r.reason]), [['custom-fail', 1, 'exit status 2: Error: upstream said no']]);
  } finally {
    await h.close();
  }
});
scripts('kills a script that hangs past its deadline and dead-letters the alert', async () => {
  const h = await harness();
  const log = captureLog(0);
  try {
    await writeScript(join(h.home.path, 'integrations'), 'custom-hang', 'sleep 30');
    const config = blockConfig({ name: 'custom-hang', retries: 0 });
    const [outcome] = await h.run(config, custom.create(config, { paths: wazuhPaths(h.home.path), debug: 0 }), [ALERT], { deadlines: { scriptMs: 200 } });
    assert.is(deadLettered(outcome).reason, 'timed out after 0.2 s');
  } finally {
    log.restore();
    await h.close();
  }
});
scripts.run();

const limits = suite('blockPipeline: concurrency, rate limit, independence');
quietDuring(limits);
limits('never sends more than `concurrency` alerts at once', async () => {
  const h = await harness();
  const server = await startWebhookStandIn({ delayMs: 20 });
  try {
    let active = 0;
    let peak = 0;
    const counting: HttpSender = {
      send: async (request, signal) => {
        peak = Math.max(peak, ++active);
        try {
          return await h.http.send(request, signal);
        } finally {
          active -= 1;
        }
      },
    };
    const config = blockConfig({ name: 'custom-hook', hookUrl: server.url });
    const outcomes = await h.run(config, webhookBlock(config), Array.from({ length: 12 }, (_, i) => ({ ...ALERT, id: String(i) })), { concurrency: 2, http: counting });
    assert.is(outcomes.filter((o) => o.kind === 'delivered').length, 12);
    assert.is(peak, 2);
  } finally {
    await server.close();
    await h.close();
  }
});
limits('queues requests beyond requestsPerMinute instead of refusing them', async () => {
  const h = await harness();
  const server = await startWebhookStandIn();
  try {
    const config = blockConfig({ name: 'custom-hook', hookUrl: server.url });
    const integration = { ...webhookBlock(config), requestsPerMinute: 1200 };
    const outcomes = await h.run(config, integration, Array.from({ length: 4 }, (_, i) => ({ ...ALERT, id: String(i) })));
    assert.is(outcomes.filter((o) => o.kind === 'delivered').length, 4);
    const times = server.received.map((r) => r.receivedAt);
    assert.ok((times[3] as number) - (times[0] as number) >= 140, 'four requests at 1200/min span at least three 50 ms intervals');
    assert.ok((await metricValue(h.metrics.quotaWaits, { block: '0', integration: 'custom-hook' })) >= 3);
  } finally {
    await server.close();
    await h.close();
  }
});
limits('a block whose service hangs never holds back another block fed by the same source', async () => {
  const h = await harness();
  const dead = await startWebhookStandIn();
  const alive = await startWebhookStandIn();
  try {
    for (let i = 0; i < 10; i++) dead.script('hang');
    const source = new Subject<Envelope>();
    const a = blockConfig({ name: 'custom-dead', hookUrl: dead.url });
    const b = blockConfig({ name: 'custom-alive', index: 1, hookUrl: alive.url });
    const stuck: Outcome[] = [];
    const subscription = source.pipe(blockPipeline(h.options(a, webhookBlock(a)))).subscribe((o) => stuck.push(o));
    const delivered = lastValueFrom(source.pipe(blockPipeline(h.options(b, webhookBlock(b))), take(8), toArray()));
    for (let seq = 0; seq < 8; seq++) source.next({ alert: { ...ALERT, id: String(seq) }, seq });
    const outcomes = await delivered;
    assert.is(outcomes.filter((o) => o.kind === 'delivered').length, 8);
    assert.is(stuck.length, 0, 'the dead block is still waiting on its hung requests');
    subscription.unsubscribe();
  } finally {
    await dead.close();
    await alive.close();
    await h.close();
  }
});
limits.run();

const silencing = suite('blockPipeline: silences');
quietDuring(silencing);
silencing('an alert the filters take and a silence matches is skipped as silenced before the integration plans anything; counted, logged at debug', async () => {
  const h = await harness();
  const log = captureLog(2);
  try {
    const config = blockConfig({ name: 'custom-x', hookUrl: 'http://127.0.0.1:9/x', id: 'custom-x-1' });
    const calls: string[] = [];
    const integration: BlockIntegration = {
      skip: (alert) => (calls.push(`skip ${String(alert['id'])}`), undefined),
      plan: (alert) => (calls.push(`plan ${String(alert['id'])}`), []),
    };
    const silence = { id: 'feedf00d', matchers: [{ field: 'rule.id', value: '5712' }], created_at: '2026-12-01T00:00:00Z', expires_at: '2999-01-01T00:00:00.000Z', comment: 'noisy' };
    const seen: string[] = [];
    const silences = { match: (alert: Alert, blockId: string) => (seen.push(blockId), alert['id'] === 'hush' ? silence : undefined) };
    const outcomes = await h.run(config, integration, [{ ...ALERT, id: 'hush' }, { ...ALERT, id: 'pass' }, { id: 'norule' }], { silences });
    assert.equal(outcomes.map((o) => [o.kind, o.kind === 'skipped' ? o.reason : '']), [['skipped', 'silenced'], ['delivered', ''], ['skipped', 'no-rule']]);
    assert.equal(calls, ['skip pass', 'plan pass'], 'the silenced alert never reached the integration');
    assert.equal(seen, ['custom-x-1', 'custom-x-1'], 'asked with the block id, only for alerts the filters took');
    assert.is(await metricValue(h.metrics.alertsSkipped, { block: '0', integration: 'custom-x', reason: 'silenced' }), 1);
    assert.is(await metricValue(h.metrics.alertsSuppressed, { block: '0', integration: 'custom-x', reason: 'silenced' }), 0, 'counted once: not also as suppressed');
    assert.match(log.text(), 'DEBUG: Skipping: silenced by silence feedf00d (rule.id=5712; until 2999-01-01T00:00:00.000Z; "noisy")');
  } finally {
    log.restore();
    await h.close();
  }
});
silencing.run();
const noise = suite('blockPipeline: noise control (issue 11)');
quietDuring(noise);
const noiseAlert = (id: string, rule = '5710', timestamp = '2026-11-27T10:00:00.000+0000') => ({ ...ALERT, id, timestamp, rule: { ...(ALERT['rule'] as object), id: rule } });
noise('groups in virtual time: the first alert at once, the later ones held (unsettled) and sent as one webhook digest at the interval', async () => {
  const h = await harness();
  const service = await startWebhookStandIn();
  const scheduler = new VirtualTimeScheduler();
  try {
    const config = blockConfig({ name: 'custom-digest', hookUrl: `${service.url}/hook`, noise: { groupBy: ['rule.id'], groupWait: 0, groupInterval: 60, dedupWindow: 3600 } });
    const input = new Subject<Envelope>();
    const outcomes: Outcome[] = [];
    input.pipe(blockPipeline(h.options(config, webhookBlock(config), { scheduler, deadlines: { httpMs: 1e9, scriptMs: 1e9 } }))).subscribe((o) => outcomes.push(o));
    const ids = ['g1', 'g2', 'g3', 'g4'];
    ids.forEach((id, seq) => input.next({ alert: noiseAlert(id), seq }));
    input.next({ alert: noiseAlert('other', '1002'), seq: 4 });
    await eventually(() => outcomes.filter((o) => o.kind === 'delivered').length === 2, 'the two first alerts delivered');
    assert.equal(outcomes.filter((o) => o.kind === 'held').map((o) => o.seq), [1, 2, 3]);
    assert.equal(service.received.map((r) => (r.json as Alert)['id']), ['g1', 'other']);
    const blockLabels = { block: '0', integration: 'custom-digest' };
    assert.is(await metricValue(h.metrics.alertsHeld, blockLabels), 3);
    assert.is(await metricValue(h.metrics.alertsGrouped, blockLabels), 3);
    await advanceTo(scheduler, 59_999);
    assert.is(service.received.length, 2, 'nothing before the interval ends');
    await advanceTo(scheduler, 60_000);
    await eventually(() => service.received.length === 3, 'the digest sent');
    const digest = (service.received[2]?.json as { digest: Record<string, unknown> }).digest;
    assert.equal(
      { group: digest['group'], count: digest['count'], ids: digest['alert_ids'], first: (digest['alert'] as Alert)['id'], from: digest['first_timestamp'], to: digest['last_timestamp'] },
      { group: { 'rule.id': '5710' }, count: 3, ids: ['g2', 'g3', 'g4'], first: 'g2', from: '2026-11-27T10:00:00.000+0000', to: '2026-11-27T10:00:00.000+0000' },
    );
    assert.match(String(service.received[2]?.headers['idempotency-key']), /^digest-g2-0-3$/);
    await eventually(() => outcomes.filter((o) => o.kind === 'delivered').length === 5, 'every held alert settled by the digest');
    assert.equal(outcomes.filter((o) => o.kind === 'delivered').map((o) => o.seq).sort(), [0, 1, 2, 3, 4]);
    assert.is(await metricValue(h.metrics.digestsSent, { ...blockLabels, reason: 'group' }), 1);
    assert.is(await metricValue(h.metrics.alertsHeld, blockLabels), 0);
    assert.is(await metricValue(h.metrics.alertsDelivered, blockLabels), 5);
    input.complete();
  } finally {
    await service.close();
    await h.close();
  }
});
noise('dedup: the first alert per key per window is sent, the rest are suppressed outcomes counted by reason', async () => {
  const h = await harness();
  const service = await startWebhookStandIn();
  try {
    const config = blockConfig({ name: 'custom-dedup', hookUrl: `${service.url}/hook`, noise: { dedupBy: ['rule.id'], dedupWindow: 3600, groupWait: 0, groupInterval: 300 } });
    const outcomes = await h.run(config, webhookBlock(config), [noiseAlert('d1'), noiseAlert('d2'), noiseAlert('d3', '1002'), noiseAlert('d4')]);
    assert.equal(outcomes.map((o) => `${o.seq}:${o.kind}`).sort(), ['0:delivered', '1:suppressed', '2:delivered', '3:suppressed']);
    assert.equal(service.received.map((r) => (r.json as Alert)['id']), ['d1', 'd3']);
    assert.is(await metricValue(h.metrics.alertsSuppressed, { block: '0', integration: 'custom-dedup', reason: 'dedup' }), 2);
    assert.is(await metricValue(h.metrics.noiseKeyMissing, { block: '0', integration: 'custom-dedup' }), 0);
  } finally {
    await service.close();
    await h.close();
  }
});
noise('alerts missing a key field are counted per block (a typo in dedup_by keys them all as null)', async () => {
  const h = await harness();
  const service = await startWebhookStandIn();
  try {
    const config = blockConfig({ name: 'custom-dedup', hookUrl: `${service.url}/hook`, noise: { dedupBy: ['data.scrip'], dedupWindow: 3600, groupWait: 0, groupInterval: 300 } });
    const outcomes = await h.run(config, webhookBlock(config), [noiseAlert('m1'), noiseAlert('m2'), noiseAlert('m3')]);
    assert.equal(outcomes.map((o) => o.kind).sort(), ['delivered', 'suppressed', 'suppressed']);
    assert.is(await metricValue(h.metrics.noiseKeyMissing, { block: '0', integration: 'custom-dedup' }), 3);
  } finally {
    await service.close();
    await h.close();
  }
});
noise('the end of the input sends every held alert (replay: nothing stays held); a digest of one alert is that alert as Wazuh sends it', async () => {
  const h = await harness();
  const service = await startWebhookStandIn();
  try {
    const config = blockConfig({ name: 'custom-end', hookUrl: `${service.url}/hook`, noise: { groupBy: ['rule.id'], groupWait: 600, groupInterval: 600, dedupWindow: 3600 } });
    const outcomes = await h.run(config, webhookBlock(config), [noiseAlert('e1'), noiseAlert('e2'), noiseAlert('e3', '1002')], { noise: { clock: 'alerts' } });
    assert.equal(outcomes.filter((o) => o.kind === 'delivered').map((o) => o.seq).sort(), [0, 1, 2]);
    const bodies = service.received.map((r) => r.json as Record<string, unknown>);
    assert.is(bodies.length, 2);
    const single = bodies.find((b) => !('digest' in b));
    assert.is(single?.['id'], 'e3', 'sent as the plain alert');
    assert.equal((bodies.find((b) => 'digest' in b)?.['digest'] as Record<string, unknown>)['alert_ids'], ['e1', 'e2']);
  } finally {
    await service.close();
    await h.close();
  }
});
noise('the alerts clock: a later alert past the interval sends the digest the day would have produced', async () => {
  const h = await harness();
  const service = await startWebhookStandIn();
  try {
    const config = blockConfig({ name: 'custom-clock', hookUrl: `${service.url}/hook`, noise: { groupBy: ['rule.id'], groupWait: 0, groupInterval: 300, dedupWindow: 3600 } });
    const at = (minute: number) => `2026-11-27T10:${String(minute).padStart(2, '0')}:00.000+0000`;
    const alerts = [noiseAlert('c1', '5710', at(0)), noiseAlert('c2', '5710', at(1)), noiseAlert('c3', '5710', at(2)), noiseAlert('c4', '5710', at(6)), noiseAlert('c5', '5710', at(20)), noiseAlert('c6', '5710', at(21))];
    await h.run(config, webhookBlock(config), alerts, { concurrency: 1, noise: { clock: 'alerts' } });
    const shapes = service.received.map((r) => {
      const body = r.json as Record<string, unknown>;
      return 'digest' in body ? `digest ${String((body['digest'] as Record<string, unknown>)['alert_ids'])}` : String(body['id']);
    });
    // c4 (10:06) passes the 10:05 deadline: c2,c3 go out; c4 waits for 10:11; c5 (10:20) sends it alone (a digest of one), and
    // as nothing came between 10:11 and 10:16 the group closed: c5 is the first of a new group, sent at once; c6 is held, sent at the end.
    assert.equal(shapes.sort(), ['c1', 'c4', 'c5', 'c6', 'digest c2,c3'], 'digests and single alerts travel side by side: compared as a set');
  } finally {
    await service.close();
    await h.close();
  }
});
noise('a digest that fails for good is dead-lettered once (the alert-shaped digest), and every held alert gets its dead-lettered outcome', async () => {
  const h = await harness();
  const service = await startRecordingService({ answer: (r) => (String(r.body).includes('"digest"') ? { status: 400, body: 'bad' } : { status: 200, body: 'ok' }) });
  try {
    const config = blockConfig({ name: 'custom-dlq', hookUrl: `${service.url}/hook`, retries: 0, noise: { groupBy: ['rule.id'], groupWait: 0, groupInterval: 300, dedupWindow: 3600 } });
    const outcomes = await h.run(config, webhookBlock(config), [noiseAlert('x1'), noiseAlert('x2'), noiseAlert('x3')]);
    assert.equal(outcomes.map((o) => `${o.seq}:${o.kind}`).sort(), ['0:delivered', '1:held', '1:dead-lettered', '2:held', '2:dead-lettered'].sort());
    const written = (await readFile(h.deadLetters.fileFor(config.id), 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l) as DeadLetterRecord);
    assert.is(written.length, 1);
    assert.equal((written[0]?.alert['integratord_digest'] as Record<string, unknown>)['alert_ids'], ['x2', 'x3']);
    assert.is(written[0]?.alert['id'], 'x2');
  } finally {
    await service.close();
    await h.close();
  }
});
noise('max_per_hour in virtual time: beyond N messages an hour alerts are held for one digest sent when the budget renews', async () => {
  const h = await harness();
  const service = await startWebhookStandIn();
  const scheduler = new VirtualTimeScheduler();
  try {
    const config = blockConfig({ name: 'custom-cap', hookUrl: `${service.url}/hook`, noise: { maxPerHour: 2, groupWait: 0, groupInterval: 300, dedupWindow: 3600 } });
    const input = new Subject<Envelope>();
    const outcomes: Outcome[] = [];
    input.pipe(blockPipeline(h.options(config, webhookBlock(config), { scheduler, deadlines: { httpMs: 1e9, scriptMs: 1e9 } }))).subscribe((o) => outcomes.push(o));
    ['m1', 'm2', 'm3', 'm4'].forEach((id, seq) => input.next({ alert: noiseAlert(id, String(100 + seq)), seq }));
    await eventually(() => service.received.length === 2, 'two messages within the budget');
    const blockLabels = { block: '0', integration: 'custom-cap' };
    assert.is(await metricValue(h.metrics.alertsSuppressed, { ...blockLabels, reason: 'max_per_hour' }), 2);
    await advanceTo(scheduler, 3_599_999);
    assert.is(service.received.length, 2, 'nothing more within the hour');
    await advanceTo(scheduler, 3_600_000);
    await eventually(() => service.received.length === 3, 'the digest when the budget renews');
    assert.equal(((service.received[2]?.json as { digest: Record<string, unknown> }).digest)['alert_ids'], ['m3', 'm4']);
    assert.equal(((service.received[2]?.json as { digest: Record<string, unknown> }).digest)['group'], {});
    await eventually(() => outcomes.filter((o) => o.kind === 'delivered').length === 4, 'every alert settled');
    assert.is(await metricValue(h.metrics.digestsSent, { ...blockLabels, reason: 'max_per_hour' }), 1);
    input.complete();
  } finally {
    await service.close();
    await h.close();
  }
});
noise("each integration family's digest is accepted by its loopback stand-in: Slack one message, PagerDuty one event keyed by the group, Shuffle the digest body, a custom script the alert-shaped file", async () => {
  const h = await harness();
  const slackService = await startSlackStandIn();
  const pagerService = await startPagerDutyStandIn();
  const shuffleService = await startShuffleStandIn();
  try {
    const grouping = { groupBy: ['rule.id'], groupWait: 0, groupInterval: 300, dedupWindow: 3600 };
    // Rule 100 (Shuffle skips 5710 itself).
    const alerts = [noiseAlert('f1', '100'), { ...noiseAlert('f2', '100'), agent: { id: '002', name: 'db-01' }, data: { srcip: '10.1.1.1' } }, noiseAlert('f3', '100')];
    const env = { paths: wazuhPaths(h.home.path), debug: 0 };
    const run = async (config: ReturnType<typeof blockConfig>, integration: BlockIntegration) => {
      const outcomes = await h.run(config, integration, alerts);
      assert.equal(outcomes.filter((o) => o.kind === 'delivered').map((o) => o.seq).sort(), [0, 1, 2], `${config.name}: every alert delivered`);
    };

    const slackConfig = blockConfig({ name: 'slack', hookUrl: `${slackService.url}/services/T/B/X`, noise: grouping });
    await run(slackConfig, slack.create(slackConfig, env));
    const message = (slackService.received[1]?.json as { attachments: Record<string, unknown>[] }).attachments[0];
    assert.is(message?.['pretext'], 'WAZUH Digest: 2 alerts for rule.id=100');
    assert.is(message?.['text'], 'First 2026-11-27T10:00:00.000+0000, last 2026-11-27T10:00:00.000+0000');
    const fields = message?.['fields'] as { title: string; value: unknown }[];
    assert.equal(fields.map((f) => f.title), ['Alerts', 'Alerts per rule', 'Top agents', 'Top source IPs']);
    assert.is(fields[0]?.value, 2);
    assert.is(fields[1]?.value, '100 (2)');
    assert.match(String(fields[2]?.value), /^db-01 \(1\), \S+ \(1\)$/);
    assert.match(String(fields[3]?.value), '10.1.1.1 (1)');

    const pagerConfig = blockConfig({ name: 'pagerduty', apiKey: 'routingKEY0123', hookUrl: `${pagerService.url}/v2/enqueue`, noise: grouping });
    await run(pagerConfig, pagerduty.create(pagerConfig, env));
    const event = pagerService.received[1]?.json as Record<string, unknown>;
    assert.match(String(event['dedup_key']), /^integratord-0-[0-9a-f]{32}$/);
    assert.match(String((event['payload'] as Record<string, unknown>)['summary']), /^2 alerts: /);

    const shuffleConfig = blockConfig({ name: 'shuffle', hookUrl: `${shuffleService.url}/api/v1/hooks/x`, noise: grouping });
    await run(shuffleConfig, shuffle.create(shuffleConfig, env));
    assert.equal(((shuffleService.received[1]?.json as { digest: Record<string, unknown> }).digest)['alert_ids'], ['f2', 'f3']);

    await writeScript(join(h.home.path, 'integrations'), 'custom-digest', `cat "$1" >> '${h.home.path}/digest.runs'; echo >> '${h.home.path}/digest.runs'`);
    const scriptConfig = blockConfig({ name: 'custom-digest', noise: grouping });
    await run(scriptConfig, custom.create(scriptConfig, env));
    const files = (await readFile(join(h.home.path, 'digest.runs'), 'utf8')).split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.is(files.length, 2);
    const shaped = files.find((f) => 'integratord_digest' in f);
    assert.is(shaped?.['id'], 'f2', 'the first held alert, rule, agent and full_log kept');
    assert.equal((shaped?.['integratord_digest'] as Record<string, unknown>)['alert_ids'], ['f2', 'f3']);
  } finally {
    await Promise.all([slackService.close(), pagerService.close(), shuffleService.close()]);
    await h.close();
  }
});
noise.run();
