// The blocks of an embedded integrator: each with its own window; alerts enter, settle or are dead-lettered, outcomes counted and emitted.

import { Subject, type Observable, type Subscription } from 'rxjs';
import { alertId, isAlert, type Alert } from '../alerts/alert.js';
import type { IntegrationConfig } from '../config/integration-config.js';
import type { DeliveryParts } from '../pipeline/delivery-parts.js';
import type { OpenedBlock } from '../pipeline/open-block.js';
import type { BlockOutcome, Envelope, Outcome } from '../pipeline/outcome.js';
import { log, withLogger, type Logger } from '../telemetry/log.js';
import { BlockWindow } from './block-window.js';
import { DeadLetterBatch } from './dead-letter-batch.js';
import { deferred } from './deferred.js';
import { OVERFLOW_REASON, STOPPED_REASON, type StopCounts } from './push-stop.js';

/** One accepted alert, until every block settled it. */
interface Held {
  readonly seq: number;
  readonly id: string | undefined;
  readonly outcomes: BlockOutcome[];
  remaining: number;
  readonly resolve: (outcomes: readonly BlockOutcome[]) => void;
}

interface PushBlock {
  readonly config: IntegrationConfig;
  readonly input: Subject<Envelope>;
  readonly window: BlockWindow<{ held: Held; alert: Alert }>;
  subscription: Subscription | undefined;
}

export interface PushBlocksOptions {
  readonly blocks: readonly Extract<OpenedBlock, { enabled: true }>[];
  readonly parts: DeliveryParts;
  readonly highWaterMark: number;
  readonly stallMs: number;
  readonly logger: Logger | undefined;
  /** A block settled an alert: room may have come back. */
  readonly onRoom: () => void;
  /** Nothing is held any more. */
  readonly onEmpty: () => void;
}

/**
 * Every enabled block of a push-mode integrator. An alert enters every block whose window has room;
 * a block whose window is full (the caller checked it stalled) dead-letters it with reason
 * `overflow` instead, in one batched append. Outcomes of the creation turn are emitted on the next
 * turn, so that a subscriber added right after `await createIntegrator(...)` sees them.
 */
export class PushBlocks {
  readonly #blocks: PushBlock[];
  readonly #options: PushBlocksOptions;
  readonly #batch: DeadLetterBatch;
  readonly #outcomes = new Subject<BlockOutcome>();
  readonly #counts = { delivered: 0, skipped: 0, deadLettered: 0, rejected: 0, stopped: 0, overflowed: 0 };
  #early: BlockOutcome[] | undefined = [];
  #completed = false;
  #held = 0;
  #seq = 0;

