// The integrator: every enabled block running on its own source, started, stopped and reloaded together.

import { Subject, Subscription, map, type Observable, type OperatorFunction } from 'rxjs';
import { CursorStore, cursorScope, type CursorFlushReport } from '../alerts/cursor-store.js';
import { RejectedLines } from '../alerts/rejected-lines.js';
import type { IntegrationConfig } from '../config/integration-config.js';
import type { QueueWriter } from '../delivery/queue-writer.js';
import { compilePrefilter } from '../match/prefilter.js';
import { log } from '../telemetry/log.js';
import { blockLabels, createMetrics, type Metrics } from '../telemetry/metrics.js';
import type { WazuhPaths } from '../wazuh-home.js';
import { blockFingerprint } from './block-fingerprint.js';
import { DEFAULT_BLOCK_CONCURRENCY, type BlockPipelineOptions } from './block-pipeline.js';
import { runBlock, type BlockRun } from './block-runner.js';
import { openBlockSource, type LineInput, type OpenedSource } from './block-source.js';
import { createDeliveryParts, type DeliveryParts } from './delivery-parts.js';
import type { DryRunOptions } from './dry-run-deliver.js';
import { migrateLegacyState } from './migrate-legacy-state.js';
import { openBlock } from './open-block.js';
import type { Envelope, Outcome } from './outcome.js';

/** 5 s: long enough for a slow webhook to answer, short enough for systemd's stop timeout. */
export const DEFAULT_GRACE_MS = 5000;

/** An outcome with the block it belongs to. */
export type BlockOutcome = Outcome & { readonly block: number; readonly integration: string };

export interface IntegratorOptions {
  readonly paths: WazuhPaths;
  /** Where alerts come from: `follow` (the daemon, with cursors) or `replay` (files, once). */
  readonly input: Omit<Extract<LineInput, { kind: 'follow' }>, 'cursors'> | Extract<LineInput, { kind: 'replay' }>;
  readonly metrics?: Metrics;
  readonly debug?: number;
  /** Alerts one block delivers at once (default 4). */
  readonly concurrency?: number;
  readonly enrichmentOut?: string | undefined;
  readonly queue?: QueueWriter;
  /** Print actions instead of sending them (no cursor is written). */
  readonly dryRun?: DryRunOptions | undefined;
  readonly maxLineBytes?: number | undefined;
  /** Backoff, deadlines, scheduler overrides: for embedding apps and specs. */
  readonly pipeline?: Partial<Pick<BlockPipelineOptions, 'backoff' | 'deadlines' | 'scheduler'>>;
}

interface RunningBlock {
  readonly config: IntegrationConfig;
  readonly fingerprint: string;
  readonly opened: OpenedSource;
  readonly run: BlockRun;
  readonly subscription: Subscription;
  /** Resolves when the block's outcomes complete (source ended, deliveries settled) or it is torn down. */
  readonly done: Promise<void>;
}

export interface StartReport {
  readonly enabled: readonly IntegrationConfig[];
  readonly disabled: readonly { readonly config: IntegrationConfig; readonly reason: string }[];
}

/**
 * Runs a set of <integration> blocks. Each enabled block reads its own source (so a dead service
 * holds back only its own block) and settles every line with one outcome, visible on `outcomes$`.
 * `stop()` drains within a grace period and saves cursors; `reload()` swaps only changed blocks.
 */
export class Integrator {
  readonly metrics: Metrics;
  readonly #options: IntegratorOptions;
  readonly #parts: DeliveryParts;
  readonly #cursors: CursorStore;
  readonly #rejected: RejectedLines;
  /** Cursors of the default alerts.json: the only ones versions before block ids wrote. */
  readonly #defaultCursors: boolean;
  /** Running blocks by block id. */
  readonly #blocks = new Map<string, RunningBlock>();
  readonly #outcomes = new Subject<BlockOutcome>();
  #stopped: Promise<CursorFlushReport> | undefined;
  #migrated = false;

