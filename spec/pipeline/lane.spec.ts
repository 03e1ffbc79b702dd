// Specs for src/pipeline/lane.ts (one block's side of a shared read: its watermark, cursor, counters and delivery stream).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Subject, map, merge } from 'rxjs';
import type { FileIdentity } from '../../src/alerts/file-identity.js';
import { Lane } from '../../src/pipeline/lane.js';
import type { Outcome } from '../../src/pipeline/outcome.js';
import { createMetrics } from '../../src/telemetry/metrics.js';
import { blockConfig } from '../helpers/block-config.js';

const file: FileIdentity = { dev: 1, ino: 2, fingerprint: 'f', fingerprintLength: 1 };
const at = (offset: number) => ({ identity: file, path: '/alerts.json', offset });

const held = suite('Lane: alerts held for a digest');
held('a held line gives its room back but keeps the cursor before it until its final outcome', () => {
  const finals = new Subject<Outcome>();
  const outcomes: Outcome[] = [];
  const lane = new Lane({
    config: blockConfig(),
    metrics: createMetrics(),
    window: 2,
    // Every alert is held at once; the finals come later, as a digest's outcomes would.
    deliver: (source) => merge(source.pipe(map((e): Outcome => ({ kind: 'held', seq: e.seq, reason: 'group' }))), finals),
  });
  lane.outcomes$.subscribe((o) => outcomes.push(o));
  for (let i = 0; i < 5; i++) lane.offer({ id: `H${i}` }, at(i * 10), { file, path: '/alerts.json', end: i * 10 + 10 });
  assert.ok(lane.hasRoom, 'five held lines do not fill a window of two');
  assert.is(lane.room, 2);
  assert.equal(lane.committed()?.offset, 0, 'the cursor stays before the first held line');
  assert.equal(outcomes, [], 'held is not an outcome consumers see');
  finals.next({ kind: 'delivered', seq: 0, attempts: 1, alert: { id: 'H0' } });
  finals.next({ kind: 'delivered', seq: 1, attempts: 1, alert: { id: 'H1' } });
  assert.is(lane.committed()?.offset, 20, 'settled by the digest: the cursor moves');
  assert.is(lane.counts.delivered, 2);
  finals.next({ kind: 'suppressed', seq: 2, reason: 'dedup' });
  assert.is(lane.counts.suppressed, 1);
  assert.is(lane.committed()?.offset, 30);
  assert.equal(outcomes.map((o) => o.kind), ['delivered', 'delivered', 'suppressed']);
});
held.run();
