// Per-block health for /healthz: failing for too long, behind with no progress, blocked on its dead-letter writes; no block enabled at all.

import { scrubSecrets } from './log.js';

/** Defaults: 5 minutes, long enough to ride out a service restart, short enough to page someone. */
export const DEFAULT_UNHEALTHY_AFTER_MS = 5 * 60 * 1000;

interface BlockHealth {
  name: string;
  failingSince: number | undefined;
  /** When the streak's last failed attempt was: a streak with no failure for `unhealthyAfterMs` is over. */
  lastFailureAt: number | undefined;
  lastReason: string | undefined;
  lagBytes: number;
  /** Since when the lag has been above zero with no cursor progress. */
  stalledSince: number | undefined;
  offset: number | undefined;
  /** Alerts waiting for their dead-letter write (disk full…): unhealthy at once while above 0. */
  deadLetterWritesBlocked: number;
  /** Alerts held for a digest (noise control): they keep the cursor back on purpose, so no stall while above 0. */
  held: number;
  /** Enrichment lookups waiting for their api_key's quota to refill: the cursor waits for them on purpose, no stall. */
  waiting: number;
}

/** A configured block the startup decision disabled, and why. */
export interface DisabledBlock {
  readonly block: number;
  readonly integration: string;
  readonly reason: string;
}

export interface HealthReport {
  readonly ok: boolean;
  /** Blocks that run, once the daemon has started them (absent before, and for library use without startup). */
  readonly enabledBlocks?: number;
  /** Configured blocks that do not run, with the startup reason (secrets redacted). */
  readonly disabled?: readonly DisabledBlock[];
  readonly blocks: readonly {
    readonly block: number;
    readonly integration: string;
    readonly ok: boolean;
    readonly failingForSeconds?: number;
    readonly lastFailure?: string;
    readonly lagBytes: number;
    readonly stalledForSeconds?: number;
    /** Present while alerts of the block wait for their dead-letter write to succeed. */
    readonly deadLetterWritesBlocked?: number;
    /** Present while the block holds alerts for a digest (its cursor waits for them: not a stall). */
    readonly heldAlerts?: number;
    /** Present while enrichment lookups of the block wait for their api_key's quota to refill (integratord_enrichment_waiting). */
    readonly waitingForQuota?: number;
  }[];
}

/**
 * Collects what blocks report and answers "is this daemon healthy?". A block is unhealthy when
 * every attempt has failed for longer than `unhealthyAfterMs` and attempts still fail (the last
 * failure is less than `quietAfterMs` old: a block that failed once and then had nothing to send
 * stays healthy), or when its cursor lags behind
 * alerts.json and has not moved for that long, or at once while it waits for a dead-letter write.
 * `now` is injectable for tests.
 */
export class HealthMonitor {
  readonly #blocks = new Map<number, BlockHealth>();
  readonly #unhealthyAfterMs: number;
  readonly #quietAfterMs: number;
  readonly #now: () => number;
  #startup: { readonly enabled: number; readonly disabled: readonly DisabledBlock[] } | undefined;

  /** `quietAfterMs`: a failure streak with no failed attempt for that long is over (default DEFAULT_UNHEALTHY_AFTER_MS). */
  constructor(options: { unhealthyAfterMs?: number; quietAfterMs?: number; now?: () => number } = {}) {
    this.#unhealthyAfterMs = options.unhealthyAfterMs ?? DEFAULT_UNHEALTHY_AFTER_MS;
    this.#quietAfterMs = options.quietAfterMs ?? DEFAULT_UNHEALTHY_AFTER_MS;
    this.#now = options.now ?? Date.now;
  }

