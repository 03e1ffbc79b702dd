// Specs for src/library/create-integrator.ts (The library entry: an integrator from a configuration and an alert source, as observables of outcomes).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { from, Observable, Subject, type Observer, type Subscribable } from 'rxjs';
import { loadConfigText } from '../../src/config/load.js';
import { IntegratordError } from '../../src/errors.js';
import { createIntegrator, type EmbeddedIntegrator } from '../../src/library/create-integrator.js';
import type { BlockOutcome } from '../../src/pipeline/outcome.js';
import type { StandIn } from '../../src/stand-ins/stand-in-server.js';
import { startWebhookStandIn } from '../../src/stand-ins/webhook.js';
import { alertLine, receivedIds } from '../helpers/alert-line.js';
import { AlertsDir } from '../helpers/alerts-dir.js';
import { captureLog, quietDuring } from '../helpers/capture-log.js';
import { eventually } from '../helpers/eventually.js';
import { expectRejection } from '../helpers/expect-rejection.js';
import { ossecConf, webhookBlock } from '../helpers/ossec-conf.js';
import { loadSecondRxjs } from '../helpers/second-rxjs.js';
import { tempDirSync } from '../helpers/temp-dir.js';

const alert = (id: string, level = 12) => JSON.parse(alertLine(id, { level })) as Record<string, unknown>;
const at = (service: StandIn, path: string) => service.received.filter((r) => r.url === path);
/** Subscribes to every outcome (before alerts flow), waits for the end, stops. */
const collect = async (integrator: EmbeddedIntegrator): Promise<BlockOutcome[]> => {
  const outcomes: BlockOutcome[] = [];
  integrator.outcomes$.subscribe((o) => outcomes.push(o));
  await integrator.done();
  await integrator.stop();
  return outcomes;
};
const summary = (outcomes: readonly BlockOutcome[]) =>
  outcomes.map((o) => `${o.block}:${o.seq}:${o.kind}${o.kind === 'rejected' || o.kind === 'skipped' ? `(${o.reason})` : ''}`).sort();

let service: StandIn;
let dir: AlertsDir;

const pushed = suite('createIntegrator: alerts pushed by the app');
quietDuring(pushed);
pushed.before(async () => {
  service = await startWebhookStandIn();
  dir = new AlertsDir('lib-pushed');
});
pushed.after(async () => {
  await service.close();
  dir.remove();
});

pushed('gives every alert of a synchronous from([...]) to EVERY enabled block, and lists the disabled ones', async () => {
  const integrator = await createIntegrator({
    config: ossecConf(webhookBlock('custom-a', `${service.url}/a`), '<name>slack</name>', webhookBlock('custom-b', `${service.url}/b`, '<level>10</level>')),
    alerts$: from([alert('P1'), alert('P2', 5), alert('P3')]),
    home: dir.home,
  });
  assert.equal(integrator.disabled, [{ block: 1, integration: 'slack', reason: "Unable to enable integration for: 'slack'. Missing hook URL." }]);
  const outcomes = await collect(integrator);
  assert.equal(summary(outcomes), ['0:0:delivered', '0:1:delivered', '0:2:delivered', '2:0:delivered', '2:1:skipped(level)', '2:2:delivered']);
  assert.equal(receivedIds(at(service, '/a')).sort(), ['P1', 'P2', 'P3']);
  assert.equal(receivedIds(at(service, '/b')).sort(), ['P1', 'P3']);
  assert.ok(outcomes.every((o) => o.integration === (o.block === 0 ? 'custom-a' : 'custom-b')));
});

pushed('the README pattern with from() of 100,000 alerts: each gets its outcome (they wait in the alerts$ buffer), done() resolves', async () => {
  const before = service.count;
  const alerts = Array.from({ length: 100_000 }, (_, n) => alert(`M${n}`, n % 100 === 0 ? 12 : 3));
  const integrator = await createIntegrator({ config: ossecConf(webhookBlock('custom-a', `${service.url}/a`, '<level>10</level>')), alerts$: from(alerts), home: dir.home, highWaterMark: 100 });
  assert.ok(integrator.waiting > 0, 'a synchronous from() filled the blocks: the rest waits in the buffer');
  const kinds = { delivered: 0, skipped: 0, other: 0 };
  integrator.outcomes$.subscribe((o) => (o.kind === 'delivered' || o.kind === 'skipped' ? kinds[o.kind]++ : kinds.other++));
  await integrator.done();
  assert.equal(kinds, { delivered: 1000, skipped: 99_000, other: 0 });
  assert.is(service.count - before, 1000);
});

