// Specs for src/library/push-blocks.ts (a window per block in push mode): a down or hanging service slows only its own block.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { DeadLetterStore } from '../../src/delivery/dead-letter.js';
import { createIntegrator } from '../../src/library/create-integrator.js';
import type { BlockOutcome } from '../../src/pipeline/outcome.js';
import { startWebhookStandIn } from '../../src/stand-ins/webhook.js';
import { alertLine } from '../helpers/alert-line.js';
import { AlertsDir } from '../helpers/alerts-dir.js';
import { quietDuring } from '../helpers/capture-log.js';
import { closedPort } from '../helpers/closed-port.js';
import { eventually } from '../helpers/eventually.js';
import { ossecConf, webhookBlock } from '../helpers/ossec-conf.js';

const alert = (id: string) => JSON.parse(alertLine(id, { level: 12 })) as Record<string, unknown>;

let dir: AlertsDir;
const isolated = suite('PushBlocks: a window per block');
quietDuring(isolated);
isolated.before(() => {
  dir = new AlertsDir('lib-push-blocks');
});
isolated.after(() => dir.remove());

isolated('with one block\'s service down, the other delivers ≥ 90% of 3,000 alerts within 20 s from a 20 ms service; every alert is accounted for in both', async () => {
  const fast = await startWebhookStandIn({ delayMs: 20, keep: 10 });
  const down = await closedPort();
  try {
    const state = join(dir.home, 'down');
    const config = ossecConf(webhookBlock('custom-fast', `${fast.url}/fast`), webhookBlock('custom-down', `http://127.0.0.1:${down}/down`));
    // 3,000 send() calls at once: more than maxWaiting's default lets wait (twice the 256-alert window), so all may wait.
    const integrator = await createIntegrator({ config, home: dir.home, state, concurrency: 8, maxWaiting: Infinity });
    let fastDelivered = 0;
    integrator.outcomes$.subscribe((o) => {
      if (o.block === 0 && o.kind === 'delivered') fastDelivered++;
    });
    const started = Date.now();
    const sends = Array.from({ length: 3000 }, (_, n) => integrator.send(alert(`D${n}`)));
    while (fastDelivered < 2700 && Date.now() - started < 20_000) await new Promise((resolve) => setTimeout(resolve, 50));
    const seconds = (Date.now() - started) / 1000;
    assert.ok(fastDelivered >= 2700, `the fast block delivered ${fastDelivered} of 3,000 in ${seconds} s`);
    // The last alerts may still wait for the fast block's window: stop once all 3,000 were accepted.
    while (integrator.waiting > 0 && Date.now() - started < 25_000) await new Promise((resolve) => setTimeout(resolve, 20));
    const counts = await integrator.stop({ graceMs: 0 });
    const outcomes = await Promise.all(sends);
    assert.ok(
      outcomes.every((o) => o.length === 2),
      'each alert has its outcome in both blocks',
    );
    const inDown = outcomes.map((o) => o.find((x) => x.block === 1) as BlockOutcome);
    assert.ok(
      inDown.every((o) => o.kind === 'dead-lettered'),
      'the down block dead-lettered every alert',
    );
    assert.ok(counts.overflowed > 0, `the stalled block spilled (${JSON.stringify(counts)})`);
    // Each one is in its dead-letter file (redrivable). With no grace, one whose dead letter the block was writing at stop is there twice.
    const records = await new DeadLetterStore(state).records();
    assert.is(new Set(records.filter((r) => r.integration === 'custom-down').map((r) => r.alert['id'])).size, 3000);
    process.stderr.write(`  (fast block: ${fastDelivered} delivered in ${seconds} s; down block: ${counts.overflowed} overflow, ${counts.stopped} stopped)\n`);
  } finally {
    await fast.close();
  }
});

isolated('a hanging service: its block stalls once full, its new alerts are dead-lettered `overflow` while the other block delivers them all', async () => {
  const ok = await startWebhookStandIn();
  const hanging = await startWebhookStandIn();
  hanging.script(...Array.from({ length: 20 }, () => 'hang' as const));
  try {
    const state = join(dir.home, 'hang');
    const config = ossecConf(webhookBlock('custom-ok', `${ok.url}/ok`), webhookBlock('custom-hang', `${hanging.url}/hang`));
    const integrator = await createIntegrator({ config, home: dir.home, state, highWaterMark: 3, stallMs: 100, maxWaiting: Infinity });
    const sends = Array.from({ length: 10 }, (_, n) => integrator.send(alert(`H${n}`)));
    // The first three are held by the hanging block until stop; the other seven settle as overflow there.
    const later = await Promise.all(sends.slice(3));
    assert.is(ok.count, 10);
    const hangKinds = later.map((o) => o.find((x) => x.block === 1));
    assert.ok(hangKinds.every((o) => o?.kind === 'dead-lettered' && o.reason === 'overflow'), JSON.stringify(hangKinds));
    assert.is(integrator.held, 3);
    const counts = await integrator.stop({ graceMs: 50 });
    assert.equal([counts.delivered, counts.overflowed, counts.stopped], [10, 7, 3]);
    const first = await Promise.all(sends.slice(0, 3));
    assert.equal(first.map((o) => o.map((x) => (x.kind === 'dead-lettered' ? x.reason : x.kind))), [0, 1, 2].map(() => ['delivered', 'stopped']));
  } finally {
    await Promise.all([ok.close(), hanging.close()]);
  }
});

isolated('a slow but working block keeps its backpressure: nothing is dead-lettered, never more than highWaterMark held', async () => {
  const slow = await startWebhookStandIn({ delayMs: 30 });
  try {
    const integrator = await createIntegrator({ config: ossecConf(webhookBlock('custom-slow', `${slow.url}/slow`)), home: dir.home, state: join(dir.home, 'slow'), highWaterMark: 4, maxWaiting: Infinity, concurrency: 2, stallMs: 300 });
    let peak = 0;
    const sends = Array.from({ length: 40 }, (_, n) => integrator.send(alert(`S${n}`)).finally(() => (peak = Math.max(peak, integrator.held))));
    await eventually(() => integrator.held > 0, 'held');
    const outcomes = await Promise.all(sends);
    assert.ok(outcomes.every((o) => o[0]?.kind === 'delivered'));
    assert.ok(peak <= 4, `held ${peak}`);
    const counts = await integrator.stop();
    assert.equal([counts.delivered, counts.overflowed, counts.deadLettered], [40, 0, 0]);
  } finally {
    await slow.close();
  }
});

isolated.run();
