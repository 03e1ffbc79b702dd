// Specs for src/pipeline/retry-event.ts: an app's onRetry hears each retry (block, alert, attempt, wait, why, status or code).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { createIntegrator } from '../../src/library/create-integrator.js';
import type { BlockOutcome } from '../../src/pipeline/outcome.js';
import { notifyRetry, timeoutCode, type RetryEvent } from '../../src/pipeline/retry-event.js';
import { startStandIn, type StandIn } from '../../src/stand-ins/stand-in-server.js';
import { alertLine } from '../helpers/alert-line.js';
import { AlertsDir } from '../helpers/alerts-dir.js';
import { captureLogRecords, quietDuring } from '../helpers/capture-log.js';
import { closedPort } from '../helpers/closed-port.js';
import { eventually } from '../helpers/eventually.js';
import { ossecConf, webhookBlock } from '../helpers/ossec-conf.js';

const alert = (id: string) => JSON.parse(alertLine(id, { level: 12 })) as Record<string, unknown>;

const retries = suite('onRetry');
quietDuring(retries);
let dir: AlertsDir;
let service: StandIn;
retries.before(async () => {
  dir = new AlertsDir('retry-event');
  service = await startStandIn({ answer: () => ({ status: 200, body: { ok: true } }) });
});
retries.after(async () => {
  await service.close();
  dir.remove();
});

retries('a service answering 503 then 200: one event (block, alert id, attempt 1, the wait, the reason, status 503); the outcome is delivered after 2 attempts', async () => {
  service.script({ status: 503, body: 'busy, try later' });
  const events: RetryEvent[] = [];
  const integrator = await createIntegrator({ config: ossecConf(webhookBlock('custom-r', `${service.url}/r`)), home: dir.home, state: join(dir.home, 's1'), onRetry: (event) => events.push(event) });
  const [outcome] = await integrator.send(alert('R1'));
  await integrator.stop();
  assert.ok(outcome?.kind === 'delivered');
  assert.is(outcome.attempts, 2);
  assert.is(events.length, 1);
  const [event] = events;
  assert.ok(event !== undefined);
  const { delayMs, ...rest } = event;
  assert.equal(rest, { block: 0, integration: 'custom-r', blockId: outcome.blockId, id: 'R1', attempt: 1, reason: 'HTTP 503: busy, try later', status: 503 });
  assert.ok(Number.isInteger(delayMs) && delayMs >= 0 && delayMs < 500, `the first backoff is under 0.5 s: ${delayMs}`);
});

retries('a service that refuses connections: every retry carries HTTP_CONNECTION_REFUSED and no status; so does the dead letter’s outcome', async () => {
  const events: RetryEvent[] = [];
  const port = await closedPort();
  const integrator = await createIntegrator({ config: ossecConf(webhookBlock('custom-down', `http://127.0.0.1:${port}/down`)), home: dir.home, state: join(dir.home, 's2'), onRetry: (event) => events.push(event) });
  const [outcome] = await integrator.send(alert('R2'));
  await integrator.stop();
  assert.ok(outcome?.kind === 'dead-lettered');
  assert.is(outcome.code, 'HTTP_CONNECTION_REFUSED');
  assert.is(outcome.status, undefined);
  assert.is(events.length, outcome.attempts - 1, 'one event per attempt but the last');
  assert.equal(events.map((e) => e.attempt), Array.from({ length: events.length }, (_, n) => n + 1));
  for (const event of events) {
    assert.is(event.code, 'HTTP_CONNECTION_REFUSED');
    assert.is(event.status, undefined);
    assert.match(event.reason, 'connection refused');
    assert.not.match(event.reason, String(port), 'never the URL');
  }
});

retries('a followed alertsFile (the daemon engine) tells onRetry as well', async () => {
  service.script({ status: 500, body: 'oops' });
  const events: RetryEvent[] = [];
  dir.append([alertLine('R4', { level: 12 })]);
  const integrator = await createIntegrator({
    config: ossecConf(webhookBlock('custom-file', `${service.url}/file`)),
    alertsFile: dir.alerts,
    fromBeginning: true,
    home: dir.home,
    state: join(dir.home, 's4'),
    onRetry: (event) => events.push(event),
  });
  const outcomes: BlockOutcome[] = [];
  integrator.outcomes$.subscribe((o) => outcomes.push(o));
  await eventually(() => outcomes.length === 1, 'R4 settled');
  await integrator.stop(1000);
  assert.equal(outcomes.map((o) => [o.id, o.kind]), [['R4', 'delivered']]);
  assert.equal(events.map((e) => [e.integration, e.id, e.attempt, e.status, e.reason]), [['custom-file', 'R4', 1, 500, 'HTTP 500: oops']]);
});

retries('a listener that throws is logged and ignored: the alert is still delivered', async () => {
  service.script({ status: 502, body: 'bad gateway' });
  const log = captureLogRecords();
  try {
    const integrator = await createIntegrator({
      config: ossecConf(webhookBlock('custom-t', `${service.url}/t`)),
      home: dir.home,
      state: join(dir.home, 's3'),
      onRetry: () => {
        throw new Error('the app’s listener broke');
      },
    });
    const outcomes: readonly BlockOutcome[] = await integrator.send(alert('R3'));
    await integrator.stop();
    assert.equal(outcomes.map((o) => o.kind), ['delivered']);
    const failed = log.records.filter((r) => r.message === 'RetryListenerFailed');
    assert.is(failed.length, 1);
    assert.is(failed[0]?.['error'], 'the app’s listener broke');
    assert.is(failed[0]?.['alert_id'], 'R3');
  } finally {
    log.restore();
  }
});

retries('notifyRetry passes the event as is; timeoutCode names HTTP timeouts apart from the other steps’', () => {
  const seen: RetryEvent[] = [];
  const event: RetryEvent = { block: 2, integration: 'slack', blockId: 'b', attempt: 3, delayMs: 40, reason: 'timed out after 10 s', code: 'HTTP_TIMEOUT' };
  notifyRetry((e) => seen.push(e), event);
  assert.equal(seen, [event]);
  assert.is(timeoutCode('http'), 'HTTP_TIMEOUT');
  assert.is(timeoutCode('exec'), 'TIMEOUT');
  assert.is(timeoutCode('smtp'), 'TIMEOUT');
});

retries.run();
