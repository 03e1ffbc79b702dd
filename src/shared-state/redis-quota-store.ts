// One token bucket per api_key across a Wazuh cluster's nodes: a Lua script on Redis's own clock (TIME), the service's quota headers written back.

import type { Redis } from 'ioredis';
import { createLocalQuotaStore, type EnrichmentQuotaStore, type QuotaReport, type QuotaState } from '../integrations/enrichment-stores.js';
import type { SharedState } from './shared-state.js';

// KEYS: the key's hash. ARGV: requests per minute (0: no bucket), burst.
// Returns the ms to wait: until `spent` (the service said the quota is spent; nothing reserved), else
// the reserved token's wait (tokens go negative: reservations queue up, as TokenBucket.take does).
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local spent = tonumber(redis.call('HGET', KEYS[1], 'spent') or '0')
if spent > now then return spent - now end
local perMinute = tonumber(ARGV[1])
if perMinute <= 0 then return 0 end
local msPerToken = 60000 / perMinute
local burst = tonumber(ARGV[2])
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(b[1]) or burst
local at = tonumber(b[2]) or now
tokens = math.min(burst, tokens + (now - at) / msPerToken) - 1
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
local wait = 0
if tokens < 0 then wait = math.ceil(-tokens * msPerToken) end
redis.call('PEXPIRE', KEYS[1], wait + math.ceil(burst * msPerToken) + 3600000)
return wait`;

// KEYS: the key's hash. ARGV: until (ms since the epoch). Keeps the later of the two.
const SPEND = `
local spent = tonumber(redis.call('HGET', KEYS[1], 'spent') or '0')
if tonumber(ARGV[1]) > spent then redis.call('HSET', KEYS[1], 'spent', ARGV[1]) end
redis.call('PEXPIRE', KEYS[1], 3600000 + math.max(0, tonumber(ARGV[1]) - tonumber(redis.call('TIME')[1]) * 1000))
return 1`;

// KEYS: the key's hash. Returns the ms until `spent`, or 0.
const WAIT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local spent = tonumber(redis.call('HGET', KEYS[1], 'spent') or '0')
if spent > now then return spent - now end
return 0`;

type WithScripts = Redis & {
  integratordQuotaTake(key: string, perMinute: number, burst: number): Promise<number>;
  integratordQuotaSpend(key: string, until: number): Promise<number>;
  integratordQuotaWait(key: string): Promise<number>;
};

/**
 * `integratord:<cluster>:quota:<api key id>` (the id is a hash: the key itself never reaches Redis).
 * Every node takes its tokens from the same bucket, at the lowest rate_per_minute this node's blocks
 * set, with a burst of 1 (as the local bucket). A report with `remaining` 0 and a reset, or a 429
 * (`spend`), holds every node's lookups until the reset. While Redis is down, this node's own bucket
 * decides (fail open: the cluster may then exceed the quota, each node keeping to it).
 */
export class RedisQuotaStore implements EnrichmentQuotaStore {
  readonly #shared: SharedState;
  readonly #redis: WithScripts;
  /** This node's view: the rate set, what the service said, and the bucket used while Redis is down. */
  readonly #local = createLocalQuotaStore();
  readonly #perMinute = new Map<string, number>();

  constructor(shared: SharedState) {
    this.#shared = shared;
    const redis = shared.redis as WithScripts;
    if (typeof redis.integratordQuotaTake !== 'function') {
      redis.defineCommand('integratordQuotaTake', { numberOfKeys: 1, lua: TAKE });
      redis.defineCommand('integratordQuotaSpend', { numberOfKeys: 1, lua: SPEND });
      redis.defineCommand('integratordQuotaWait', { numberOfKeys: 1, lua: WAIT });
    }
    this.#redis = redis;
  }

  #key(keyId: string): string {
    return this.#shared.key('quota', keyId);
  }

  configure(keyId: string, perMinute: number | undefined): void {
    this.#local.configure(keyId, perMinute);
    if (perMinute === undefined || !(perMinute > 0)) return;
    const was = this.#perMinute.get(keyId);
    if (was === undefined || perMinute < was) this.#perMinute.set(keyId, perMinute);
  }

  async take(keyId: string): Promise<number> {
    const wait = await this.#shared.attempt('quota', () => this.#redis.integratordQuotaTake(this.#key(keyId), this.#perMinute.get(keyId) ?? 0, 1));
    return wait ?? this.#local.take(keyId);
  }

  async waitMs(keyId: string): Promise<number> {
    const wait = await this.#shared.attempt('quota', () => this.#redis.integratordQuotaWait(this.#key(keyId)));
    return wait ?? this.#local.waitMs(keyId);
  }

  async record(keyId: string, report: QuotaReport): Promise<void> {
    await this.#local.record(keyId, report);
    if (report.remaining === 0 && report.resetAt !== undefined) await this.spend(keyId, report.resetAt);
  }

  async spend(keyId: string, until: number): Promise<void> {
    await this.#local.spend(keyId, until);
    await this.#shared.attempt('quota', () => this.#redis.integratordQuotaSpend(this.#key(keyId), Math.round(until)));
  }

  state(keyId: string): QuotaState | undefined {
    return this.#local.state(keyId);
  }
}
