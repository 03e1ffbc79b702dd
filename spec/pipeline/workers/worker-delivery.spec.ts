// Specs for src/pipeline/workers/worker-delivery.ts (--workers N: blocks delivered over worker threads, pinned blocks on the main thread).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfigText } from '../../../src/config/load.js';
import { Integrator } from '../../../src/pipeline/integrator.js';
import type { BlockOutcome } from '../../../src/pipeline/outcome.js';
import { startWebhookStandIn } from '../../../src/stand-ins/webhook.js';
import { wazuhPaths } from '../../../src/wazuh-home.js';
import { AlertsDir } from '../../helpers/alerts-dir.js';
import { blockIdOf } from '../../helpers/block-config.js';
import { captureLog } from '../../helpers/capture-log.js';
import { eventually } from '../../helpers/eventually.js';

const config = (...blocks: string[]) => loadConfigText(`<ossec_config>${blocks.map((b) => `<integration>${b}</integration>`).join('')}</ossec_config>`).integrations;
const webhook = (name: string, url: string, extra = '') => `<name>${name}</name><hook_url>${url}/${name}</hook_url><alert_format>json</alert_format>${extra}`;
const idsOf = (received: readonly { url: string; json: unknown }[], path: string) => received.filter((r) => r.url === `/${path}`).map((r) => (r.json as { id: string }).id);

/** `count` alerts whose levels go 0..14 in turn (some pass a `<level>7</level>` filter, some do not). */
const mixedLines = (tag: string, count: number): string[] =>
  Array.from({ length: count }, (_, i) => JSON.stringify({ timestamp: '2026-11-01T00:00:00.000+0000', rule: { level: i % 15, id: '5710' }, id: `${tag}-${String(i).padStart(6, '0')}` }));

const workers = suite('WorkerDelivery: --workers 2');

workers('every alert of every block delivered exactly once, outcomes and cursor as with one thread, metrics added up', async () => {
  const dir = new AlertsDir('workers-once');
  const service = await startWebhookStandIn();
  const log = captureLog(0);
  let integrator: Integrator | undefined;
  try {
    integrator = new Integrator({ paths: wazuhPaths(dir.home), input: { kind: 'follow', alertsFile: dir.alerts, pollMs: 20 }, workers: 2, concurrency: 8 });
    const outcomes: BlockOutcome[] = [];
    integrator.outcomes$.subscribe((o) => outcomes.push(o));
    await integrator.start(config(webhook('custom-a', service.url), webhook('custom-b', service.url, '<level>7</level>')));
    const lines = mixedLines('w', 300);
    dir.append(lines);
    const wanted = lines.map((l) => JSON.parse(l) as { id: string; rule: { level: number } });
    const forB = wanted.filter((a) => a.rule.level >= 7).map((a) => a.id);
    // Lines a filter cannot take are settled in bulk by the reader (never emitted): 300 for custom-a, those of level >= 7 for custom-b.
    await eventually(() => outcomes.length === 300 + forB.length, 'every delivery settled');
    const counts = new Map(integrator.counts().map((c) => [c.config.name, c.counts]));
    await integrator.stop(2000);
    // Each worker sent its last metrics when it stopped: the main registry serves their sum under the same names.
    const text = await integrator.metrics.registry.metrics();
    assert.match(text, /integratord_alerts_delivered_total\{block="0",integration="custom-a"\} 300\n/);
    assert.match(text, new RegExp(`integratord_alerts_delivered_total\\{block="1",integration="custom-b"\\} ${forB.length}\\n`));
    // …and none of it was delivered on the main thread.
    assert.is((await integrator.metrics.alertsDelivered.get()).values.reduce((n, v) => n + v.value, 0), 0);
    assert.match(text, /integratord_block_enabled\{block="0",integration="custom-a"\} 1\n/);
    assert.equal(idsOf(service.received, 'custom-a').sort(), wanted.map((a) => a.id).sort());
    assert.equal(idsOf(service.received, 'custom-b').sort(), forB.sort());
    const a = outcomes.filter((o) => o.integration === 'custom-a');
    assert.is(a.filter((o) => o.kind === 'delivered').length, 300);
    assert.is(new Set(a.map((o) => o.seq)).size, 300);
    const b = outcomes.filter((o) => o.integration === 'custom-b');
    assert.is(b.filter((o) => o.kind === 'delivered').length, forB.length);
    assert.is(counts.get('custom-b')?.delivered, forB.length);
    assert.is((counts.get('custom-b')?.skipped ?? 0) + (counts.get('custom-b')?.prefiltered ?? 0), 300 - forB.length);
    assert.is(counts.get('custom-a')?.delivered, 300);
    for (const name of ['custom-a', 'custom-b']) {
      const cursor = JSON.parse(readFileSync(join(dir.home, 'var', 'integratord', 'cursors', `${blockIdOf(name, `${service.url}/${name}`)}.json`), 'utf8')) as { offset: number };
      assert.is(cursor.offset, statSync(dir.alerts).size);
    }
    assert.not.ok(log.text().includes('DeliveryWorkerCrashed'));
  } finally {
    await integrator?.stop(0);
    log.restore();
    await service.close();
    dir.remove();
  }
});

