// Specs for src/pipeline/dead-letter-writer.ts: what a block gave up on is written with its cause; a digest as records carrying every alert.

import { asyncScheduler, lastValueFrom, toArray } from 'rxjs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadConfigText } from '../../src/config/load.js';
import type { DeadLetterRecord } from '../../src/delivery/dead-letter.js';
import { deadLetterWriter } from '../../src/pipeline/dead-letter-writer.js';
import { blockLabels, createMetrics } from '../../src/telemetry/metrics.js';
import { captureLog } from '../helpers/capture-log.js';
import { ossecConf, webhookBlock } from '../helpers/ossec-conf.js';
import { metricValue } from '../helpers/pipeline-harness.js';

const [config] = loadConfigText(ossecConf(webhookBlock('custom-w', 'http://127.0.0.1:9/hook'))).integrations;
const labels = blockLabels(0, 'custom-w');

const test = suite('deadLetterWriter');

test('an alert: one record with its cause and whether it is retryable, then its dead-lettered outcome', async () => {
  const log = captureLog(0);
  try {
    const written: DeadLetterRecord[] = [];
    const metrics = createMetrics();
    const write = deadLetterWriter({ config: config!, labels, metrics, scheduler: asyncScheduler, deadLetters: { append: async (r) => void written.push(r) } });
    const [outcome] = await lastValueFrom(write({ alert: { id: 'A1' }, seq: 3 }, { delivered: false, attempts: 4, reason: 'HTTP 503', status: 503, transient: true }).pipe(toArray()));
    assert.equal(outcome, { kind: 'dead-lettered', seq: 3, attempts: 4, reason: 'HTTP 503', alert: { id: 'A1' }, status: 503 });
    assert.equal([written[0]!.cause, written[0]!.retryable, written[0]!.status], ['http_5xx', true, 503]);
    assert.is(await metricValue(metrics.alertsDeadLettered, labels), 1);
  } finally {
    log.restore();
  }
});

test('a digest of 1,500: two records that carry every alert, counted as 1,500; a failed write is retried without writing a part twice', async () => {
  const log = captureLog(0);
  try {
    const written: DeadLetterRecord[] = [];
    let failOnce = true;
    const deadLetters = {
      append: async (r: DeadLetterRecord) => {
        if (written.length === 1 && failOnce) {
          failOnce = false;
          throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
        }
        written.push(r);
      },
    };
    const metrics = createMetrics();
    const write = deadLetterWriter({ config: config!, labels, metrics, scheduler: asyncScheduler, deadLetters });
    const held = Array.from({ length: 1500 }, (_, i) => ({ seq: i, alert: { id: `D${i}`, rule: { id: '5712' } } }));
    const batch = { reason: 'group' as const, key: '["5712"]', group: { 'rule.id': '5712' }, held };
    await lastValueFrom(write({ alert: { id: 'digest' }, seq: 0 }, { delivered: false, attempts: 1, reason: 'HTTP 500', status: 500, transient: true }, batch).pipe(toArray()));
    assert.equal(written.map((r) => r.digest!.count), [1000, 500]);
    assert.equal(written.flatMap((r) => r.digest!.alerts.map((a) => a['id'])), held.map((h) => h.alert.id), 'every alert once');
    assert.is(await metricValue(metrics.alertsDeadLettered, labels), 1500);
    assert.is(await metricValue(metrics.deadLetterWriteFailures, labels), 1);
  } finally {
    log.restore();
  }
});

test.run();
