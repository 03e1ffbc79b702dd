import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { firstValueFrom, of, toArray } from 'rxjs';
import type { Alert } from '../../src/alerts/alert.js';
import type { NoiseSettings } from '../../src/config/integration-config.js';
import type { ClaimDecision, DedupClaims } from '../../src/noise/dedup-claims.js';
import { keyOf } from '../../src/noise/noise-key.js';
import { claimedDelivery } from '../../src/pipeline/claimed-delivery.js';
import type { Outcome } from '../../src/pipeline/outcome.js';

const test = suite('claimedDelivery');

const ALERT = { id: '1765155600.7', rule: { id: '5712' }, data: { srcip: '203.0.113.7' } } as unknown as Alert;
const NOISE = { dedupBy: ['data.srcip'], dedupWindow: 600 } as unknown as NoiseSettings;

/** Records every call; answers `decision`. */
const recording = (decision: ClaimDecision) => {
  const calls: string[] = [];
  const claims: DedupClaims = {
    claim: (blockId, key, alertId, windowMs) => (calls.push(`claim ${blockId} ${key} ${alertId} ${windowMs}`), Promise.resolve(decision)),
    delivered: (blockId, key, alertId, windowMs) => void calls.push(`delivered ${blockId} ${key} ${alertId} ${windowMs}`),
    release: (blockId, key) => void calls.push(`release ${blockId} ${key}`),
  };
  return { calls, claims };
};

const delivered: Outcome = { kind: 'delivered', seq: 1, attempts: 1, alert: ALERT };
const dead: Outcome = { kind: 'dead-lettered', seq: 1, attempts: 3, reason: 'HTTP 500', alert: ALERT };
const suppressed: Outcome = { kind: 'suppressed', seq: 1, reason: 'dedup' };
const run = (claims: DedupClaims | undefined, noise: NoiseSettings, outcome: Outcome) =>
  firstValueFrom(claimedDelivery(claims, 'blk', noise, ALERT, () => of(outcome), () => of(suppressed)).pipe(toArray()));

test('a claim won: sent, then the key is marked delivered for the dedup window', async () => {
  const { calls, claims } = recording('send');
  const key = keyOf(['data.srcip'], ALERT).key;
  assert.equal(await run(claims, NOISE, delivered), [delivered]);
  assert.equal(calls, [`claim blk ${key} 1765155600.7 600000`, `delivered blk ${key} 1765155600.7 600000`]);
});

test('a key another node delivered: suppressed, nothing sent, nothing marked', async () => {
  const { calls, claims } = recording('suppressed');
  assert.equal(await run(claims, NOISE, delivered), [suppressed]);
  assert.is(calls.length, 1);
});

test('dead-lettered: the claim is given up for the next node', async () => {
  const { calls, claims } = recording('send');
  assert.equal(await run(claims, NOISE, dead), [dead]);
  assert.match(calls[1] ?? '', /^release blk /);
});

test('no claims (one node), or a block without <dedup_by>: sent as it is, no claim asked', async () => {
  const { calls, claims } = recording('suppressed');
  assert.equal(await run(undefined, NOISE, delivered), [delivered]);
  assert.equal(await run(claims, { dedupWindow: 600 } as unknown as NoiseSettings, delivered), [delivered]);
  assert.is(calls.length, 0);
});

test.run();