  constructor(options: IntegratorOptions) {
    this.#options = options;
    this.metrics = options.metrics ?? createMetrics();
    this.#parts = createDeliveryParts({ paths: options.paths, metrics: this.metrics, enrichmentOut: options.enrichmentOut, queue: options.queue });
    // Another alerts file keeps its cursors apart, so that a one-off run on it never moves those of alerts.json.
    const scope = options.input.kind === 'follow' ? cursorScope(options.input.alertsFile, options.paths.alerts) : undefined;
    this.#defaultCursors = options.input.kind === 'follow' && scope === undefined;
    this.#cursors = new CursorStore(options.paths.state, { scope });
    this.#rejected = new RejectedLines(options.paths.state);
  }

  /** Every outcome of every block, as they happen. Completes after `stop()` or when every block ended. */
  get outcomes$(): Observable<BlockOutcome> {
    return this.#outcomes.asObservable();
  }

  /** The configs of the running blocks. */
  get running(): readonly IntegrationConfig[] {
    return [...this.#blocks.values()].map((b) => b.config);
  }

  /** Replay progress summed over blocks (lines and bytes read by the slowest block; files any block failed to read). */
  progress(): { lines: number; bytes: number; totalBytes: number; filesFailed: number } | undefined {
    const replays = [...this.#blocks.values()].flatMap((b) => (b.opened.replay ? [b.opened.replay.progress()] : []));
    if (replays.length === 0) return undefined;
    const slowest = replays.reduce((a, b) => (b.bytes < a.bytes ? b : a));
    return { lines: slowest.lines, bytes: slowest.bytes, totalBytes: slowest.totalBytes, filesFailed: Math.max(...replays.map((r) => r.filesFailed)) };
  }

  /** The committed positions of followed blocks (for cursor lag). */
  committed(): { config: IntegrationConfig; position: ReturnType<BlockRun['committed']> }[] {
    return [...this.#blocks.values()].map((b) => ({ config: b.config, position: b.run.committed() }));
  }

  /**
   * Runs Wazuh's startup checks on every block (logging its lines) and starts the enabled ones.
   * `withoutCursor` overrides where blocks without a cursor start (a reload starts new blocks at the end).
   * The first start (not a dry run) migrates the `<index>-<name>` files of older versions first.
   */
  async start(configs: readonly IntegrationConfig[], withoutCursor?: 'end' | 'beginning'): Promise<StartReport> {
    if (!this.#migrated && !this.#options.dryRun) {
      this.#migrated = true;
      await migrateLegacyState(configs, { cursors: this.#defaultCursors ? this.#cursors : undefined, deadLetters: this.#parts.deadLetters });
    }
    const enabled: IntegrationConfig[] = [];
    const disabled: { config: IntegrationConfig; reason: string }[] = [];
    const options = this.#options;
    const parts = { ...this.#parts, paths: options.paths, debug: options.debug, concurrency: options.concurrency, dryRun: options.dryRun, pipeline: options.pipeline };
    for (const config of configs) {
      const opened = openBlock(config, parts);
      if (!opened.enabled) {
        disabled.push({ config, reason: opened.reason });
        continue;
      }
      await this.#startBlock(config, opened.deliver, withoutCursor);
      enabled.push(config);
    }
    // Start positions of blocks without a cursor are durable before anything is read.
    await this.#cursors.flush();
    return { enabled, disabled };
  }

  async #startBlock(config: IntegrationConfig, deliver: OperatorFunction<Envelope, Outcome>, withoutCursor?: 'end' | 'beginning'): Promise<void> {
    const options = this.#options;
    const input: LineInput =
      options.input.kind === 'follow'
        ? { ...options.input, cursors: this.#cursors, ...(withoutCursor === undefined ? {} : { withoutCursor }) }
        : options.input;
    const opened = await openBlockSource(config, input, { metrics: this.metrics, rejected: this.#rejected, maxLineBytes: options.maxLineBytes });
    const concurrency = options.concurrency ?? DEFAULT_BLOCK_CONCURRENCY;
    const run = runBlock({
      config,
      source: opened.source,
      deliver,
      metrics: this.metrics,
      prefilter: compilePrefilter([config], { encoding: 'text' }),
      rejected: this.#rejected,
      cursor: opened.cursorKey !== undefined && !options.dryRun ? { store: this.#cursors, key: opened.cursorKey } : undefined,
      // Room for the deliveries in flight plus quick skips, so that filtered alerts keep flowing.
      window: Math.max(64, concurrency * 16),
    });
    if (opened.start !== undefined && opened.cursorKey !== undefined && !options.dryRun) this.#cursors.save(opened.cursorKey, opened.start);
    let resolveDone: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (resolveDone = resolve));
    const subscription = run.outcomes$
      .pipe(map((outcome): BlockOutcome => ({ ...outcome, block: config.index, integration: config.name })))
      .subscribe({
        next: (outcome) => this.#outcomes.next(outcome),
        error: (error: unknown) => {
          log.critical('BlockStopped', { block: config.index, integration: config.name, error: error instanceof Error ? error.message : String(error) });
          resolveDone();
        },
        complete: () => resolveDone(),
      });
    subscription.add(() => resolveDone());
    this.#blocks.set(config.id, { config, fingerprint: blockFingerprint(config), opened, run, subscription, done });
  }

  /** Resolves when every running block has ended (a replay read all its files and settled them). */
  async done(): Promise<void> {
    await Promise.all([...this.#blocks.values()].map((b) => b.done));
  }

  /** Stops one block: no more reading, in-flight deliveries get `graceMs`, then are aborted; its cursor is saved. */
  async #stopBlock(block: RunningBlock, graceMs: number): Promise<void> {
    await block.opened.source.close();
    let timer: NodeJS.Timeout | undefined;
    const drained = await Promise.race([
      block.done.then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), graceMs))),
    ]);
    clearTimeout(timer);
    if (!drained) {
      log.warning(`Grace period over: aborting the deliveries in flight of '${block.config.name}' (block ${block.config.index}); they will be read again after a restart.`);
    }
    block.subscription.unsubscribe();
    this.#blocks.delete(block.config.id);
    this.metrics.inFlight.set(blockLabels(block.config.index, block.config.name), 0);
  }

  /**
   * Graceful stop: every source closes, deliveries in flight get `graceMs` to finish, then are
   * aborted (their alerts are not settled and will be read again: duplicates, never losses);
   * cursors and the rejected-lines file are flushed; connections closed. Idempotent (a second call
   * resolves with the first's report). Resolves with the cursors that could not be
   * saved (empty when every block's progress is on disk).
   */
  stop(graceMs = DEFAULT_GRACE_MS): Promise<CursorFlushReport> {
    this.#stopped ??= (async () => {
      await Promise.all([...this.#blocks.values()].map((b) => this.#stopBlock(b, graceMs)));
      const [cursors] = await Promise.all([this.#cursors.flush(), this.#rejected.close(), this.#parts.close()]);
      this.#outcomes.complete();
      return cursors;
    })();
    return this.#stopped;
  }

  /**
   * Applies a new configuration, matching blocks by id (name + destination), not position:
   * unchanged blocks keep running untouched; a block whose settings or position changed is
   * stopped (within the grace period) and started again from its own cursor; a removed block
   * stops (its cursor and dead letters stay); a new block starts at the end.
   */
  async reload(configs: readonly IntegrationConfig[], graceMs = DEFAULT_GRACE_MS): Promise<{ kept: number; started: StartReport; stopped: number }> {
    const wanted = new Map(configs.map((c) => [c.id, c]));
    let stopped = 0;
    let kept = 0;
    const toStart: IntegrationConfig[] = [];
    for (const block of [...this.#blocks.values()]) {
      const next = wanted.get(block.config.id);
      if (next !== undefined && blockFingerprint(next) === block.fingerprint) {
        kept++;
        wanted.delete(block.config.id);
        continue;
      }
      await this.#stopBlock(block, graceMs);
      stopped++;
    }
    await this.#cursors.flush();
    for (const config of wanted.values()) toStart.push(config);
    const started = await this.start(toStart, 'end');
    return { kept, started, stopped };
  }
}
