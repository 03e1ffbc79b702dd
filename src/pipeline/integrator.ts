// The integrator: every enabled block, reading through shared readers, started, stopped and reloaded together.

import { Subject, Subscription, map, type Observable, type OperatorFunction } from 'rxjs';
import { CursorStore, cursorScope, type CursorFlushReport, type CursorPosition } from '../alerts/cursor-store.js';
import { RejectedLines } from '../alerts/rejected-lines.js';
import type { IntegrationConfig } from '../config/integration-config.js';
import { log } from '../telemetry/log.js';
import { FileNoiseStore, MemoryNoiseStore, type NoiseStore } from '../noise/noise-store.js';
import { blockLabels, createMetrics, type Metrics } from '../telemetry/metrics.js';
import { blockFingerprint } from './block-fingerprint.js';
import { DEFAULT_BLOCK_CONCURRENCY } from './block-pipeline.js';
import { ReplaySource } from '../alerts/replay-source.js';
import { followFrom, openBlockSource, type LineInput } from './block-source.js';
import { Lane, type LaneCounts } from './lane.js';
import { SharedReader, type BatchSource } from './shared-reader.js';
import { createDeliveryParts, type DeliveryParts } from './delivery-parts.js';
import { migrateLegacyState } from './migrate-legacy-state.js';
import { blockDeliver, openBlock } from './open-block.js';
import type { RedriveBlock } from './redrive.js';
import type { BlockIntegration } from '../integrations/definition.js';
import type { BlockOutcome, Envelope, Outcome } from './outcome.js';
import type { IntegratorOptions } from './integrator-options.js';
import { errorMessage } from '../errors.js';
import { settledWithin } from './settled-within.js';
import { WorkerDelivery, workerParts } from './workers/worker-delivery.js';

/** 5 s: long enough for a slow webhook to answer, short enough for systemd's stop timeout. */
export const DEFAULT_GRACE_MS = 5000;

interface RunningBlock {
  readonly config: IntegrationConfig;
  readonly fingerprint: string;
  /** What the startup check created: automatic redrives of the block's dead letters use it too. */
  readonly integration: BlockIntegration;
  readonly lane: Lane;
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
  /** Noise control state: STATE/noise/ for the daemon on alerts.json, in memory for replay, dry runs and other files. */
  readonly #noise: NoiseStore;
  /** Cursors of the default alerts.json: the only ones versions before block ids wrote. */
  readonly #defaultCursors: boolean;
  /** Running blocks by block id. */
  readonly #blocks = new Map<string, RunningBlock>();
  readonly #outcomes = new Subject<BlockOutcome>();
  readonly #reader: SharedReader;
  #replay: ReplaySource | undefined;
  #stopped: Promise<CursorFlushReport> | undefined;
  readonly #workers: WorkerDelivery | undefined; // --workers N > 1: blocks delivered over worker threads
  #migrated = false;

