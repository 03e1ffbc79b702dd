// Specs for src/library/alert-lines.ts (the alerts of a followed file as lines an app commits, bounded by a high-water mark, with a cursor).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { map, tap } from 'rxjs';
import { loadConfigText } from '../../src/config/load.js';
import { IntegratordError } from '../../src/errors.js';
import { fromAlertLines, type AlertLine } from '../../src/library/alert-lines.js';
import { deliver } from '../../src/library/operators.js';
import type { StandIn } from '../../src/stand-ins/stand-in-server.js';
import { startWebhookStandIn } from '../../src/stand-ins/webhook.js';
import { alertLine, receivedIds } from '../helpers/alert-line.js';
import { AlertsDir } from '../helpers/alerts-dir.js';
import { quietDuring } from '../helpers/capture-log.js';
import { eventually } from '../helpers/eventually.js';
import { ossecConf, webhookBlock } from '../helpers/ossec-conf.js';

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ids = (lines: readonly AlertLine[]) => lines.map((l) => l.alert['id']);

const lines = suite('fromAlertLines');
quietDuring(lines);
let dir: AlertsDir;
let service: StandIn;
lines.before(async () => {
  dir = new AlertsDir('lib-alert-lines');
  service = await startWebhookStandIn({ delayMs: 30 });
});
lines.after(async () => {
  await service.close();
  dir.remove();
});

lines('reads no further than highWaterMark uncommitted lines; each commit lets the next one through', async () => {
  writeFileSync(dir.alerts, `${['W1', 'W2', 'W3', 'W4', 'W5'].map((id) => alertLine(id)).join('\n')}\n`);
  const seen: AlertLine[] = [];
  const subscription = fromAlertLines(dir.alerts, { startAt: 'beginning', pollMs: 20, highWaterMark: 2 }).subscribe((l) => seen.push(l));
  try {
    await eventually(() => seen.length === 2, 'two lines');
    await settle(100);
    assert.equal(ids(seen), ['W1', 'W2'], 'nothing read beyond the mark');
    seen[1]?.commit();
    await eventually(() => seen.length === 3, 'a third line after one commit');
    await settle(60);
    assert.equal(ids(seen), ['W1', 'W2', 'W3']);
    seen[1]?.commit();
    await settle(60);
    assert.is(seen.length, 3, 'committing twice frees nothing more');
    for (const line of seen) line.commit();
    await eventually(() => seen.length === 5, 'the rest');
  } finally {
    subscription.unsubscribe();
  }
});

lines('commit() returns the cursor after the lines committed in order (bad lines included); resuming from it gives the rest exactly', async () => {
  writeFileSync(dir.alerts, `${[alertLine('C1'), '{"broken"', alertLine('C2'), alertLine('C3')].join('\n')}\n`);
  const seen: AlertLine[] = [];
  const first = fromAlertLines(dir.alerts, { startAt: 'beginning', pollMs: 20 }).subscribe((l) => seen.push(l));
  await eventually(() => seen.length === 3, 'three alerts');
  const [c1, c2, c3] = seen;
  assert.is(c2?.commit(), undefined, 'C1 is not committed yet: no cursor');
  const cursor = c1?.commit();
  assert.equal(cursor, c2?.position, 'C1, the bad line and C2 are all committed');
  assert.ok((c3?.position.offset ?? 0) > (cursor?.offset ?? Infinity));
  first.unsubscribe();

  dir.append([alertLine('C4')]);
  const resumed: AlertLine[] = [];
  // The cursor as an app would store it: JSON.
  const startAt = JSON.parse(JSON.stringify(cursor)) as NonNullable<typeof cursor>;
  const second = fromAlertLines(dir.alerts, { startAt, pollMs: 20 }).subscribe((l) => resumed.push(l));
  try {
    await eventually(() => resumed.length === 2, 'C3 and C4');
    await settle(60);
    assert.equal(ids(resumed), ['C3', 'C4']);
  } finally {
    second.unsubscribe();
  }
});

lines('with deliver: lines are read as deliveries free slots (never more than the mark in flight), every one delivered and committed', async () => {
  const wanted = Array.from({ length: 12 }, (_, n) => `D${n}`);
  writeFileSync(dir.alerts, `${wanted.map((id) => alertLine(id)).join('\n')}\n`);
  const [config] = loadConfigText(ossecConf(webhookBlock('custom-lines', `${service.url}/lines`))).integrations;
  if (!config) throw new Error('block');
  const uncommitted = new Map<number, AlertLine>();
  let most = 0;
  let cursor: AlertLine['position'] | undefined;
  const delivered: string[] = [];
  const subscription = fromAlertLines(dir.alerts, { startAt: 'beginning', pollMs: 20, highWaterMark: 3 })
    .pipe(
      map((line, seq) => {
        uncommitted.set(seq, line);
        most = Math.max(most, uncommitted.size);
        return line.alert;
      }),
      deliver(config, { home: dir.home, concurrency: 8 }),
      tap((outcome) => {
        cursor = uncommitted.get(outcome.seq)?.commit();
        uncommitted.delete(outcome.seq);
        if (outcome.kind === 'delivered' && outcome.id !== undefined) delivered.push(outcome.id);
      }),
    )
    .subscribe();
  try {
    await eventually(() => delivered.length === wanted.length, 'every line delivered');
    assert.is(most, 3, 'three lines in flight at most, though the block delivers 8 at once');
    assert.equal(receivedIds(service.received.filter((r) => r.url === '/lines')).sort(), [...wanted].sort());
    assert.is(cursor?.offset, Buffer.byteLength(`${wanted.map((id) => alertLine(id)).join('\n')}\n`), 'the cursor is at the end of the file');
  } finally {
    subscription.unsubscribe();
  }
});

lines('refuses a highWaterMark that is not a positive integer', () => {
  for (const highWaterMark of [0, -1, 1.5]) {
    try {
      fromAlertLines(dir.alerts, { highWaterMark });
      assert.unreachable('should throw');
    } catch (error) {
      assert.instance(error, IntegratordError);
      assert.is((error as IntegratordError).code, 'INTEGRATORD_USAGE');
    }
  }
});

lines.run();
