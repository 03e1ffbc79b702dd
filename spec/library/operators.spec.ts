// Specs for src/library/operators.ts (RxJS operators for apps that compose their own pipeline: follow a file, match a block, deliver).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { from, lastValueFrom, map, take, toArray } from 'rxjs';
import type { Alert } from '../../src/alerts/alert.js';
import { loadConfigText } from '../../src/config/load.js';
import { DeadLetterStore } from '../../src/delivery/dead-letter.js';
import { IntegratordError } from '../../src/errors.js';
import { deliver, fromAlertsFile, matchBlock } from '../../src/library/operators.js';
import { createDeliveryParts } from '../../src/pipeline/delivery-parts.js';
import type { RetryEvent } from '../../src/pipeline/retry-event.js';
import { startStandIn, type StandIn } from '../../src/stand-ins/stand-in-server.js';
import { startWebhookStandIn } from '../../src/stand-ins/webhook.js';
import { wazuhPaths } from '../../src/wazuh-home.js';
import { alertLine, receivedIds } from '../helpers/alert-line.js';
import { AlertsDir } from '../helpers/alerts-dir.js';
import { captureLog, quietDuring } from '../helpers/capture-log.js';
import { ossecConf, webhookBlock } from '../helpers/ossec-conf.js';
import { loadSecondRxjs } from '../helpers/second-rxjs.js';
import { tempDirSync } from '../helpers/temp-dir.js';

const alert = (id: string, level = 12) => JSON.parse(alertLine(id, { level })) as Alert;
const block = (xml: string) => {
  const [config] = loadConfigText(ossecConf(xml)).integrations;
  if (!config) throw new Error(`not a valid block: ${xml}`);
  return config;
};

const following = suite('fromAlertsFile');
let dir: AlertsDir;
following.before(() => {
  dir = new AlertsDir('lib-operators');
});
following.after(() => dir.remove());

following('emits the alerts of the file as they are appended, skipping (and logging) lines that are not alerts', async () => {
  writeFileSync(dir.alerts, `${alertLine('O1')}\n`);
  const log = captureLog(0);
  try {
    const three = lastValueFrom(fromAlertsFile(dir.alerts, { startAt: 'beginning', pollMs: 20 }).pipe(take(3), toArray()));
    dir.append(['{"broken"', alertLine('O2'), '[1]', alertLine('O3')]);
    assert.equal((await three).map((a) => a['id']), ['O1', 'O2', 'O3']);
    const warnings = log.lines.filter((l) => l.includes("WARNING: Invalid JSON alert read from '"));
    assert.is(warnings.length, 2);
  } finally {
    log.restore();
  }
});

