// Specs for src/pipeline/workers/forwarding-parts.ts (what a worker asks of the main thread: dead letters, write-backs, log lines).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Secret } from '../../../src/config/secret.js';
import type { DeadLetterRecord } from '../../../src/delivery/dead-letter.js';
import { forwardingLogger, MainRequests } from '../../../src/pipeline/workers/forwarding-parts.js';
import type { FromWorker } from '../../../src/pipeline/workers/worker-protocol.js';

const record = { time: '2026-11-01T00:00:00.000Z', block_id: 'b', block: 0, integration: 'slack', attempts: 3, reason: 'HTTP 500', cause: 'http_5xx', retryable: true, alert: { id: '1' } } as unknown as DeadLetterRecord;

const requests = suite('MainRequests');

requests('a dead letter is appended by the main thread: resolved once it answers, rejected with its error', async () => {
  const sent: FromWorker[] = [];
  const main = new MainRequests((m) => sent.push(m));
  const first = main.deadLetters.append(record);
  const second = main.deadLetters.append(record);
  assert.equal(sent.map((m) => m.t), ['dead-letter', 'dead-letter']);
  const [a, b] = sent as Extract<FromWorker, { t: 'dead-letter' }>[];
  main.answer(a!.id, undefined);
  main.answer(b!.id, undefined, 'ENOSPC: no space left on device');
  await first;
  try {
    await second;
    assert.unreachable('the failed append must reject (the worker retries it)');
  } catch (error) {
    assert.match((error as Error).message, 'ENOSPC');
  }
});

requests('a write-back goes through the main thread; one whose deadline passes first is a retry', async () => {
  const sent: FromWorker[] = [];
  const main = new MainRequests((m) => sent.push(m));
  const answered = main.queue.send('1:virustotal:{}', new AbortController().signal);
  const ask = sent[0] as Extract<FromWorker, { t: 'queue' }>;
  assert.is(ask.message, '1:virustotal:{}');
  main.answer(ask.id, { kind: 'delivered' });
  assert.equal(await answered, { kind: 'delivered' });
  const deadline = new AbortController();
  const late = main.queue.send('1:virustotal:{}', deadline.signal);
  deadline.abort();
  assert.is((await late).kind, 'retry');
});

requests.run();

const logger = suite('forwardingLogger');

logger('sends only the lines the main logger would write, with plain-data fields (a Secret as its redacted form)', () => {
  const sent: FromWorker[] = [];
  const log = forwardingLogger(0, (m) => sent.push(m));
  log.debug('AlertDelivered', { alert_id: '1' });
  log.error('AlertDeadLettered', { alert_id: '2', key: new Secret('k-123456'), error: { message: 'x' } });
  assert.is(log.enabled('debug'), false);
  assert.equal(sent, [{ t: 'log', level: 'error', message: 'AlertDeadLettered', fields: { alert_id: '2', key: '**REDACTED**', error: { message: 'x' } } }]);
  const debug: FromWorker[] = [];
  forwardingLogger(1, (m) => debug.push(m)).debug('AlertDelivered');
  assert.is(debug.length, 1);
});

logger.run();
