// One block's side of a shared read: its watermark, cursor, counters and delivery stream.

import { Subject, type Observable, type OperatorFunction, type Subscription } from 'rxjs';
import { alertId, type Alert } from '../alerts/alert.js';
import type { CursorPosition, CursorStore } from '../alerts/cursor-store.js';
import type { FileIdentity } from '../alerts/file-identity.js';
import { Watermark } from '../alerts/watermark.js';
import type { IntegrationConfig } from '../config/integration-config.js';
import { blockLabels, type BlockLabels, type Metrics } from '../telemetry/metrics.js';
import type { Envelope, Outcome } from './outcome.js';

export interface LaneParts {
  readonly config: IntegrationConfig;
  /** Envelope → Outcome: the block pipeline, or the dry-run printer. */
  readonly deliver: OperatorFunction<Envelope, Outcome>;
  readonly metrics: Metrics;
  /** The block's durable cursor (the daemon); replay and library runs have none. */
  readonly cursor?: { readonly store: CursorStore; readonly key: string } | undefined;
  /** Lines read ahead of their outcome (memory bound and duplicates after a crash). */
  readonly window: number;
}

/** Exact counts of a block's lines, including those settled in bulk (never emitted one by one). */
export interface LaneCounts {
  read: number;
  prefiltered: number;
  rejected: number;
  skipped: number;
  /** Noise control sent nothing (dedup). */
  suppressed: number;
  delivered: number;
  deadLettered: number;
}

/**
 * A block fed by a reader. Lines no filter of the block can take are settled in bulk (`advance`,
 * counted per batch with pre-bound label sets); the others are tracked one by one and pushed into
 * the block's delivery operator; each outcome settles its line, moves the cursor, and gives room
 * back. `outcomes$` emits every outcome except bulk-settled lines (hot: subscribe before reading).
 */
export class Lane {
  readonly config: IntegrationConfig;
  readonly counts: LaneCounts = { read: 0, prefiltered: 0, rejected: 0, skipped: 0, suppressed: 0, delivered: 0, deadLettered: 0 };
  readonly #parts: LaneParts;
  readonly #watermark = new Watermark();
  readonly #input = new Subject<Envelope>();
  readonly #outcomes = new Subject<Outcome & { readonly id?: string }>();
  /** The `id` of tracked alerts that have one, until their outcome. */
  readonly #ids = new Map<number, string>();
  /** Lines held for a digest: unsettled for the cursor, but not counted against the window (see `held` outcomes). */
  readonly #held = new Set<number>();
  readonly #subscription: Subscription;
  readonly #linesRead;
  readonly #bytesRead;
  readonly #prefiltered;
  /** The block's label set, made once (the cursor gauge is set per settled line). */
  readonly #labels: BlockLabels;
  #seq = 0;
  #ended = false;
  #onRoom: (() => void) | undefined;
  #resolveDone: () => void = () => undefined;
  /** Resolves once the lane's input ended and every line settled, or the lane was torn down. */
  readonly done: Promise<void>;