  #block(block: number, name: string): BlockHealth {
    let b = this.#blocks.get(block);
    if (!b) {
      b = { name, failingSince: undefined, lastFailureAt: undefined, lastReason: undefined, lagBytes: 0, stalledSince: undefined, offset: undefined, deadLetterWritesBlocked: 0, held: 0, waiting: 0 };
      this.#blocks.set(block, b);
    }
    return b;
  }

  /** A delivery attempt succeeded: the failure streak ends. */
  succeeded(block: number, name: string): void {
    const b = this.#block(block, name);
    b.failingSince = undefined;
    b.lastFailureAt = undefined;
    b.lastReason = undefined;
  }

  /**
   * A delivery attempt failed: starts (or continues) the failure streak, at `since` ms when known;
   * `last` is when the latest failed attempt was (default now).
   */
  failed(block: number, name: string, reason: string, since?: number, last?: number): void {
    const b = this.#block(block, name);
    const at = last ?? this.#now();
    // After a quiet spell the streak starts again at this failure; a later start (a success came between two looks) is taken.
    if (b.lastFailureAt !== undefined && at - b.lastFailureAt > this.#quietAfterMs) b.failingSince = at;
    else if (since !== undefined && b.failingSince !== undefined && since > b.failingSince) b.failingSince = since;
    b.failingSince ??= since ?? at;
    b.lastFailureAt = at;
    b.lastReason = reason;
  }

  /** The block's committed offset and its lag behind the end of alerts.json. */
  progressed(block: number, name: string, offset: number, lagBytes: number): void {
    const b = this.#block(block, name);
    const moved = b.offset !== offset;
    b.offset = offset;
    b.lagBytes = lagBytes;
    if (lagBytes <= 0 || moved) b.stalledSince = lagBytes > 0 ? this.#now() : undefined;
    else b.stalledSince ??= this.#now();
  }

  /**
   * What the startup decision made of the configured blocks, after the start and after every
   * reload: how many run, which are disabled and why. With none running the daemon is unhealthy
   * (it reads alerts and sends nothing). Reasons are scrubbed of registered secrets.
   */
  started(enabled: number, disabled: readonly DisabledBlock[]): void {
    this.#startup = { enabled, disabled: disabled.map((d) => ({ ...d, reason: scrubSecrets(d.reason) })) };
  }

  /**
   * How many alerts of the block wait for their dead-letter write (integratord_dead_letter_writes_blocked).
   * Above 0 the block is unhealthy at once: it cannot settle what it gave up on, so it stops reading.
   */
  deadLetterWrites(block: number, name: string, blocked: number): void {
    this.#block(block, name).deadLetterWritesBlocked = blocked;
  }

  /**
   * How many alerts the block holds for a digest (integratord_alerts_held). While above 0 its cursor
   * is held back on purpose (an hourly cap can hold alerts for an hour): lag without progress is then
   * no stall, and the block stays healthy unless its deliveries fail.
   */
  /** How many enrichment lookups of the block wait for their quota to refill: lag without progress is then no stall. */
  waitingForQuota(block: number, name: string, waiting: number): void {
    this.#block(block, name).waiting = waiting;
  }

  holding(block: number, name: string, held: number): void {
    this.#block(block, name).held = held;
  }

  /** Forgets a block (removed by a reload). */
  remove(block: number): void {
    this.#blocks.delete(block);
  }

  /** The failure streak start of a block, for the failing-since gauge; undefined when healthy. */
  failingSince(block: number): number | undefined {
    return this.#blocks.get(block)?.failingSince;
  }

  report(): HealthReport {
    const now = this.#now();
    const blocks = [...this.#blocks.entries()]
      .sort(([a], [b]) => a - b)
      .map(([block, b]) => {
        // A streak with no failed attempt for quietAfterMs is over: a quiet block is not failing (one 400, then nothing).
        const streakLive = b.failingSince !== undefined && now - (b.lastFailureAt ?? b.failingSince) <= this.#quietAfterMs;
        const failingMs = !streakLive || b.failingSince === undefined ? undefined : now - b.failingSince;
        // A block only holding alerts for a digest (an exhausted hourly cap) is not stalled.
        const stalledMs = b.stalledSince === undefined || b.held > 0 || b.waiting > 0 ? undefined : now - b.stalledSince;
        const keepsUp = (failingMs ?? 0) <= this.#unhealthyAfterMs && (stalledMs ?? 0) <= this.#unhealthyAfterMs;
        const ok = keepsUp && b.deadLetterWritesBlocked === 0;
        return {
          block,
          integration: b.name,
          ok,
          lagBytes: b.lagBytes,
          ...(failingMs === undefined ? {} : { failingForSeconds: Math.round(failingMs / 1000), lastFailure: b.lastReason }),
          ...(stalledMs === undefined ? {} : { stalledForSeconds: Math.round(stalledMs / 1000) }),
          ...(b.deadLetterWritesBlocked === 0 ? {} : { deadLetterWritesBlocked: b.deadLetterWritesBlocked }),
          ...(b.held === 0 ? {} : { heldAlerts: b.held }),
          ...(b.waiting === 0 ? {} : { waitingForQuota: b.waiting }),
        };
      });
    const startup = this.#startup;
    const someEnabled = startup === undefined || startup.enabled > 0;
    return {
      ok: someEnabled && blocks.every((b) => b.ok),
      ...(startup === undefined ? {} : { enabledBlocks: startup.enabled, disabled: startup.disabled }),
      blocks,
    };
  }
}
