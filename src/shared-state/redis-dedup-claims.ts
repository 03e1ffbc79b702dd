// Dedup claims on Redis: SET NX PX leases per dedup key, confirmed by a "delivered" marker that lives for the dedup window.

import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { ClaimDecision, DedupClaims } from '../noise/dedup-claims.js';
import { log } from '../telemetry/log.js';
import type { SharedState } from './shared-state.js';

/** 30 s: how long a claim holds a key while its node delivers (a node dead mid-send blocks the key this long, at most). */
export const CLAIM_LEASE_MS = 30_000;
/** 100 ms: how often a node waiting on another node's claim asks again. */
export const CLAIM_POLL_MS = 100;

// KEYS: claim, delivered. ARGV: holder, lease ms, this node's prefix ("node/").
// A claim left by an earlier run of this same node (it died mid-send) is taken over at once.
const CLAIM = `
local d = redis.call('GET', KEYS[2])
if d then return {'delivered', d} end
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return {'claimed', ARGV[1]} end
local holder = redis.call('GET', KEYS[1]) or ''
if string.sub(holder, 1, string.len(ARGV[3])) == ARGV[3] and holder ~= ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return {'claimed', ARGV[1]}
end
return {'busy', holder}`;

// KEYS: claim, delivered. ARGV: holder, window ms, marker value.
const DELIVERED = `
redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[2])
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1`;

// KEYS: claim. ARGV: holder.
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

type WithScripts = Redis & {
  integratordClaim(claim: string, delivered: string, holder: string, leaseMs: number, prefix: string): Promise<[string, string]>;
  integratordDelivered(claim: string, delivered: string, holder: string, windowMs: number, marker: string): Promise<number>;
  integratordRelease(claim: string, holder: string): Promise<number>;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Keys `integratord:<cluster>:dedup:<block id>:<key>` (the claim: holder `node/instance`) and
 * `…:delivered` (node and alert id, for the dedup window). Every decision Redis cannot make in time
 * is `send` (counted by integratord_shared_state_fallbacks_total{store="dedup"}).
 */
export class RedisDedupClaims implements DedupClaims {
  readonly #shared: SharedState;
  readonly #redis: WithScripts;
  readonly #holder: string;
  readonly #leaseMs: number;
  readonly #pollMs: number;

  constructor(shared: SharedState, options: { readonly leaseMs?: number; readonly pollMs?: number } = {}) {
    this.#shared = shared;
    this.#leaseMs = options.leaseMs ?? CLAIM_LEASE_MS;
    this.#pollMs = options.pollMs ?? CLAIM_POLL_MS;
    // One instance per process: a claim of an earlier run of this node is recognised (and taken over).
    this.#holder = `${shared.node}/${randomBytes(6).toString('hex')}`;
    const redis = shared.redis as WithScripts;
    if (typeof redis.integratordClaim !== 'function') {
      redis.defineCommand('integratordClaim', { numberOfKeys: 2, lua: CLAIM });
      redis.defineCommand('integratordDelivered', { numberOfKeys: 2, lua: DELIVERED });
      redis.defineCommand('integratordRelease', { numberOfKeys: 1, lua: RELEASE });
    }
    this.#redis = redis;
  }

  #keys(blockId: string, key: string): [string, string] {
    const claim = this.#shared.key('dedup', blockId, key);
    return [claim, `${claim}:delivered`];
  }

  async claim(blockId: string, key: string, alertId: string | undefined, windowMs: number): Promise<ClaimDecision> {
    const [claim, delivered] = this.#keys(blockId, key);
    // Another node's claim is waited for one lease at most (and a little): then this node sends.
    const until = Date.now() + this.#leaseMs + 1000;
    let waitedOn: string | undefined;
    while (Date.now() < until) {
      const answer = await this.#shared.attempt('dedup', () => this.#redis.integratordClaim(claim, delivered, this.#holder, this.#leaseMs, `${this.#shared.node}/`));
      if (answer === undefined) return 'send';
      const [state, by] = answer;
      if (state === 'claimed') return 'send';
      if (state === 'delivered') {
        if (log.enabled('debug')) log.debug('ClaimDelivered', { block_id: blockId, alert_id: alertId, delivered_by: by, window_ms: windowMs });
        return 'suppressed';
      }
      if (waitedOn === undefined && log.enabled('debug')) log.debug('ClaimBusy', { block_id: blockId, alert_id: alertId, claimed_by: by });
      waitedOn = by;
      await sleep(this.#pollMs);
    }
    log.warning('ClaimLeaseOverrun', { block_id: blockId, alert_id: alertId, claimed_by: waitedOn, lease_ms: this.#leaseMs, decision: 'send (a duplicate rather than a miss)' });
    return 'send';
  }

  delivered(blockId: string, key: string, alertId: string | undefined, windowMs: number): void {
    const [claim, delivered] = this.#keys(blockId, key);
    const marker = JSON.stringify({ node: this.#shared.node, alert_id: alertId ?? null });
    void this.#shared.attempt('dedup', () => this.#redis.integratordDelivered(claim, delivered, this.#holder, Math.max(1, Math.round(windowMs)), marker));
  }

  release(blockId: string, key: string): void {
    const [claim] = this.#keys(blockId, key);
    void this.#shared.attempt('dedup', () => this.#redis.integratordRelease(claim, this.#holder));
  }
}