  constructor(options: IntegratorOptions) {
    this.#options = options;
    const workers = workerParts(options);
    this.metrics = options.metrics ?? createMetrics(workers.registry);
    // Another alerts file keeps its cursors apart, so that a one-off run on it never moves those of alerts.json.
    const scope = options.input.kind === 'follow' ? cursorScope(options.input.alertsFile, options.paths.alerts) : undefined;
    this.#defaultCursors = options.input.kind === 'follow' && scope === undefined;
    this.#parts = createDeliveryParts({ paths: options.paths, metrics: this.metrics, enrichmentOut: options.enrichmentOut, queue: options.queue, connections: options.connections, redrive: options.redrive, persistEnrichment: this.#defaultCursors && !options.dryRun, pauses: workers.pauses, sharedEnrichment: options.dryRun ? undefined : options.sharedEnrichment });
    this.#workers = workers.count > 1 ? new WorkerDelivery(workers.count, options, this.#parts, this.metrics) : undefined;
    this.#cursors = new CursorStore(options.paths.state, { scope });
    // A dry run writes nothing to the state directory: its rejected lines go to the dry run's writer (stderr).
    this.#rejected = new RejectedLines(options.paths.state, options.dryRun ? { sink: options.dryRun.rejected ?? ((record) => void process.stderr.write(record)) } : {});
    this.#noise =
      this.#defaultCursors && !options.dryRun
        ? new FileNoiseStore(options.paths.state, (blockId, error) => log.error('NoiseStateNotSaved', { block_id: blockId, error: errorMessage(error) }))
        : new MemoryNoiseStore();
    this.#reader = new SharedReader({
      metrics: this.metrics,
      rejected: this.#rejected,
      reopen: options.input.kind === 'follow' ? followFrom(options.input.alertsFile, { maxLineBytes: options.maxLineBytes, pollMs: options.input.pollMs, rotateWaitMs: options.input.rotateWaitMs }) : undefined,
      parseEverything: () => log.enabled('debug'),
    });
  }

  /** Every outcome of every block, as they happen. Completes after `stop()` or when every block ended. */
  get outcomes$(): Observable<BlockOutcome> {
    return this.#outcomes.asObservable();
  }

  /** The running blocks (index → config). */
  get running(): readonly IntegrationConfig[] {
    return [...this.#blocks.values()].map((b) => b.config);
  }

  /** Replay progress (lines and bytes read for every block at once; files that could not be read to their end). */
  progress(): { lines: number; bytes: number; totalBytes: number; filesFailed: number } | undefined {
    const replay = this.#replay?.progress();
    return replay && { lines: replay.lines, bytes: replay.bytes, totalBytes: replay.totalBytes, filesFailed: replay.filesFailed };
  }

  /** The committed positions of followed blocks (for cursor lag). */
  committed(): { config: IntegrationConfig; position: CursorPosition | undefined }[] {
    return [...this.#blocks.values()].map((b) => ({ config: b.config, position: b.lane.committed() }));
  }

  /** Exact counts per running block, lines settled in bulk included (replay summaries). */
  counts(): { config: IntegrationConfig; counts: Readonly<LaneCounts> }[] {
    return [...this.#blocks.values()].map((b) => ({ config: b.config, counts: b.lane.counts }));
  }

  /** The parts every block delivers through (its dead-letter store: appends and redrive rewrites of one file are serialised). */
  get deliveryParts(): DeliveryParts {
    return this.#parts;
  }

  /** A running block, opened for redrives of its dead letters (its integration, no noise control); disabled when not running. */
  redriveBlock(config: IntegrationConfig): RedriveBlock {
    const block = this.#blocks.get(config.id);
    if (block === undefined) return { enabled: false, reason: `block ${config.index} (${config.name}) is not running` };
    const { noise: _noise, ...withoutNoise } = block.config;
    const parts = { ...this.#parts, paths: this.#options.paths, debug: this.#options.debug, pipeline: this.#options.pipeline };
    return { enabled: true, deliver: (deadLetters) => blockDeliver(withoutNoise, block.integration, { ...parts, deadLetters }) };
  }

  /** Reader groups at work: 1 when every block reads at the same place. */
  get readers(): number {
    return this.#reader.groups;
  }

  /**
   * Runs Wazuh's startup checks on every block (logging its lines) and starts the enabled ones.
   * `withoutCursor` overrides where blocks without a cursor start (a reload starts new blocks at the end).
   */
  async start(configs: readonly IntegrationConfig[], withoutCursor?: 'end' | 'beginning', returning: ReadonlySet<string> = new Set()): Promise<StartReport> {
    if (!this.#migrated && !this.#options.dryRun) {
      this.#migrated = true;
      await Promise.all([this.#parts.ready, migrateLegacyState(configs, { cursors: this.#defaultCursors ? this.#cursors : undefined, deadLetters: this.#parts.deadLetters })]); // enrichment caches read before blocks open
    }
    const options = this.#options;
    // A followed file ends only when the daemon stops: held alerts stay held (journaled, read again after a restart).
    const noise = { store: this.#noise, clock: options.noiseClock ?? 'wall', holdAtEnd: options.input.kind === 'follow', claims: options.dryRun ? undefined : options.claims } as const;
    const parts = { ...this.#parts, paths: options.paths, debug: options.debug, concurrency: options.concurrency, dryRun: options.dryRun, silences: options.silences, pipeline: { ...options.pipeline, noise }, configFile: options.configFile };
    const enabled: IntegrationConfig[] = [];
    const disabled: { config: IntegrationConfig; reason: string }[] = [];
    const lanes: { lane: Lane; source?: BatchSource & { position(): CursorPosition | undefined } }[] = [];
    for (const config of configs) {
      const opened = openBlock(config, parts);
      if (!opened.enabled) {
        disabled.push({ config, reason: opened.reason });
        continue;
      }
      const deliver = this.#workers?.deliver(config, opened.integration, opened.deliver) ?? opened.deliver;
      lanes.push(await this.#startBlock(config, opened.integration, deliver, withoutCursor, returning.has(config.id)));
      enabled.push(config);
    }
    // Start positions of blocks without a cursor are durable before anything is read.
    await this.#cursors.flush();
    await this.#startReading(lanes);
    return { enabled, disabled };
  }

  /** Blocks at the same place share one reader; a replay reads its files once for all. */
  async #startReading(lanes: readonly { lane: Lane; source?: BatchSource & { position(): CursorPosition | undefined } }[]): Promise<void> {
    if (lanes.length === 0) return;
    const input = this.#options.input;
    if (input.kind === 'replay') {
      const all = lanes.map((l) => l.lane);
      const replay: ReplaySource = new ReplaySource(input.files, {
        since: input.since,
        until: input.until,
        rate: input.rate,
        onRejected: this.#reader.overlongHandler(() => replay),
        ...(this.#options.maxLineBytes === undefined ? {} : { maxLineBytes: this.#options.maxLineBytes }),
      });
      this.#replay = replay;
      this.#reader.add(replay, all);
      return;
    }
    await this.#reader.addAtTheirPositions(lanes.flatMap(({ lane, source }) => (source === undefined ? [] : [{ lane, source }])));
  }

  async #startBlock(config: IntegrationConfig, integration: BlockIntegration, deliver: OperatorFunction<Envelope, Outcome>, withoutCursor?: 'end' | 'beginning', returning = false): Promise<{ lane: Lane; source?: BatchSource & { position(): CursorPosition | undefined } }> {
    const options = this.#options;
    const concurrency = options.concurrency ?? DEFAULT_BLOCK_CONCURRENCY;
    let source: (BatchSource & { position(): CursorPosition | undefined }) | undefined;
    let cursorKey: string | undefined;
    if (options.input.kind === 'follow') {
      const input: LineInput = { ...options.input, cursors: this.#cursors, returning, ...(withoutCursor === undefined ? {} : { withoutCursor }) };
      let follower: BatchSource | undefined;
      const opened = await openBlockSource(config, input, { onRejected: this.#reader.overlongHandler(() => follower), maxLineBytes: options.maxLineBytes });
      follower = opened.source;
      source = opened.source;
      cursorKey = opened.cursorKey;
      if (opened.start !== undefined && !options.dryRun) this.#cursors.save(opened.cursorKey, opened.start);
      return { lane: this.#lane(config, integration, deliver, cursorKey, concurrency), source };
    }
    return { lane: this.#lane(config, integration, deliver, undefined, concurrency) };
  }

  #lane(config: IntegrationConfig, integration: BlockIntegration, deliver: OperatorFunction<Envelope, Outcome>, cursorKey: string | undefined, concurrency: number): Lane {
    const lane = new Lane({
      config,
      deliver,
      metrics: this.metrics,
      cursor: cursorKey !== undefined && !this.#options.dryRun ? { store: this.#cursors, key: cursorKey } : undefined,
      // Room for the deliveries in flight plus quick skips, so that filtered alerts keep flowing.
      window: Math.max(64, concurrency * 16),
    });
    const subscription = lane.outcomes$
      .pipe(map((outcome): BlockOutcome => ({ ...outcome, block: config.index, integration: config.name, blockId: config.id })))
      .subscribe({
        next: (outcome) => this.#outcomes.next(outcome),
        error: (error: unknown) => {
          log.critical('BlockStopped', { block: config.index, integration: config.name, error: errorMessage(error) });
        },
      });
    this.#blocks.set(config.id, { config, fingerprint: blockFingerprint(config), integration, lane, subscription, done: lane.done });
    return lane;
  }

  /** Resolves when every running block has ended (a replay read all its files and settled them). */
  async done(): Promise<void> {
    await Promise.all([...this.#blocks.values()].map((b) => b.done));
  }

  /** Stops one block: no more reading, in-flight deliveries get `graceMs`, then are aborted; its cursor is saved. */
  async #stopBlock(block: RunningBlock, graceMs: number): Promise<void> {
    await this.#reader.remove(block.lane);
    if (!(await settledWithin(block.done, graceMs))) {
      log.warning(`Grace period over: aborting the deliveries in flight of '${block.config.name}' (block ${block.config.index}); they will be read again after a restart.`);
    }
    block.lane.close();
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
      await this.#reader.close();
      await this.#workers?.close();
      this.#replay = undefined;
      const [cursors] = await Promise.all([this.#cursors.flush(), this.#rejected.close(), this.#parts.close(), this.#noise.flush()]);
      this.#outcomes.complete();
      return cursors;
    })();
    return this.#stopped;
  }

  /** Reopens the files an admin may have moved (SIGHUP): STATE/rejected-lines.jsonl. */
  reopenFiles(): Promise<void> {
    return this.#rejected.reopen();
  }

  /**
   * Applies a new configuration: unchanged blocks keep running untouched; a changed block is
   * stopped (within the grace period) and started again from its cursor (same position and name
   * = same cursor); a removed block stops (its cursor file stays); a new block starts at the end.
   */
  async reload(configs: readonly IntegrationConfig[], graceMs = DEFAULT_GRACE_MS): Promise<{ kept: number; started: StartReport; stopped: number }> {
    const wanted = new Map(configs.map((c) => [c.id, c]));
    const running = new Set([...this.#blocks.values()].map((b) => b.config.id));
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
    // Blocks not running before this reload (added back after a removal) follow the comes-back rule of their cursor.
    const returning = new Set(toStart.filter((c) => !running.has(c.id)).map((c) => c.id));
    const started = await this.start(toStart, 'end', returning);
    return { kept, started, stopped };
  }
}