  constructor(options: PushBlocksOptions) {
    this.#options = options;
    this.#batch = new DeadLetterBatch(options.parts);
    this.#blocks = options.blocks.map((opened) => {
      const block: PushBlock = { config: opened.config, input: new Subject<Envelope>(), window: new BlockWindow(options.highWaterMark, options.stallMs), subscription: undefined };
      block.subscription = block.input.pipe(opened.deliver).subscribe({
        next: (outcome) => this.#settle(block, outcome),
        error: (error: unknown) => log.critical('BlockStopped', { block: block.config.index, integration: block.config.name, error: error instanceof Error ? error.message : String(error) }),
      });
      return block;
    });
    setImmediate(() => {
      const early = this.#early ?? [];
      this.#early = undefined;
      for (const outcome of early) this.#outcomes.next(outcome);
      if (this.#completed) this.#outcomes.complete();
    });
  }

  get outcomes$(): Observable<BlockOutcome> {
    return this.#outcomes.asObservable();
  }

  /** Alerts accepted and not yet settled by every block. */
  get held(): number {
    return this.#held;
  }

  get counts(): StopCounts {
    return { ...this.#counts };
  }

  /** Every block has room, or stalled (its alerts will be dead-lettered `overflow`). */
  admissible(): boolean {
    for (const block of this.#blocks) if (block.window.full && !block.window.stalled) return false;
    return true;
  }

  /** When the first full, not yet stalled block could count as stalled; undefined when none blocks. */
  stallsAt(): number | undefined {
    let at: number | undefined;
    for (const block of this.#blocks) if (block.window.full && !block.window.stalled) at = Math.min(at ?? Infinity, block.window.stallsAt);
    return at;
  }

  /** Flags the full blocks without progress for stallMs (BlockWindow.mark): from a timer that fired on time only. */
  markStalled(now = Date.now()): void {
    for (const block of this.#blocks) block.window.mark(now);
  }

  /** The event loop was busy: every block gets a full stallMs again from now (BlockWindow.restart). */
  restartStallClocks(now = Date.now()): void {
    for (const block of this.#blocks) block.window.restart(now);
  }

  /** Hands the alert to every block (a full one dead-letters it `overflow`), in the integrator's log scope. */
  enter(alert: unknown, now = Date.now()): Promise<readonly BlockOutcome[]> {
    return withLogger(this.#options.logger, () => {
      const { held, settled } = this.#hold(alert);
      for (const block of this.#blocks) {
        if (!isAlert(alert)) this.#record(block, held, { kind: 'rejected', seq: held.seq, reason: 'not-an-object' });
        else if (block.window.full) void this.#spill(block, held, alert, OVERFLOW_REASON);
        else {
          block.window.add(held.seq, { held, alert }, now);
          block.input.next({ alert, seq: held.seq });
        }
      }
      return settled;
    });
  }

  /** Dead-letters the alert in every block at once (alerts$ overflow, taken alerts at stop); resolves once written. */
  spillAll(alert: unknown, reason: string): Promise<void> {
    const { held } = this.#hold(alert);
    const spills = this.#blocks.map((block) => {
      if (isAlert(alert)) return this.#spill(block, held, alert, reason);
      this.#record(block, held, { kind: 'rejected', seq: held.seq, reason: 'not-an-object' });
      return Promise.resolve();
    });
    return Promise.all(spills).then(() => undefined);
  }

  /** No more alerts: the blocks finish what they hold. */
  complete(): void {
    for (const block of this.#blocks) block.input.complete();
  }

  /**
   * Ends every block's deliveries and dead-letters what is still unsettled (reason `stopped`; an alert
   * whose request was in flight may have reached its service: a redrive can send it twice), then
   * completes outcomes$. Resolves once the dead letters are written.
   */
  async abandon(spills: readonly Promise<void>[]): Promise<void> {
    for (const block of this.#blocks) block.subscription?.unsubscribe();
    const all = [...spills];
    for (const block of this.#blocks) {
      for (const [seq, { held, alert }] of [...block.window.pending]) {
        block.window.take(seq, false);
        all.push(this.#spill(block, held, alert, STOPPED_REASON));
      }
    }
    await Promise.all(all);
    this.#completed = true;
    if (this.#early === undefined) this.#outcomes.complete();
  }

  #hold(alert: unknown): { held: Held; settled: Promise<readonly BlockOutcome[]> } {
    const settled = deferred<readonly BlockOutcome[]>();
    const held: Held = { seq: this.#seq++, id: alertId(alert), outcomes: [], remaining: this.#blocks.length, resolve: settled.resolve };
    if (held.remaining === 0) settled.resolve([]);
    else this.#held++;
    return { held, settled: settled.promise };
  }

  async #spill(block: PushBlock, held: Held, alert: Alert, reason: string): Promise<void> {
    const written = await this.#batch.write(block.config, alert, reason);
    if (written && reason === STOPPED_REASON) this.#counts.stopped++;
    if (written && reason === OVERFLOW_REASON) this.#counts.overflowed++;
    this.#record(block, held, { kind: 'dead-lettered', seq: held.seq, attempts: 0, reason: written ? reason : `${reason} (dead letter not written)`, alert });
  }

  #settle(block: PushBlock, outcome: Outcome): void {
    if (outcome.kind === 'held') return; // not final: its digest's outcome settles it
    const taken = block.window.take(outcome.seq, outcome.kind !== 'dead-lettered');
    if (taken === undefined) return;
    this.#record(block, taken.held, outcome);
    this.#options.onRoom();
  }

  #record(block: PushBlock, held: Held, outcome: Outcome): void {
    const { config } = block;
    const tagged: BlockOutcome = { ...outcome, block: config.index, integration: config.name, blockId: config.id, ...(held.id === undefined ? {} : { id: held.id }) };
    if (outcome.kind === 'delivered') this.#counts.delivered++;
    else if (outcome.kind === 'skipped' || outcome.kind === 'suppressed') this.#counts.skipped++;
    else if (outcome.kind === 'dead-lettered') this.#counts.deadLettered++;
    else this.#counts.rejected++;
    held.outcomes.push(tagged);
    if (this.#early !== undefined) this.#early.push(tagged);
    else this.#outcomes.next(tagged);
    if (--held.remaining > 0) return;
    held.resolve(held.outcomes);
    this.#held--;
    if (this.#held === 0) this.#options.onEmpty();
  }
}
