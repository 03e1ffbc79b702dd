// Specs for src/library/push-integrator.ts (alerts an app pushes: send, a Writable, an observable; bounded, nothing lost at stop).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { join } from 'node:path';
import { map, Subject } from 'rxjs';
import { loadConfigText } from '../../src/config/load.js';
import { DeadLetterStore } from '../../src/delivery/dead-letter.js';
import type { IntegratordError } from '../../src/errors.js';
import { createIntegrator } from '../../src/library/create-integrator.js';
import type { BlockOutcome } from '../../src/pipeline/outcome.js';
import { alertLine } from '../helpers/alert-line.js';
import { AlertsDir } from '../helpers/alerts-dir.js';
import { quietDuring } from '../helpers/capture-log.js';
import { eventually } from '../helpers/eventually.js';
import { expectRejection } from '../helpers/expect-rejection.js';
import { ossecConf, webhookBlock } from '../helpers/ossec-conf.js';

const alert = (id: string, level = 12) => JSON.parse(alertLine(id, { level })) as Record<string, unknown>;

/** A real loopback webhook that holds every request until the spec releases it (or answers at once when open). */
const gatedService = async () => {
  const waiting: ServerResponse[] = [];
  const ids: string[] = [];
  let open = false;
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      ids.push(String((JSON.parse(body) as { id?: unknown }).id));
      if (open) response.end('{}');
      else waiting.push(response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    ids,
    /** Requests received and not answered yet. */
    get waiting() {
      return waiting.length;
    },
    releaseOne: () => waiting.shift()?.end('{}'),
    openAll: () => {
      open = true;
      for (const response of waiting.splice(0)) response.end('{}');
    },
    close: async () => {
      for (const response of waiting.splice(0)) response.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
};

let dir: AlertsDir;
const push = suite('PushIntegrator: send, writable and alerts$');
quietDuring(push);
push.before(() => {
  dir = new AlertsDir('lib-push');
});
push.after(() => dir.remove());

push('send() resolves once the alert is final in every block: delivered in one, skipped with the reason in the other', async () => {
  const service = await gatedService();
  service.openAll();
  try {
    const configs = loadConfigText(ossecConf(webhookBlock('custom-a', `${service.url}/a`), webhookBlock('custom-b', `${service.url}/b`, '<level>10</level>'))).integrations;
    const integrator = await createIntegrator({ config: configs, home: dir.home, state: join(dir.home, 's1') });
    const outcomes = await integrator.send(alert('A1', 5));
    assert.equal(outcomes.map((o) => `${o.block}:${o.kind}${o.kind === 'skipped' ? `(${o.reason})` : ''}`).sort(), ['0:delivered', '1:skipped(level)']);
    assert.equal(service.ids, ['A1']);
    // Every outcome names the alert (its id) and the block (its stable id); seq is the alert's position in the input, the same in every block.
    const [a, b] = [...outcomes].sort((x, y) => x.block - y.block);
    assert.equal([a?.id, a?.blockId, a?.seq, b?.id, b?.blockId, b?.seq], ['A1', configs[0]?.id, 0, 'A1', configs[1]?.id, 0]);
    assert.ok(a?.blockId !== b?.blockId && /\S/.test(a?.blockId ?? ''));
    assert.equal(await integrator.send(42), [
      { kind: 'rejected', seq: 1, reason: 'not-an-object', block: 0, integration: 'custom-a', blockId: configs[0]?.id },
      { kind: 'rejected', seq: 1, reason: 'not-an-object', block: 1, integration: 'custom-b', blockId: configs[1]?.id },
    ]);
    await integrator.stop();
  } finally {
    await service.close();
  }
});

push('alerts pushed right after creation, before anyone subscribes, all get their outcomes (alerts$ and send)', async () => {
  const service = await gatedService();
  service.openAll();
  try {
    const alerts$ = new Subject<unknown>();
    const integrator = await createIntegrator({ config: ossecConf(webhookBlock('custom-a', `${service.url}/a`)), alerts$, home: dir.home, state: join(dir.home, 's2') });
    alerts$.next(alert('E1'));
    alerts$.next(alert('E2'));
    const sent = integrator.send(alert('E3'));
    alerts$.next(alert('E4', 3));
    const seen: BlockOutcome[] = [];
    integrator.outcomes$.subscribe((o) => seen.push(o));
    alerts$.complete();
    await integrator.done();
    assert.is((await sent)[0]?.kind, 'delivered');
    assert.equal(seen.map((o) => o.kind), ['delivered', 'delivered', 'delivered', 'delivered']);
    assert.equal([...service.ids].sort(), ['E1', 'E2', 'E3', 'E4']);
  } finally {
    await service.close();
  }
});

push('send() waits for room (maxWaiting: Infinity): never more than highWaterMark alerts are held, however many the app sends at once', async () => {
  const service = await gatedService();
  try {
    const integrator = await createIntegrator({ config: ossecConf(webhookBlock('custom-a', `${service.url}/a`)), home: dir.home, state: join(dir.home, 's3'), highWaterMark: 4, concurrency: 2, maxWaiting: Infinity, stallMs: 60_000 });
    const sends = Array.from({ length: 30 }, (_, n) => integrator.send(alert(`B${n}`)));
    let resolved = 0;
    for (const s of sends) void s.then(() => resolved++);
    await eventually(() => service.waiting === 2, 'the first two deliveries reach the service');
    assert.is(integrator.held, 4, 'four accepted, 26 waiting for room');
    let most = integrator.held;
    while (resolved < 30) {
      service.releaseOne();
      await new Promise((resolve) => setImmediate(resolve));
      most = Math.max(most, integrator.held);
      if (service.waiting === 0 && resolved < 30) await eventually(() => service.waiting > 0 || resolved === 30, 'the next delivery');
    }
    assert.is(most, 4);
    const outcomes = await Promise.all(sends);
    assert.ok(outcomes.every((o) => o.length === 1 && o[0]?.kind === 'delivered'));
    assert.equal([...service.ids].sort(), Array.from({ length: 30 }, (_, n) => `B${n}`).sort());
    await integrator.stop();
  } finally {
    await service.close();
  }
});

push('writable() works in stream.pipeline: the source is paused while the integrator is full, and finishes once every alert settled', async () => {
  const service = await gatedService();
  try {
    const integrator = await createIntegrator({ config: ossecConf(webhookBlock('custom-a', `${service.url}/a`)), home: dir.home, state: join(dir.home, 's4'), highWaterMark: 3, concurrency: 1 });
    let pulled = 0;
    const source = Readable.from((function* () {
      for (let n = 0; n < 20; n++) {
        pulled++;
        yield alert(`W${n}`);
      }
    })(), { highWaterMark: 1 });
    let finished = false;
    const piped = pipeline(source, integrator.writable()).then(() => (finished = true));
    await eventually(() => service.waiting === 1, 'the first delivery reaches the service');
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.is(integrator.held, 3);
    assert.ok(pulled < 20, `the source was paused (pulled ${pulled})`);
    assert.not.ok(finished);
    service.openAll();
    await piped;
    assert.is(integrator.held, 0, 'every alert settled before the pipeline finished');
    assert.equal(service.ids, Array.from({ length: 20 }, (_, n) => `W${n}`));
    await integrator.stop();
  } finally {
    await service.close();
  }
});

push('alerts$ beyond highWaterMark waits in its buffer; beyond `sourceBuffer` it is dead-lettered `overflow`: every value gets its outcome, done() resolves', async () => {
  const service = await gatedService();
  try {
    const alerts$ = new Subject<unknown>();
    const state = join(dir.home, 's5');
    const integrator = await createIntegrator({ config: ossecConf(webhookBlock('custom-a', `${service.url}/a`)), alerts$, home: dir.home, state, highWaterMark: 2, sourceBuffer: 2 });
    const seen: BlockOutcome[] = [];
    integrator.outcomes$.subscribe((o) => seen.push(o));
    for (let n = 0; n < 6; n++) alerts$.next(alert(`O${n}`));
    assert.equal([integrator.held, integrator.waiting], [4, 2], 'two in the block, two dead-lettering, two waiting');
    assert.ok(alerts$.observed, 'the source stays subscribed');
    alerts$.complete();
    service.openAll();
    await integrator.done();
    const kinds = new Map(seen.map((o) => [o.id, o.kind === 'dead-lettered' ? o.reason : o.kind]));
    assert.equal([...kinds].sort(), [['O0', 'delivered'], ['O1', 'delivered'], ['O2', 'delivered'], ['O3', 'delivered'], ['O4', 'overflow'], ['O5', 'overflow']]);
    assert.equal([...service.ids].sort(), ['O0', 'O1', 'O2', 'O3']);
    const records = await new DeadLetterStore(state).records();
    assert.equal(records.map((r) => [r.alert['id'], r.reason]).sort(), [['O4', 'overflow'], ['O5', 'overflow']]);
  } finally {
    await service.close();
  }
});

push('concurrency above 8 uses as many connections to one destination (connections default to max(8, concurrency))', async () => {
  const service = await gatedService();
  try {
    const integrator = await createIntegrator({ config: ossecConf(webhookBlock('custom-a', `${service.url}/a`)), home: dir.home, state: join(dir.home, 's6'), concurrency: 12 });
    const sends = Array.from({ length: 12 }, (_, n) => integrator.send(alert(`C${n}`)));
    await eventually(() => service.waiting === 12, 'twelve requests in flight at once');
    service.openAll();
    await Promise.all(sends);
    await integrator.stop();
  } finally {
    await service.close();
  }
});

const bounded = suite('PushIntegrator: bounded callers');
quietDuring(bounded);
bounded.before(() => {
  dir = new AlertsDir('lib-push-bounded');
});
bounded.after(() => dir.remove());

bounded('once maxWaiting callers wait, send() rejects at once with INTEGRATORD_BACKPRESSURE (the alert not taken); the waiting ones are delivered', async () => {
  const service = await gatedService();
  try {
    const integrator = await createIntegrator({ config: ossecConf(webhookBlock('custom-a', `${service.url}/a`)), home: dir.home, state: join(dir.home, 'b1'), highWaterMark: 1, maxWaiting: 2 });
    const sends = ['W0', 'W1', 'W2'].map((id) => integrator.send(alert(id)));
    assert.equal([integrator.held, integrator.waiting], [1, 2]);
    const refused = await expectRejection(() => integrator.send(alert('W3')), /2 callers already wait/);
    assert.is((refused as IntegratordError).code, 'INTEGRATORD_BACKPRESSURE');
    service.openAll();
    assert.equal((await Promise.all(sends)).map((o) => o[0]?.kind), ['delivered', 'delivered', 'delivered']);
    assert.equal([...service.ids].sort(), ['W0', 'W1', 'W2']);
    await integrator.stop();
  } finally {
    await service.close();
  }
});

bounded('send(alert, { signal }): aborted while waiting, it rejects with INTEGRATORD_ABORTED and is never sent; an accepted alert ignores its signal', async () => {
  const service = await gatedService();
  try {
    const integrator = await createIntegrator({ config: ossecConf(webhookBlock('custom-a', `${service.url}/a`)), home: dir.home, state: join(dir.home, 'b2'), highWaterMark: 1 });
    const first = new AbortController();
    const accepted = integrator.send(alert('A0'), { signal: first.signal });
    const second = new AbortController();
    const waiting = integrator.send(alert('A1'), { signal: second.signal });
    const third = integrator.send(alert('A2'));
    first.abort();
    second.abort(new Error('client went away'));
    const aborted = await expectRejection(() => waiting, /aborted before the alert was accepted/);
    assert.equal([(aborted as IntegratordError).code, ((aborted as IntegratordError).cause as Error).message], ['INTEGRATORD_ABORTED', 'client went away']);
    assert.is(integrator.waiting, 1);
    const already = await expectRejection(() => integrator.send(alert('A3'), { signal: AbortSignal.abort() }));
    assert.is((already as IntegratordError).code, 'INTEGRATORD_ABORTED');
    service.openAll();
    assert.equal([(await accepted)[0]?.kind, (await third)[0]?.kind], ['delivered', 'delivered']);
    assert.equal([...service.ids].sort(), ['A0', 'A2']);
    await integrator.stop();
  } finally {
    await service.close();
  }
});

bounded('submit(): `accepted` resolves when the alert enters the block, `settled` with its outcomes; whenReady() waits for room without queuing', async () => {
  const service = await gatedService();
  try {
    const integrator = await createIntegrator({ config: ossecConf(webhookBlock('custom-a', `${service.url}/a`)), home: dir.home, state: join(dir.home, 'b3'), highWaterMark: 1 });
    const events: string[] = [];
    const first = integrator.submit(alert('U0'));
    const second = integrator.submit(alert('U1'));
    for (const [name, promise] of [['U0 accepted', first.accepted], ['U0 settled', first.settled], ['U1 accepted', second.accepted], ['U1 settled', second.settled]] as const) void promise.then(() => events.push(name));
    const ready = integrator.whenReady().then(() => events.push('ready'));
    await eventually(() => service.waiting === 1, 'U0 in flight');
    assert.equal(events, ['U0 accepted']);
    service.releaseOne();
    await eventually(() => service.waiting === 1, 'U1 in flight');
    assert.equal(events, ['U0 accepted', 'U0 settled', 'U1 accepted']);
    service.releaseOne();
    await ready;
    assert.equal(events, ['U0 accepted', 'U0 settled', 'U1 accepted', 'U1 settled', 'ready']);
    assert.is((await second.settled)[0]?.kind, 'delivered');
    await integrator.stop();
    const stopped = await expectRejection(() => integrator.whenReady());
    assert.is((stopped as IntegratordError).code, 'INTEGRATORD_STOPPED');
  } finally {
    await service.close();
  }
});

bounded('writable(): when the pipeline fails, every alert the Writable took (its buffer, the one waiting for room) still gets its outcome', async () => {
  const service = await gatedService();
  try {
    const integrator = await createIntegrator({ config: ossecConf(webhookBlock('custom-a', `${service.url}/a`)), home: dir.home, state: join(dir.home, 'b4'), highWaterMark: 3, stallMs: 60_000 });
    const seen: BlockOutcome[] = [];
    integrator.outcomes$.subscribe((o) => seen.push(o));
    const writable = integrator.writable();
    let taken = 0;
    const write = writable.write.bind(writable);
    writable.write = ((chunk: unknown, ...rest: never[]) => {
      taken++;
      return write(chunk, ...rest);
    }) as typeof writable.write;
    const source = new Readable({ objectMode: true, read: () => undefined });
    for (let n = 0; n < 20; n++) source.push(alert(`F${n}`));
    let thrown = false;
    setTimeout(() => {
      thrown = true;
      source.destroy(new Error('line 21 is not JSON'));
    }, 50);
    const failed = expectRejection(() => pipeline(source, writable), /line 21 is not JSON/);
    await eventually(() => thrown, 'the source failed');
    // The Writable took more than the block holds: the rest waits in line (or in its buffer) while the pipeline fails.
    assert.ok(taken > 3, `the Writable took ${taken} alerts, more than the block holds`);
    service.openAll();
    await failed;
    await eventually(() => seen.length === taken, `${taken} outcomes`);
    assert.ok(seen.every((o) => o.kind === 'delivered'), JSON.stringify(seen.map((o) => [o.id, o.kind])));
    assert.equal(new Set(service.ids).size, taken);
    await integrator.stop();
  } finally {
    await service.close();
  }
});

bounded.run();

push.run();

const stopping = suite('PushIntegrator: stop');
quietDuring(stopping);
stopping.before(() => {
  dir = new AlertsDir('lib-push-stop');
});
stopping.after(() => dir.remove());

stopping('stop() with deliveries in flight: every accepted alert is delivered or dead-lettered with reason `stopped` (in the dead-letter store); later sends reject', async () => {
  const service = await gatedService();
  try {
    const state = join(dir.home, 'stop1');
    const integrator = await createIntegrator({ config: ossecConf(webhookBlock('custom-a', `${service.url}/a`)), home: dir.home, state, concurrency: 2 });
    const sends = Array.from({ length: 6 }, (_, n) => integrator.send(alert(`S${n}`)));
    await eventually(() => service.waiting === 2, 'two deliveries in flight');
    service.releaseOne();
    const stopped = integrator.stop({ graceMs: 300 });
    await expectRejection(() => integrator.send(alert('late')), /accepts no more alerts/);
    const counts = await stopped;
    assert.equal(counts, { delivered: 1, skipped: 0, deadLettered: 5, rejected: 0, stopped: 5, overflowed: 0 });
    const outcomes = (await Promise.all(sends)).map((o) => o[0]);
    assert.equal(outcomes.map((o) => (o?.kind === 'dead-lettered' ? o.reason : o?.kind)), ['delivered', 'stopped', 'stopped', 'stopped', 'stopped', 'stopped']);
    const records = await new DeadLetterStore(state).records();
    assert.equal(records.map((r) => [r.alert['id'], r.reason, r.integration]).sort(), [1, 2, 3, 4, 5].map((n) => [`S${n}`, 'stopped', 'custom-a']));
    assert.not.ok(service.ids.includes('late'));
  } finally {
    await service.close();
  }
});

stopping('stop() returns at once when nothing is in flight, and an aborted signal cuts the grace short', async () => {
  const service = await gatedService();
  try {
    const idle = await createIntegrator({ config: ossecConf(webhookBlock('custom-a', `${service.url}/a`)), home: dir.home, state: join(dir.home, 'stop2') });
    const deadline = new Promise((resolve) => setTimeout(() => resolve('waited'), 5000).unref());
    assert.equal(await Promise.race([idle.stop({ graceMs: 60_000 }), deadline]), { delivered: 0, skipped: 0, deadLettered: 0, rejected: 0, stopped: 0, overflowed: 0 });
    const busy = await createIntegrator({ config: ossecConf(webhookBlock('custom-a', `${service.url}/a`)), home: dir.home, state: join(dir.home, 'stop3') });
    const sent = busy.send(alert('G1'));
    await eventually(() => service.waiting === 1, 'one delivery in flight');
    const abort = new AbortController();
    const stopped = busy.stop({ graceMs: 60_000, signal: abort.signal });
    abort.abort();
    assert.equal(await Promise.race([stopped, deadline]), { delivered: 0, skipped: 0, deadLettered: 1, rejected: 0, stopped: 1, overflowed: 0 });
    assert.is((await sent)[0]?.kind, 'dead-lettered');
  } finally {
    await service.close();
  }
});

stopping('stop({ graceMs: 500 }) with 3,000 alerts held by a hanging service returns within 1.5 s, every one dead-lettered `stopped` in the store', async () => {
  const service = await gatedService();
  try {
    const state = join(dir.home, 'stop4');
    const integrator = await createIntegrator({ config: ossecConf(webhookBlock('custom-a', `${service.url}/a`)), home: dir.home, state, highWaterMark: 3000 });
    const sends = Array.from({ length: 3000 }, (_, n) => integrator.send(alert(`Q${n}`)));
    await eventually(() => service.waiting === 4, 'four requests hanging');
    const started = Date.now();
    const counts = await integrator.stop({ graceMs: 500 });
    const took = Date.now() - started;
    assert.ok(took < 1500, `stop took ${took} ms`);
    process.stderr.write(`  (stop with 3,000 held, grace 500 ms: ${took} ms)\n`);
    assert.equal([counts.stopped, counts.deadLettered, counts.delivered], [3000, 3000, 0]);
    const outcomes = await Promise.all(sends);
    assert.ok(outcomes.every((o) => o[0]?.kind === 'dead-lettered' && o[0].reason === 'stopped'));
    assert.is(new Set((await new DeadLetterStore(state).records()).map((r) => r.alert['id'])).size, 3000);
  } finally {
    await service.close();
  }
});

stopping('a signal ends stop() at once, whatever the grace: 3,000 held alerts dead-lettered well within a second', async () => {
  const service = await gatedService();
  try {
    const integrator = await createIntegrator({ config: ossecConf(webhookBlock('custom-a', `${service.url}/a`)), home: dir.home, state: join(dir.home, 'stop5'), highWaterMark: 3000 });
    const sends = Array.from({ length: 3000 }, (_, n) => integrator.send(alert(`T${n}`)));
    await eventually(() => service.waiting === 4, 'four requests hanging');
    const started = Date.now();
    const counts = await integrator.stop({ graceMs: 60_000, signal: AbortSignal.timeout(300) });
    const took = Date.now() - started;
    assert.ok(took < 1000, `stop took ${took} ms`);
    process.stderr.write(`  (stop with 3,000 held, signal after 300 ms: ${took} ms)\n`);
    assert.is(counts.stopped, 3000);
    assert.is((await Promise.all(sends)).length, 3000);
  } finally {
    await service.close();
  }
});

stopping('in-flight requests that answer within the grace count as delivered, not dead-lettered', async () => {
  const service = await gatedService();
  try {
    const integrator = await createIntegrator({ config: ossecConf(webhookBlock('custom-a', `${service.url}/a`)), home: dir.home, state: join(dir.home, 'stop6'), concurrency: 2 });
    const sends = ['I0', 'I1'].map((id) => integrator.send(alert(id)));
    await eventually(() => service.waiting === 2, 'two requests in flight');
    const stopped = integrator.stop({ graceMs: 5000 });
    setTimeout(() => service.openAll(), 100);
    const counts = await stopped;
    assert.equal([counts.delivered, counts.stopped], [2, 0]);
    assert.equal((await Promise.all(sends)).map((o) => o[0]?.kind), ['delivered', 'delivered']);
  } finally {
    await service.close();
  }
});

stopping('an app operator that throws in alerts$: no unhandled error escapes (outcomes$ completes), done() rejects with it', async () => {
  const service = await gatedService();
  service.openAll();
  const uncaught: unknown[] = [];
  const onUncaught = (error: unknown) => uncaught.push(error);
  process.on('uncaughtException', onUncaught);
  try {
    const input = new Subject<Record<string, unknown>>();
    const alerts$ = input.pipe(
      map((a) => {
        if (a['id'] === 'boom') throw new Error('app bug');
        return a;
      }),
    );
    const integrator = await createIntegrator({ config: ossecConf(webhookBlock('custom-a', `${service.url}/a`)), alerts$, home: dir.home, state: join(dir.home, 'stop4') });
    const seen: string[] = [];
    let completed = false;
    // No error handler: an error on outcomes$ would be thrown asynchronously (rxjs reportUnhandledError).
    integrator.outcomes$.subscribe({ next: (o) => seen.push(o.kind), complete: () => (completed = true) });
    input.next(alert('fine'));
    input.next(alert('boom'));
    await expectRejection(() => integrator.done(), /app bug/);
    await integrator.stop();
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(uncaught, []);
    assert.ok(completed);
    assert.equal(seen, ['delivered']);
  } finally {
    process.off('uncaughtException', onUncaught);
    await service.close();
  }
});

stopping.run();