workers.run();

const pinned = suite('WorkerDelivery: blocks with per-block state stay on the main thread');

pinned('a <dedup_by> block delivers on the main thread (one dedup state), said once at start; a plain block beside it goes to the workers', async () => {
  const dir = new AlertsDir('workers-pinned');
  const service = await startWebhookStandIn();
  const log = captureLog(0);
  let integrator: Integrator | undefined;
  try {
    integrator = new Integrator({ paths: wazuhPaths(dir.home), input: { kind: 'follow', alertsFile: dir.alerts, pollMs: 20 }, workers: 2 });
    const blocks = loadConfigText(
      `<ossec_config><integration>${webhook('custom-dedup', service.url, '<dedup_by>rule.id</dedup_by>')}</integration><integration>${webhook('custom-plain', service.url)}</integration></ossec_config>`,
      'integratord.conf',
    ).integrations;
    await integrator.start(blocks);
    // 40 alerts, 4 rule ids: the dedup block sends one per rule id, wherever the alerts would have been spread.
    dir.append(Array.from({ length: 40 }, (_, i) => JSON.stringify({ timestamp: '2026-11-01T00:00:00.000+0000', rule: { level: 5, id: String(5700 + (i % 4)) }, id: `p-${i}` })));
    await eventually(() => idsOf(service.received, 'custom-plain').length === 40 && idsOf(service.received, 'custom-dedup').length === 4, 'the plain block all, the dedup block one per rule id');
    const own = (await integrator.metrics.alertsDelivered.get()).values;
    assert.is(own.find((v) => v.labels.integration === 'custom-dedup')?.value, 4);
    assert.is(own.find((v) => v.labels.integration === 'custom-plain'), undefined);
    assert.ok(log.text().includes("Block 0 ('custom-dedup') delivers on the main thread (noise control: its state keeps one owner)."));
    assert.not.ok(log.text().includes("Block 1 ('custom-plain') delivers on the main thread"));
  } finally {
    await integrator?.stop(0);
    log.restore();
    await service.close();
    dir.remove();
  }
});

pinned.run();

const pauses = suite('WorkerDelivery: a Retry-After pause crosses workers');