pushed('turns values that are not JSON objects into `rejected` outcomes in every block, keeping the rest', async () => {
  const before = service.count;
  const integrator = await createIntegrator({
    config: loadConfigText(ossecConf(webhookBlock('custom-a', `${service.url}/a`), webhookBlock('custom-b', `${service.url}/b`))).integrations,
    alerts$: from([42, alert('N1'), 'text', null, [alert('N2')]]),
    home: dir.home,
  });
  const outcomes = await collect(integrator);
  const reject = (block: number, seq: number) => `${block}:${seq}:rejected(not-an-object)`;
  assert.equal(summary(outcomes), [reject(0, 0), '0:1:delivered', reject(0, 2), reject(0, 3), reject(0, 4), reject(1, 0), '1:1:delivered', reject(1, 2), reject(1, 3), reject(1, 4)].sort());
  assert.is(service.count - before, 2);
});

pushed('stop(graceMs) ends an endless source: outcomes$ completes and done() resolves', async () => {
  const alerts$ = new Subject<unknown>();
  const integrator = await createIntegrator({ config: ossecConf(webhookBlock('custom-a', `${service.url}/a`)), alerts$, home: dir.home });
  const outcomes: BlockOutcome[] = [];
  let completed = false;
  integrator.outcomes$.subscribe({ next: (o) => outcomes.push(o), complete: () => (completed = true) });
  await new Promise((resolve) => setImmediate(resolve));
  alerts$.next(alert('S1'));
  await eventually(() => outcomes.length === 1, 'S1 delivered');
  await integrator.stop(50);
  assert.ok(completed);
  await integrator.done();
  assert.is(outcomes[0]?.kind, 'delivered');
});

pushed.run();

const followed = suite('createIntegrator: a followed alerts file');
quietDuring(followed);
followed.before(async () => {
  service = await startWebhookStandIn();
  dir = new AlertsDir('lib-followed');
});
followed.after(async () => {
  await service.close();
  dir.remove();
});

followed('follows the file (from the beginning when asked) and resumes from each block’s cursor after stop', async () => {
  const configFile = join(dir.home, 'etc', 'ossec.conf');
  writeFileSync(configFile, ossecConf(webhookBlock('custom-a', `${service.url}/a`)));
  const state = join(dir.home, 'state');
  dir.append([alertLine('F1')]);
  const first = await createIntegrator({ configFile, alertsFile: dir.alerts, state, home: dir.home, fromBeginning: true });
  assert.equal(first.disabled, []);
  await eventually(() => service.count >= 1, 'F1 (already in the file)');
  dir.append([alertLine('F2')]);
  await eventually(() => service.count >= 2, 'F2 (appended)');
  await first.stop(1000);

  dir.append([alertLine('F3')]);
  const second = await createIntegrator({ configFile, alertsFile: dir.alerts, state, home: dir.home });
  const outcomes: BlockOutcome[] = [];
  second.outcomes$.subscribe((o) => outcomes.push(o));
  await eventually(() => service.count >= 3, 'F3 (written while stopped)');
  await second.stop(1000);
  assert.equal(receivedIds(service.received), ['F1', 'F2', 'F3']);
  assert.equal(outcomes.map((o) => o.kind), ['delivered']);
  // The outcome names the alert and the block (its stable id), as in push mode.
  const [config] = loadConfigText(ossecConf(webhookBlock('custom-a', `${service.url}/a`))).integrations;
  assert.equal(outcomes.map((o) => [o.id, o.blockId]), [['F3', config?.id]]);
});

followed.run();

const logged = suite('createIntegrator: a logger per integrator');
logged.before(async () => {
  service = await startWebhookStandIn();
  dir = new AlertsDir('lib-logger');
});
logged.after(async () => {
  await service.close();
  dir.remove();
});

/** A LogOptions sink keeping its lines (debug: AlertDelivered is logged per alert). */
const sink = () => {
  const lines: string[] = [];
  return { lines, options: { debug: 1, destination: { write: (line: string) => lines.push(line.trimEnd()) } } };
};