following('starts at the end by default, like Wazuh: lines already in the file are never emitted', async () => {
  let emitted: Alert | undefined;
  const subscription = fromAlertsFile(dir.alerts, { pollMs: 20 }).subscribe((a) => (emitted ??= a));
  try {
    // The start is fixed shortly after subscribing: append until one line comes through.
    for (let n = 0; emitted === undefined && n < 500; n++) {
      dir.append([alertLine(`E${n}`)]);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.match(String(emitted?.['id']), /^E\d+$/, 'not O1..O3');
  } finally {
    subscription.unsubscribe();
  }
});

following.run();

const matching = suite('matchBlock');
matching("keeps what the block's filters take, drops the rest and anything that is not an object", async () => {
  const config = block('<name>custom-x</name>\n<hook_url>http://127.0.0.1:9/x</hook_url>\n<level>10</level>\n<rule_id>5712</rule_id>');
  const kept = await lastValueFrom(from<unknown[]>([alert('M1'), alert('M2', 5), null, 'x', [alert('M3')], { ...alert('M4'), rule: { level: 12, id: '5710' } }, alert('M5')]).pipe(matchBlock(config), toArray()));
  assert.equal(kept.map((a) => a['id']), ['M1', 'M5']);
});
matching.run();

const delivering = suite('deliver');
quietDuring(delivering);
let webhook: StandIn;
let refusing: StandIn;
let home: AlertsDir;
delivering.before(async () => {
  [webhook, refusing] = await Promise.all([startWebhookStandIn(), startStandIn({ answer: () => ({ status: 400, body: 'no' }) })]);
  home = new AlertsDir('lib-deliver');
});
delivering.after(async () => {
  await Promise.all([webhook.close(), refusing.close()]);
  home.remove();
});

delivering('delivers through one block: one outcome per alert (naming the block, as the integrator\'s do), in the order of their index, filters applied', async () => {
  const paths = wazuhPaths(home.home);
  const parts = createDeliveryParts({ paths });
  try {
    const config = block(webhookBlock('custom-a', `${webhook.url}/a`, '<level>10</level>'));
    const outcomes = await lastValueFrom(from([alert('D1'), alert('D2', 3), alert('D3')]).pipe(deliver(config, { parts, paths, concurrency: 1 }), toArray()));
    assert.equal(outcomes.map((o) => `${o.seq}:${o.kind}`), ['0:delivered', '1:skipped', '2:delivered']);
    assert.ok(outcomes.every((o) => o.block === config.index && o.integration === 'custom-a' && o.blockId === config.id));
    assert.equal(receivedIds(webhook.received), ['D1', 'D3']);
  } finally {
    await parts.close();
  }
});

delivering('dead-letters what the service refuses, in the parts’ state directory', async () => {
  const paths = wazuhPaths(home.home, { state: join(home.home, 'state') });
  const parts = createDeliveryParts({ paths });
  try {
    const [outcome] = await lastValueFrom(from([alert('D4')]).pipe(deliver(block(webhookBlock('custom-a', `${refusing.url}/a`)), { parts, paths }), toArray()));
    assert.ok(outcome?.kind === 'dead-lettered');
    // The service answered: its status, and no error code (that is for requests that got no answer).
    assert.equal([outcome.status, outcome.code], [400, undefined]);
    const records = await parts.deadLetters.records();
    assert.equal(records.map((r) => [r.alert['id'], r.status, r.reason]), [['D4', 400, 'HTTP 400: no']]);
  } finally {
    await parts.close();
  }
});

delivering('throws INTEGRATORD_CONFIG at once for a block that fails the startup checks', () => {
  const paths = wazuhPaths(home.home);
  const parts = createDeliveryParts({ paths });
  try {
    deliver(block('<name>slack</name>'), { parts, paths });
    assert.unreachable('expected an error');
  } catch (error) {
    assert.instance(error, IntegratordError);
    assert.is((error as IntegratordError).code, 'INTEGRATORD_CONFIG');
    assert.is((error as Error).message, "Unable to enable integration for: 'slack'. Missing hook URL.");
  } finally {
    void parts.close();
  }
});

/** An app's own alert type, declared as an interface (no index signature). */
interface AppAlert {
  readonly id: string;
  readonly timestamp: string;
  readonly rule: { readonly level: number; readonly id: string; readonly groups: readonly string[] };
}

delivering('creates its own parts from home/state when given none (dead letters there), takes an interface-typed alert, and names each outcome’s alert', async () => {
  const state = join(home.home, 'own-state');
  const alerts: AppAlert[] = [{ id: 'I1', timestamp: '2026-11-28T01:00:00.000+0000', rule: { level: 12, id: '5712', groups: ['sshd'] } }];
  const outcomes = await lastValueFrom(from(alerts).pipe(deliver(block(webhookBlock('custom-a', `${refusing.url}/a`)), { home: home.home, state }), toArray()));
  assert.equal(outcomes.map((o) => [o.kind, o.seq, o.id]), [['dead-lettered', 0, 'I1']]);
  const records = await new DeadLetterStore(state).records();
  assert.equal(records.map((r) => r.alert['id']), ['I1']);
});

delivering('creates and closes its own parts per subscription: a second subscription (after the first, or beside it) still delivers', async () => {
  const operator = deliver(block(webhookBlock('custom-twice', `${webhook.url}/twice`)), { home: home.home, state: join(home.home, 'twice-state') });
  const kinds = (ids: string[]) => lastValueFrom(from(ids.map((id) => alert(id))).pipe(operator, toArray())).then((outcomes) => outcomes.map((o) => `${o.id}:${o.kind}`));
  const before = webhook.received.length;
  assert.equal(await kinds(['T1']), ['T1:delivered']);
  assert.equal(await kinds(['T2']), ['T2:delivered'], 'the first subscription closed its parts, not the second one’s');
  const [third, fourth] = await Promise.all([kinds(['T3']), kinds(['T4'])]);
  assert.equal([third, fourth], [['T3:delivered'], ['T4:delivered']]);
  const received = webhook.received.slice(before);
  assert.equal(receivedIds(received).sort(), ['T1', 'T2', 'T3', 'T4']);
  // Each subscription's own pool: a new connection each time, none kept alive from a closed one.
  assert.is(new Set(received.map((r) => r.remotePort)).size, 4);
});

delivering('does not run the block’s filters a second time on alerts its matchBlock took', async () => {
  const config = block(webhookBlock('custom-a', `${webhook.url}/a`, '<level>10</level>'));
  /** An alert that counts how often `rule` is read (by filters and by the request body alike). */
  const counted = (id: string) => {
    const reads = { rule: 0 };
    const proxy = new Proxy(alert(id), {
      get: (target, key, receiver) => {
        if (key === 'rule') reads.rule++;
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    return { proxy, reads };
  };
  const alone = counted('M1');
  await lastValueFrom(from([alone.proxy]).pipe(deliver(config, { home: home.home }), toArray()));
  const matched = counted('M2');
  const outcomes = await lastValueFrom(from([matched.proxy]).pipe(matchBlock(config), deliver(config, { home: home.home }), toArray()));
  assert.equal(outcomes.map((o) => o.kind), ['delivered']);
  // matchBlock's one filtering pass replaces deliver's: the same reads as deliver alone.
  assert.ok(alone.reads.rule > 0);
  assert.is(matched.reads.rule, alone.reads.rule);
});

delivering('after matchBlock and a map() (new objects), deliver filters again unless told `preMatched: true`; then every mapped alert is sent', async () => {
  const config = block(webhookBlock('custom-m', `${webhook.url}/m`, '<level>10</level>\n<group>sshd</group>'));
  /** What an app may map a matched alert to: fewer fields (here no `rule`, which the filters read). */
  const redact = (a: Alert) => ({ id: a['id'], timestamp: a['timestamp'], summary: `alert ${String(a['id'])}` });
  const alerts = [alert('P1'), alert('P2', 3), alert('P3')];
  const kinds = (outcomes: readonly { id?: string; kind: string }[]) => outcomes.map((o) => `${o.id}:${o.kind}`);
  const refiltered = await lastValueFrom(from(alerts).pipe(matchBlock(config), map(redact), deliver(config, { home: home.home }), toArray()));
  assert.equal(kinds(refiltered), ['P1:skipped', 'P3:skipped'], 'without the option: the mapped objects fail the filters they already passed');
  const before = webhook.received.length;
  const trusted = await lastValueFrom(from(alerts).pipe(matchBlock(config), map(redact), deliver(config, { home: home.home, preMatched: true }), toArray()));
  assert.equal(kinds(trusted), ['P1:delivered', 'P3:delivered']);
  const bodies = webhook.received.slice(before).map((r) => r.json as Record<string, unknown>);
  assert.equal(bodies.map((b) => b['summary']), ['alert P1', 'alert P3'], 'the mapped objects are what was sent');
});

delivering('onRetry hears each retry of deliver’s block: a service answering 503 then 200', async () => {
  const flaky = await startStandIn({ answer: () => ({ status: 200, body: 'ok' }) });
  try {
    flaky.script({ status: 503, body: 'later' });
    const events: RetryEvent[] = [];
    const config = block(webhookBlock('custom-f', `${flaky.url}/f`));
    const outcomes = await lastValueFrom(from([alert('F1')]).pipe(deliver(config, { home: home.home, onRetry: (e) => events.push(e) }), toArray()));
    assert.equal(outcomes.map((o) => [o.id, o.kind, o.kind === 'delivered' ? o.attempts : 0]), [['F1', 'delivered', 2]]);
    assert.equal(events.map((e) => [e.blockId, e.id, e.attempt, e.status, e.reason]), [[config.id, 'F1', 1, 503, 'HTTP 503: later']]);
  } finally {
    await flaky.close();
  }
});

delivering('works in the pipe of a second rxjs copy (the app\'s own): matchBlock and deliver, ended by its lastValueFrom', async () => {
  const tmp = tempDirSync('second-rxjs-operators');
  try {
    const theirs = loadSecondRxjs(tmp.dir);
    const config = block(webhookBlock('custom-r', `${webhook.url}/r`, '<level>10</level>'));
    const before = webhook.received.length;
    const outcomes = await theirs.lastValueFrom(
      theirs.from([alert('C1'), alert('C2', 3), alert('C3')]).pipe(matchBlock(config), deliver(config, { home: home.home }), theirs.map((o) => `${o.id}:${o.kind}`), theirs.toArray()),
    );
    assert.equal(outcomes.sort(), ['C1:delivered', 'C3:delivered']);
    assert.equal(receivedIds(webhook.received.slice(before)).sort(), ['C1', 'C3']);
  } finally {
    tmp.remove();
  }
});

delivering.run();
