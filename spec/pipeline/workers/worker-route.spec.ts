// Specs for src/pipeline/workers/worker-route.ts (a block's delivery over the worker pool: lines out, outcomes back, nothing lost when a worker dies).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Subject } from 'rxjs';
import { parseAlertLine } from '../../../src/alerts/parse.js';
import { loadConfigText } from '../../../src/config/load.js';
import { createDeliveryParts } from '../../../src/pipeline/delivery-parts.js';
import { blockDeliver } from '../../../src/pipeline/open-block.js';
import type { Envelope, Outcome } from '../../../src/pipeline/outcome.js';
import { startupCheck } from '../../../src/pipeline/startup-check.js';
import { SharedPauses } from '../../../src/pipeline/workers/shared-pauses.js';
import { MAX_WORKER_RESTARTS, WorkerPool } from '../../../src/pipeline/workers/worker-pool.js';
import { workerDeliver } from '../../../src/pipeline/workers/worker-route.js';
import { startStandIn, type StandIn } from '../../../src/stand-ins/stand-in-server.js';
import { createMetrics } from '../../../src/telemetry/metrics.js';
import { WorkersRegistry } from '../../../src/telemetry/workers-registry.js';
import { wazuhPaths } from '../../../src/wazuh-home.js';
import { AlertsDir } from '../../helpers/alerts-dir.js';
import { captureLog } from '../../helpers/capture-log.js';
import { eventually } from '../../helpers/eventually.js';

interface Rig {
  readonly pool: WorkerPool;
  readonly registry: WorkersRegistry;
  readonly input: Subject<Envelope>;
  readonly outcomes: Outcome[];
  readonly state: string;
  readonly blockId: string;
  done(): Promise<void>;
}

/** One webhook block over a pool of 2 workers (4 alerts in flight each), the block pipeline on this thread as the fallback. */
const rig = async (dir: AlertsDir, service: StandIn): Promise<Rig> => {
  const paths = wazuhPaths(dir.home);
  const [config] = loadConfigText(`<ossec_config><integration><name>custom-w</name><hook_url>${service.url}/w</hook_url><alert_format>json</alert_format><timeout>5</timeout></integration></ossec_config>`).integrations;
  if (config === undefined) throw new Error('no block');
  const started = startupCheck(config, paths);
  if (!started.enabled) throw new Error(started.reason);
  const registry = new WorkersRegistry();
  const metrics = createMetrics(registry);
  const pauses = new SharedPauses();
  const parts = createDeliveryParts({ paths, metrics, pauses });
  const pool = new WorkerPool({
    workers: 2,
    init: { paths, debug: 0, concurrency: 4, connections: 4, logDebug: 0, metricsEveryMs: 100, silences: false, backoff: { baseMs: 10, capMs: 20 } },
    deadLetters: parts.deadLetters,
    queue: parts.queue,
    pauses,
    registry,
  });
  const input = new Subject<Envelope>();
  const outcomes: Outcome[] = [];
  const subscription = input.pipe(workerDeliver(pool, config, blockDeliver(config, started.block, { ...parts, paths }))).subscribe((o) => outcomes.push(o));
  return {
    pool,
    registry,
    input,
    outcomes,
    state: paths.state,
    blockId: config.id,
    done: async () => {
      subscription.unsubscribe();
      await pool.close();
      await parts.close();
    },
  };
};

const send = (r: Rig, from: number, count: number): void => {
  for (let seq = from; seq < from + count; seq++) {
    const line = JSON.stringify({ timestamp: '2026-11-01T00:00:00.000+0000', rule: { level: 5, id: '5710' }, id: `c-${seq}` });
    const parsed = parseAlertLine(line);
    if (!parsed.ok) throw new Error('bad line');
    r.input.next({ alert: parsed.alert, seq, line });
  }
};

const route = suite('workerDeliver');

route('a worker that crashes mid-delivery loses nothing: its unsettled alerts are delivered again, the crash logged and counted, the worker replaced', async () => {
  const dir = new AlertsDir('route-crash');
  const service = await startStandIn({ answer: () => ({ status: 200, body: 'ok' }), delayMs: 300 });
  const log = captureLog(0);
  const r = await rig(dir, service);
  try {
    send(r, 0, 20);
    await eventually(() => service.received.length >= 8, 'both workers sending');
    const first = r.pool.live[0]!;
    await first.worker.terminate();
    await eventually(() => r.outcomes.length === 20, 'every alert settled');
    assert.equal([...new Set(r.outcomes.map((o) => o.seq))].sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i));
    assert.ok(r.outcomes.every((o) => o.kind === 'delivered'));
    assert.match(log.text(), /DeliveryWorkerCrashed worker=0/);
    assert.match(log.text(), /DeliveryWorkerLostAlerts block=0 integration=custom-w worker=0 alerts=\d+/);
    assert.match(await r.registry.metrics(), /integratord_worker_crashes_total 1\n/);
    // A new worker took the crashed one's place, and takes its share of later alerts.
    await eventually(() => r.pool.live.length === 2 && r.pool.live[0] !== first, 'worker 0 started again');
    send(r, 20, 10);
    await eventually(() => r.outcomes.length === 30, 'the later alerts settled');
    assert.is(new Set(r.outcomes.map((o) => o.seq)).size, 30);
  } finally {
    await r.done();
    log.restore();
    await service.close();
    dir.remove();
  }
});

route('dead letters from the workers are written by the main thread, one file per block, each alert once', async () => {
  const dir = new AlertsDir('route-dead');
  const service = await startStandIn({ answer: () => ({ status: 400, body: 'invalid_payload' }) });
  const log = captureLog(0);
  const r = await rig(dir, service);
  try {
    send(r, 0, 12);
    await eventually(() => r.outcomes.length === 12, 'every alert settled');
    assert.ok(r.outcomes.every((o) => o.kind === 'dead-lettered'));
    const records = readFileSync(join(r.state, 'dead-letter', `${r.blockId}.jsonl`), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { alert: { id: string }; status: number });
    assert.equal(records.map((x) => x.alert.id).sort(), Array.from({ length: 12 }, (_, i) => `c-${i}`).sort());
    assert.ok(records.every((x) => x.status === 400));
    // Both workers dead-lettered (the alerts went to each in turn), and their log lines reached this thread's log.
    assert.is(log.text().split('AlertDeadLettered').length - 1, 12);
  } finally {
    await r.done();
    log.restore();
    await service.close();
    dir.remove();
  }
});

route('a worker slot that crashed MAX_WORKER_RESTARTS times stays down; with no worker left the main thread delivers every alert', async () => {
  const dir = new AlertsDir('route-down');
  const service = await startStandIn({ answer: () => ({ status: 200, body: 'ok' }) });
  const log = captureLog(0);
  const r = await rig(dir, service);
  try {
    for (let crash = 0; crash <= MAX_WORKER_RESTARTS; crash++) {
      for (const slot of [...r.pool.live]) await slot.worker.terminate();
      if (crash < MAX_WORKER_RESTARTS) await eventually(() => r.pool.live.length === 2, `restarted after crash ${crash + 1}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.is(r.pool.live.length, 0);
    assert.match(await r.registry.metrics(), `integratord_worker_crashes_total ${2 * (MAX_WORKER_RESTARTS + 1)}\n`);
    send(r, 0, 10);
    await eventually(() => r.outcomes.length === 10, 'every alert settled on the main thread');
    assert.ok(r.outcomes.every((o) => o.kind === 'delivered'));
    assert.is(service.received.length, 10);
  } finally {
    await r.done();
    log.restore();
    await service.close();
    dir.remove();
  }
});

route.run();