logged('two integrators log to their own sinks (startup, deliveries, dead letters at stop), the process-wide logger gets none of it', async () => {
  const processWide = captureLog();
  const a = sink();
  const b = sink();
  try {
    const alerts$ = new Subject<unknown>();
    const first = await createIntegrator({ config: ossecConf(webhookBlock('custom-a', `${service.url}/a`)), home: dir.home, logger: a.options });
    const second = await createIntegrator({ config: ossecConf(webhookBlock('custom-b', `${service.url}/b`)), home: dir.home, alerts$, logger: b.options });
    // Sent from the spec's own context, interleaved: send() for one, the app's observable for the other.
    alerts$.next(alert('B1'));
    const sent = await first.send(alert('A1'));
    alerts$.next(alert('B2'));
    await first.send(alert('A2'));
    await eventually(() => at(service, '/b').length === 2, 'B1 and B2 delivered');
    assert.is(sent[0]?.kind, 'delivered');
    // An alert still in flight at stop (the service hangs): dead-lettered, logged by its own integrator.
    service.script('hang');
    const hanging = first.send(alert('A3'));
    await eventually(() => at(service, '/a').length === 3, 'A3 in flight');
    assert.is((await first.stop({ graceMs: 10 })).stopped, 1);
    assert.is((await hanging)[0]?.kind, 'dead-lettered');
    await second.stop();

    const alertIds = (lines: readonly string[], message: string) => lines.filter((l) => l.includes(message)).map((l) => /alert_id=(\S+)/.exec(l)?.[1]);
    assert.ok(a.lines.some((l) => l.includes("INFO: Enabling integration for: 'custom-a'.")), a.lines.join('\n'));
    assert.ok(b.lines.some((l) => l.includes("INFO: Enabling integration for: 'custom-b'.")), b.lines.join('\n'));
    assert.equal(alertIds(a.lines, 'AlertDelivered'), ['A1', 'A2']);
    assert.equal(alertIds(b.lines, 'AlertDelivered'), ['B1', 'B2']);
    assert.equal(alertIds(a.lines, 'AlertDeadLettered'), ['A3']);
    assert.not.ok(a.lines.some((l) => l.includes('custom-b')), a.lines.join('\n'));
    assert.not.ok(b.lines.some((l) => l.includes('custom-a') || l.includes('A3')), b.lines.join('\n'));
    assert.not.ok(processWide.text().includes('custom-'), processWide.text());
  } finally {
    processWide.restore();
  }
});

logged('a followed file logs to its integrator\'s sink, not to the process-wide logger', async () => {
  const processWide = captureLog();
  const a = sink();
  try {
    dir.append([alertLine('L1')]);
    const integrator = await createIntegrator({ config: ossecConf(webhookBlock('custom-f', `${service.url}/f`)), alertsFile: dir.alerts, home: dir.home, state: join(dir.home, 'logger-state'), fromBeginning: true, logger: a.options });
    await eventually(() => at(service, '/f').length === 1, 'L1 delivered');
    await integrator.stop(1000);
    assert.ok(a.lines.some((l) => l.includes("Enabling integration for: 'custom-f'.")), a.lines.join('\n'));
    assert.equal(a.lines.filter((l) => l.includes('AlertDelivered')).map((l) => /alert_id=(\S+)/.exec(l)?.[1]), ['L1']);
    assert.not.ok(processWide.text().includes('custom-f'), processWide.text());
  } finally {
    processWide.restore();
  }
});

logged.run();

const copies = suite('createIntegrator: alerts$ from another rxjs copy or library');
quietDuring(copies);
copies.before(async () => {
  service = await startWebhookStandIn();
  dir = new AlertsDir('lib-copies');
});
copies.after(async () => {
  await service.close();
  dir.remove();
});

copies('an Observable of a second rxjs copy (not an instance of ours) reaches outcomes, its completion ends the integrator', async () => {
  const tmp = tempDirSync('second-rxjs');
  try {
    const theirs = loadSecondRxjs(tmp.dir);
    const alerts$ = theirs.from([alert('R1'), alert('R2', 5), alert('R3')]).pipe(theirs.delay(5));
    assert.not.ok(alerts$ instanceof Observable, 'the copy is a module of its own');
    const integrator = await createIntegrator({ config: ossecConf(webhookBlock('custom-a', `${service.url}/a`, '<level>10</level>')), alerts$, home: dir.home });
    const outcomes = await collect(integrator);
    assert.equal(outcomes.map((o) => `${o.id}:${o.kind}`).sort(), ['R1:delivered', 'R2:skipped', 'R3:delivered']);
    assert.equal(receivedIds(at(service, '/a')).sort(), ['R1', 'R3']);
  } finally {
    tmp.remove();
  }
});

