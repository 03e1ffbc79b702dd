// Specs for src/library/dead-letters.ts (list and redrive dead letters from an app).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { createIntegrator } from '../../src/library/create-integrator.js';
import { listDeadLetters, redriveDeadLetters } from '../../src/library/dead-letters.js';
import { startWebhookStandIn } from '../../src/stand-ins/webhook.js';
import { alertLine, receivedIds } from '../helpers/alert-line.js';
import { AlertsDir } from '../helpers/alerts-dir.js';
import { quietDuring } from '../helpers/capture-log.js';
import { eventually } from '../helpers/eventually.js';
import { ossecConf, webhookBlock } from '../helpers/ossec-conf.js';

let dir: AlertsDir;
const letters = suite('listDeadLetters and redriveDeadLetters');
quietDuring(letters);
letters.before(() => {
  dir = new AlertsDir('lib-dead-letters');
});
letters.after(() => dir.remove());

letters('an alert dead-lettered at stop is listed, then redriven through the current blocks: delivered and removed', async () => {
  const service = await startWebhookStandIn();
  try {
    const state = join(dir.home, 'state');
    const config = ossecConf(webhookBlock('custom-a', `${service.url}/a`));
    const integrator = await createIntegrator({ config, home: dir.home, state });
    service.script('hang');
    const sent = integrator.send(JSON.parse(alertLine('L1', { level: 12 })));
    await eventually(() => service.count === 1, 'the request hangs');
    await integrator.stop({ graceMs: 0 });
    assert.is((await sent)[0]?.kind, 'dead-lettered');
    const listed = await listDeadLetters({ home: dir.home, state });
    assert.equal(listed.map((r) => [r.alert['id'], r.reason, r.integration]), [['L1', 'stopped', 'custom-a']]);
    const results = await redriveDeadLetters({ config, home: dir.home, state });
    assert.equal(results.map((r) => [r.integration, r.total, r.delivered, r.stillDead]), [['custom-a', 1, 1, 0]]);
    assert.equal(receivedIds(service.received), ['L1', 'L1']);
    assert.equal(await listDeadLetters({ home: dir.home, state }), []);
  } finally {
    await service.close();
  }
});

letters.run();
