// Specs for src/library/push-stop.ts's default window: 256 alerts per block, or four per delivery at once when that is more.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { createIntegrator } from '../../src/library/create-integrator.js';
import { DEFAULT_HIGH_WATER_MARK, defaultHighWaterMark } from '../../src/library/push-stop.js';
import { startWebhookStandIn } from '../../src/stand-ins/webhook.js';
import { alertLine } from '../helpers/alert-line.js';
import { AlertsDir } from '../helpers/alerts-dir.js';
import { quietDuring } from '../helpers/capture-log.js';
import { eventually } from '../helpers/eventually.js';
import { ossecConf, webhookBlock } from '../helpers/ossec-conf.js';

const window = suite('the default window');
quietDuring(window);
let dir: AlertsDir;
window.before(() => {
  dir = new AlertsDir('push-stop');
});
window.after(() => dir.remove());

window('256 alerts, or four per delivery at once when concurrency is above 64', () => {
  assert.is(DEFAULT_HIGH_WATER_MARK, 256);
  assert.equal([undefined, 1, 4, 64, 65, 100].map(defaultHighWaterMark), [256, 256, 256, 256, 260, 400]);
});

window('createIntegrator without highWaterMark holds that many per block; the rest wait (and are refused stopped at stop)', async () => {
  const slow = await startWebhookStandIn({ delayMs: 5000 });
  try {
    for (const [concurrency, mark] of [[4, 256], [100, 400]] as const) {
      const integrator = await createIntegrator({ config: ossecConf(webhookBlock('custom-w', `${slow.url}/w`)), home: dir.home, state: join(dir.home, `s${concurrency}`), concurrency, maxWaiting: Infinity });
      const sends = Array.from({ length: mark + 10 }, (_, n) => integrator.send(JSON.parse(alertLine(`W${concurrency}-${n}`)) as object));
      await eventually(() => integrator.held === mark && integrator.waiting === 10, `held ${integrator.held}, waiting ${integrator.waiting}`);
      const counts = await integrator.stop({ graceMs: 0 });
      assert.is(counts.stopped, mark, 'every held alert is dead-lettered `stopped`');
      const settled = await Promise.allSettled(sends);
      assert.is(settled.filter((s) => s.status === 'rejected').length, 10, 'the waiting callers are told');
    }
  } finally {
    await slow.close();
  }
});

window.run();