copies('any Subscribable (a hand-written one, no rxjs at all) is an alert source; its error rejects done()', async () => {
  let unsubscribed = false;
  /** What another Observable library offers: subscribe(observer) and an unsubscribe. */
  class Hand implements Subscribable<unknown> {
    subscribe(observer: Partial<Observer<unknown>>) {
      const timer = setTimeout(() => {
        observer.next?.(alert('H1'));
        observer.error?.(new Error('the app\'s source broke'));
      }, 5);
      return { unsubscribe: () => ((unsubscribed = true), clearTimeout(timer)) };
    }
  }
  const integrator = await createIntegrator({ config: ossecConf(webhookBlock('custom-a', `${service.url}/h`)), alerts$: new Hand(), home: dir.home });
  const outcomes: BlockOutcome[] = [];
  integrator.outcomes$.subscribe((o) => outcomes.push(o));
  await expectRejection(() => integrator.done(), /the app's source broke/);
  assert.equal(outcomes.map((o) => `${o.id}:${o.kind}`), ['H1:delivered']);
  assert.ok(unsubscribed, 'the source is unsubscribed at stop');
  assert.equal(receivedIds(at(service, '/h')), ['H1']);
});

copies.run();

const invalid = suite('createIntegrator: wrong options');
let home = '';
let removeHome = () => undefined as void;
invalid.before(() => {
  const tmp = tempDirSync('lib-invalid');
  home = tmp.dir;
  removeHome = tmp.remove;
});
invalid.after(() => removeHome());
quietDuring(invalid);
invalid('rejects an invalid configuration with INTEGRATORD_CONFIG and every located error', async () => {
  const error = await expectRejection(
    () => createIntegrator({ config: ossecConf('<name>slack</name>\n<level>x</level>\n<max_log>1</max_log>'), alerts$: from([]) }),
    /ossec\.conf:4:5: error: .*level[\s\S]*ossec\.conf:5:5: error: .*max_log/,
  );
  assert.is((error as IntegratordError).code, 'INTEGRATORD_CONFIG');
});
invalid('rejects with INTEGRATORD_USAGE without a configuration or with two sources (which the option types refuse too)', async () => {
  // @ts-expect-error -- no `config` nor `configFile`: the types refuse it, JavaScript callers get the error.
  const noConfig = await expectRejection(() => createIntegrator({ alerts$: from([]) }), /needs `config` or `configFile`/);
  assert.is((noConfig as IntegratordError).code, 'INTEGRATORD_USAGE');
  // @ts-expect-error -- `alerts$` and `alertsFile` are a union: one or the other.
  const both = await expectRejection(() => createIntegrator({ config: ossecConf(), alerts$: from([]), alertsFile: '/nonexistent/alerts.json' }), /`alerts\$` or `alertsFile`, not both/);
  assert.is((both as IntegratordError).code, 'INTEGRATORD_USAGE');
});
invalid('rejects a concurrency, connections or highWaterMark below 1 (or not an integer) and a negative maxWaiting, naming the option', async () => {
  const config = ossecConf(webhookBlock('custom-a', 'http://127.0.0.1:9/a'));
  for (const [option, value] of [['concurrency', 0], ['concurrency', -1], ['concurrency', 1.5], ['connections', 0], ['highWaterMark', 0], ['maxWaiting', -1], ['stallMs', Number.NaN]] as const) {
    const error = await expectRejection(() => createIntegrator({ config, [option]: value }), new RegExp(`^${option} must be an integer`));
    assert.is((error as IntegratordError).code, 'INTEGRATORD_USAGE', option);
  }
});
invalid('checks the state directory at creation: a path under a regular file is INTEGRATORD_IO, before any alert', async () => {
  const file = join(home, 'not-a-dir');
  await writeFile(file, 'x');
  const error = await expectRejection(() => createIntegrator({ config: ossecConf(webhookBlock('custom-a', 'http://127.0.0.1:9/a')), home, state: join(file, 'state') }), /unusable state directory/);
  assert.is((error as IntegratordError).code, 'INTEGRATORD_IO');
});
invalid('strict (the default) refuses a configuration whose every block is disabled, with each reason; strict: false runs it', async () => {
  const config = ossecConf('<name>slackk</name>\n<hook_url>https://hooks.slack.com/services/T/B/x</hook_url>');
  const error = await expectRejection(() => createIntegrator({ config, home, state: join(home, 'strict') }), /no <integration> block is enabled .*block 0 \(slackk\)/);
  assert.is((error as IntegratordError).code, 'INTEGRATORD_CONFIG');
  const lax = await createIntegrator({ config, home, state: join(home, 'lax'), strict: false });
  assert.equal(lax.disabled.map((d) => d.integration), ['slackk']);
  assert.equal(await lax.send({ rule: { level: 12 } }), []);
  // `await using integrator = …` calls this at the end of the scope: it stops the integrator.
  await lax[Symbol.asyncDispose]();
  const late = await expectRejection(() => lax.send({ rule: { level: 12 } }), /accepts no more alerts/);
  assert.is((late as IntegratordError).code, 'INTEGRATORD_STOPPED');
});
invalid.run();
