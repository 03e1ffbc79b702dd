// Reliability: 200,000 send() calls nobody awaits keep the integrator's memory bounded, and every call is answered (outcomes or a typed refusal).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { IntegratordError } from '../../src/errors.js';
import { createIntegrator } from '../../src/library/create-integrator.js';
import { startWebhookStandIn } from '../../src/stand-ins/webhook.js';
import { alertLine } from '../helpers/alert-line.js';
import { AlertsDir } from '../helpers/alerts-dir.js';
import { quietDuring } from '../helpers/capture-log.js';
import { ossecConf, webhookBlock } from '../helpers/ossec-conf.js';

const CALLS = 200_000;
const MB = 1024 * 1024;

const bounded = suite('send() without await: bounded memory, every call answered');
quietDuring(bounded);
let dir: AlertsDir;
bounded.before(() => {
  dir = new AlertsDir('unawaited-sends');
});
bounded.after(() => dir.remove());

bounded(`${CALLS.toLocaleString('en')} un-awaited send() calls: RSS grows by less than 100 MB; each resolves with outcomes or rejects INTEGRATORD_BACKPRESSURE`, async () => {
  const service = await startWebhookStandIn({ keep: 10 });
  try {
    const integrator = await createIntegrator({ config: ossecConf(webhookBlock('custom-a', `${service.url}/a`)), home: dir.home, state: join(dir.home, 'state'), concurrency: 32 });
    const line = alertLine('X', { level: 12 });
    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const answered = { delivered: 0, refused: 0, other: 0 };
    for (let n = 0; n < CALLS; n++) {
      const alert = JSON.parse(line) as Record<string, unknown>;
      alert['id'] = `X${n}`;
      integrator.send(alert).then(
        (outcomes) => (outcomes[0]?.kind === 'delivered' ? answered.delivered++ : answered.other++),
        (error: unknown) => (error instanceof IntegratordError && error.code === 'INTEGRATORD_BACKPRESSURE' ? answered.refused++ : answered.other++),
      );
    }
    peak = Math.max(peak, process.memoryUsage().rss);
    process.stderr.write(`  (after the loop: ${Math.round((peak - baseline) / MB)} MB)\n`);
    // 11,000 deliveries at most: a minute is only there so that a lost answer fails instead of hanging.
    const deadline = Date.now() + 60_000;
    while (answered.delivered + answered.refused + answered.other < CALLS && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    clearInterval(sampler);
    const growth = (peak - baseline) / MB;
    process.stderr.write(`  (${JSON.stringify(answered)}; RSS ${Math.round(baseline / MB)} MB → peak ${Math.round(peak / MB)} MB, growth ${growth.toFixed(1)} MB)\n`);
    assert.ok(growth < 100, `RSS grew by ${growth.toFixed(1)} MB`);
    assert.is(answered.other, 0);
    assert.ok(answered.delivered > 0 && answered.refused > 0);
    await integrator.stop();
  } finally {
    await service.close();
  }
});

bounded.run();