  constructor(parts: LaneParts) {
    this.config = parts.config;
    this.#parts = parts;
    const labels = (this.#labels = blockLabels(parts.config.index, parts.config.name));
    this.#linesRead = parts.metrics.linesRead.labels(labels);
    this.#bytesRead = parts.metrics.bytesRead.labels(labels);
    this.#prefiltered = parts.metrics.linesPrefiltered.labels(labels);
    this.done = new Promise<void>((resolve) => (this.#resolveDone = resolve));
    this.#subscription = this.#input.pipe(parts.deliver).subscribe({
      next: (outcome) => this.#settle(outcome),
      error: (error: unknown) => this.#finish(error),
      complete: () => this.#finish(),
    });
  }

  /** Every outcome of a tracked line; completes when the lane is done (errors if its delivery operator did). */
  get outcomes$(): Observable<Outcome & { readonly id?: string }> {
    return this.#outcomes.asObservable();
  }

  /** Room for more lines: fewer than `window` await their outcome. */
  get hasRoom(): boolean {
    return this.#watermark.inFlight - this.#held.size < this.#parts.window;
  }

  /** Lines the lane can take before its window is full. */
  get room(): number {
    return this.#parts.window - (this.#watermark.inFlight - this.#held.size);
  }

  /** Called once when room comes back after `hasRoom` was false. */
  whenRoom(callback: () => void): void {
    this.#onRoom = callback;
  }

  /** The position every earlier line is settled up to. */
  committed(): CursorPosition | undefined {
    return this.#watermark.committed();
  }

  /** Hands one alert to the block (its line ends at `end`, starts where the previous one ended; `line`: its text, for delivery workers). */
  offer(alert: Alert, start: CursorPosition, end: { file: FileIdentity; path: string; end: number }, line?: string): void {
    this.#watermark.advance(start);
    const seq = this.#seq++;
    this.#watermark.track(seq, end);
    const id = alertId(alert);
    if (id !== undefined) this.#ids.set(seq, id);
    this.#input.next(line === undefined ? { alert, seq } : { alert, seq, line });
  }

  /** A line that is not an alert: settled at once with its outcome. */
  reject(reason: string, start: CursorPosition, end: { file: FileIdentity; path: string; end: number }): void {
    this.#watermark.advance(start);
    const seq = this.#seq++;
    this.#watermark.track(seq, end);
    this.counts.rejected++;
    this.#settle({ kind: 'rejected', seq, reason }, false);
  }

  /** Accounts for a whole batch at once: lines read, bytes, lines settled unseen; `next` is where the following line starts. */
  batchDone(lines: number, bytes: number, prefiltered: number, next: CursorPosition): void {
    this.counts.read += lines;
    this.counts.prefiltered += prefiltered;
    this.#linesRead.inc(lines);
    this.#bytesRead.inc(bytes);
    if (prefiltered > 0) this.#prefiltered.inc(prefiltered);
    this.#watermark.advance(next);
    this.#saveCursor();
  }

  /** True once `end()` was called: the lane takes no more lines. */
  get ended(): boolean {
    return this.#ended;
  }

  /** No more lines will come (the source ended, or the block is stopping). */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#input.complete();
  }

  /** Tears the lane down: deliveries in flight are aborted (their alerts are read again after a restart). */
  close(): void {
    this.#subscription.unsubscribe();
    this.#ids.clear();
    this.#held.clear();
    this.#finish();
  }

  #settle(outcome: Outcome, counted = true): void {
    if (outcome.kind === 'held') {
      // Not final: the line stays unsettled (the cursor waits for its digest) but gives its room back.
      this.#held.add(outcome.seq);
      this.#roomBack();
      return;
    }
    this.#held.delete(outcome.seq);
    if (counted) {
      if (outcome.kind === 'skipped') this.counts.skipped++;
      else if (outcome.kind === 'delivered') this.counts.delivered++;
      else if (outcome.kind === 'dead-lettered') this.counts.deadLettered++;
      else if (outcome.kind === 'rejected') this.counts.rejected++;
      else if (outcome.kind === 'suppressed') this.counts.suppressed++;
    }
    this.#watermark.settle(outcome.seq);
    this.#saveCursor();
    const id = this.#ids.get(outcome.seq);
    if (id === undefined) this.#outcomes.next(outcome);
    else {
      this.#ids.delete(outcome.seq);
      this.#outcomes.next({ ...outcome, id });
    }
    this.#roomBack();
  }

  #roomBack(): void {
    if (this.#onRoom !== undefined && this.hasRoom) {
      const callback = this.#onRoom;
      this.#onRoom = undefined;
      callback();
    }
  }

  #saveCursor(): void {
    // Replay and library runs have no cursor: nothing to compute per outcome.
    const cursor = this.#parts.cursor;
    if (cursor === undefined) return;
    const position = this.#watermark.committed();
    if (position === undefined) return;
    cursor.store.save(cursor.key, position);
    this.#parts.metrics.cursorOffset.set(this.#labels, position.offset);
  }

  #finish(error?: unknown): void {
    const cursor = this.#parts.cursor;
    if (cursor !== undefined) void cursor.store.flush();
    if (error === undefined) this.#outcomes.complete();
    else this.#outcomes.error(error);
    this.#resolveDone();
  }
}