pauses('a 429 with Retry-After answered to one worker holds the destination in the other worker too', async () => {
  const dir = new AlertsDir('workers-pause');
  const service = await startWebhookStandIn({ delayMs: 20 });
  const log = captureLog(0);
  let integrator: Integrator | undefined;
  try {
    // One alert in flight per worker: while one waits out the pause, the other would go on at ~50 requests a second.
    integrator = new Integrator({ paths: wazuhPaths(dir.home), input: { kind: 'follow', alertsFile: dir.alerts, pollMs: 20 }, workers: 2, concurrency: 2 });
    await integrator.start(config(webhook('custom-a', service.url)));
    dir.append(mixedLines('r', 10));
    await eventually(() => service.received.length === 10, 'the first 10 delivered');
    service.script({ status: 429, headers: { 'retry-after': '1' }, body: 'slow down', delayMs: 0 });
    dir.append(mixedLines('s', 60));
    await eventually(() => service.received.length >= 71, 'the 60 more delivered (and the refused one again)');
    const refused = service.received[10]!.receivedAt;
    // Requests already on their way when the 429 came may still arrive; none is sent after the pause is known, until it ends.
    const during = service.received.filter((r) => r.receivedAt > refused + 150 && r.receivedAt < refused + 900);
    assert.equal(during.length, 0, `requests during the pause: ${during.length}`);
    assert.ok(service.received.some((r) => r.receivedAt >= refused + 900), 'deliveries resumed after the pause');
  } finally {
    await integrator?.stop(0);
    log.restore();
    await service.close();
    dir.remove();
  }
});

pauses.run();

const draining = suite('WorkerDelivery: stop drains every worker within the grace');

draining('deliveries still in flight in the workers when the grace ends are aborted, unsettled: the next start delivers them, none lost', async () => {
  const dir = new AlertsDir('workers-drain');
  const service = await startWebhookStandIn({ delayMs: 3000 });
  const log = captureLog(0);
  let second: Integrator | undefined;
  try {
    const paths = wazuhPaths(dir.home);
    const blocks = config(webhook('custom-a', service.url));
    const first = new Integrator({ paths, input: { kind: 'follow', alertsFile: dir.alerts, pollMs: 20, withoutCursor: 'beginning' }, workers: 2, concurrency: 4 });
    await first.start(blocks);
    const lines = mixedLines('d', 12);
    dir.append(lines);
    await eventually(() => service.received.length >= 4, 'deliveries in flight in both workers');
    const stopping = Date.now();
    await first.stop(300);
    // The grace (0.3 s), then the workers' own stop (they close at once): well before the 3 s answers.
    assert.ok(Date.now() - stopping < 2500, `stopped after ${Date.now() - stopping} ms`);
    assert.match(log.text(), /Grace period over: aborting the deliveries in flight of 'custom-a'/);
    service.setDelay(0);
    second = new Integrator({ paths, input: { kind: 'follow', alertsFile: dir.alerts, pollMs: 20 }, workers: 2 });
    await second.start(blocks);
    const all = lines.map((l) => (JSON.parse(l) as { id: string }).id);
    await eventually(() => all.every((id) => idsOf(service.received, 'custom-a').includes(id)), 'every alert delivered after the restart');
  } finally {
    await second?.stop(0);
    log.restore();
    await service.close();
    dir.remove();
  }
});

draining.run();

const reloading = suite('WorkerDelivery: reload');

reloading('a block changed by a reload is opened again in the workers and delivers on from its cursor: every alert once', async () => {
  const dir = new AlertsDir('workers-reload');
  const service = await startWebhookStandIn();
  const log = captureLog(0);
  let integrator: Integrator | undefined;
  try {
    integrator = new Integrator({ paths: wazuhPaths(dir.home), input: { kind: 'follow', alertsFile: dir.alerts, pollMs: 20 }, workers: 2 });
    await integrator.start(config(webhook('custom-a', service.url)));
    const before = mixedLines('before', 60);
    dir.append(before);
    await eventually(() => idsOf(service.received, 'custom-a').length === 60, 'the first 60');
    const changed = await integrator.reload(config(webhook('custom-a', service.url, '<timeout>7</timeout>')));
    assert.is(changed.stopped, 1);
    const after = mixedLines('after', 60);
    dir.append(after);
    await eventually(() => idsOf(service.received, 'custom-a').length >= 120, 'the next 60');
    const ids = idsOf(service.received, 'custom-a');
    assert.equal([...ids].sort(), [...before, ...after].map((l) => (JSON.parse(l) as { id: string }).id).sort());
  } finally {
    await integrator?.stop(0);
    log.restore();
    await service.close();
    dir.remove();
  }
});

reloading.run();
