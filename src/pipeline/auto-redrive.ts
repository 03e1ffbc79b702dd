// The daemon's automatic redrive: dead letters with a transient cause are sent again on their durable schedule; gauges of what is left.

import { stat } from 'node:fs/promises';
import type { IntegrationConfig } from '../config/integration-config.js';
import { causeOf } from '../delivery/dead-letter-cause.js';
import type { DeadLetterFile, DeadLetterRecord } from '../delivery/dead-letter.js';
import { errorMessage } from '../errors.js';
import { log } from '../telemetry/log.js';
import type { Metrics } from '../telemetry/metrics.js';
import { ownerOf, redriveFile, type RedriveParts, type RedriveResult } from './redrive.js';
import { answerRedriveRequest, pendingRedriveRequests } from './redrive-requests.js';
import { redriveDue } from './redrive-schedule.js';

export interface AutoRedriveOptions extends Omit<RedriveParts, 'configs'> {
  /** The blocks now configured (they change with reloads). */
  readonly configs: () => readonly IntegrationConfig[];
  readonly metrics: Metrics;
  /** How often files are looked at and requests of `dlq redrive` taken (ms). */
  readonly tickMs: number;
  /** Shortest time between two automatic passes over one file (ms): the due records are sent together. */
  readonly passEveryMs?: number;
  readonly now?: () => number;
}

/** Records one automatic pass sends at most per file (1,000): a pass holds them in memory, and stop waits for it. */
export const MAX_REDRIVE_PER_PASS = 1000;

/** What is known of one file: read up to `end` of inode `ino`; counts by cause, earliest next redrive. */
interface FileView {
  readonly ino: number;
  readonly end: number;
  readonly counts: Map<string, number>;
  next: number | undefined;
  readonly integration: string;
  /** When the file was last redriven automatically (ms). */
  passAt: number;
}

const countByCause = (records: readonly DeadLetterRecord[]): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const r of records) {
    const cause = r.cause ?? causeOf({ reason: r.reason, status: r.status, transient: r.retryable }).cause;
    counts.set(cause, (counts.get(cause) ?? 0) + 1);
  }
  return counts;
};

/**
 * Runs in the daemon (which holds the state lock, so it is the one process that redrives). Every
 * `tickMs`: answers the requests of `dlq redrive` (every record of the files asked for), then sends
 * again the records whose `next_redrive` has come (at most MAX_REDRIVE_PER_PASS per file and pass, a
 * pass per file at most every `passEveryMs`), through the running block with the file's id; one pass
 * at a time. Only what was appended to a file since the last look is read (the whole file after a
 * rewrite), so a quiet queue costs a stat per file per tick. Sets `integratord_dead_letters{block,integration,cause}`
 * and `integratord_dead_letter_next_redrive_seconds`. Never rejects: errors are logged and the next tick tries again.
 */
export class AutoRedrive {
  readonly #options: AutoRedriveOptions;
  readonly #views = new Map<string, FileView>();
  #timer: NodeJS.Timeout | undefined;
  #pass: Promise<void> = Promise.resolve();
  #stopped = false;
  readonly #abort = new AbortController();

  constructor(options: AutoRedriveOptions) {
    this.#options = options;
  }

  start(): void {
    const tick = () => {
      this.#pass = this.#tick().finally(() => {
        if (!this.#stopped) this.#timer = setTimeout(tick, this.#options.tickMs);
      });
    };
    this.#timer = setTimeout(tick, 0);
  }

  /**
   * No new pass; the pass in progress gets `graceMs` to finish, then its deliveries are aborted (their
   * records stay as they were: sent again later, never lost). Resolves once it has ended.
   */
  async stop(graceMs = 0): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.#pass, new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    this.#abort.abort();
    await this.#pass;
  }

  #parts(): RedriveParts {
    return { ...this.#options, configs: this.#options.configs(), signal: this.#abort.signal };
  }

  async #tick(): Promise<void> {
    try {
      await this.#answerRequests();
      if (this.#stopped) return;
      const store = this.#options.delivery.deadLetters;
      const files = await store.files();
      const now = (this.#options.now ?? Date.now)();
      for (const file of files) {
        if (this.#stopped) return;
        const view = await this.#view(file);
        if (view?.next !== undefined && view.next <= now && now - view.passAt >= (this.#options.passEveryMs ?? 0)) {
          view.passAt = now;
          await this.#redrive(file, now);
          await this.#view(file);
        }
      }
      for (const id of [...this.#views.keys()]) if (!files.some((f) => f.id === id)) this.#views.delete(id);
      this.#publish(files);
    } catch (error) {
      log.error('AutoRedriveFailed', { error: errorMessage(error) });
    }
  }

  /**
   * The view of a file: what was appended since the last look is added to it; a file replaced since
   * (a rewrite: redrive, drop — a new inode) or cut shorter is read whole again. Undefined once it is gone.
   */
  async #view(file: DeadLetterFile): Promise<FileView | undefined> {
    const store = this.#options.delivery.deadLetters;
    const st = await stat(file.path).catch(() => undefined);
    if (st === undefined) {
      this.#views.delete(file.id);
      return undefined;
    }
    let view = this.#views.get(file.id);
    if (view !== undefined && view.ino === st.ino && view.end === st.size) return view;
    const from = view !== undefined && view.ino === st.ino && view.end < st.size ? view.end : 0;
    const tail = await store.tail(file.path, from);
    const records = tail.entries.flatMap((e) => (e.record ? [e.record] : []));
    if (from === 0 || view === undefined) view = { ino: tail.ino, end: 0, counts: new Map(), next: undefined, integration: records[0]?.integration ?? file.id, passAt: view?.passAt ?? 0 };
    for (const [cause, n] of countByCause(records)) view.counts.set(cause, (view.counts.get(cause) ?? 0) + n);
    for (const r of records) {
      const at = r.next_redrive === undefined ? NaN : Date.parse(r.next_redrive);
      if (Number.isFinite(at) && (view.next === undefined || at < view.next)) view.next = at;
    }
    const updated = { ...view, ino: tail.ino, end: tail.end };
    this.#views.set(file.id, updated);
    return updated;
  }

  async #redrive(file: DeadLetterFile, now: number): Promise<void> {
    const parts = this.#parts();
    if (ownerOf(file, parts.configs) === undefined) return;
    let taken = 0;
    const result = await redriveFile(file, parts, (record) => redriveDue(record, now) && taken++ < MAX_REDRIVE_PER_PASS);
    this.#count(result);
    if (result.total > 0) log.info('DeadLettersRedriven', { block: result.block, integration: result.integration, block_id: file.id, redriven: result.total, delivered: result.delivered, still_dead: result.stillDead, ...(result.error === undefined ? {} : { error: result.error }) });
  }

  async #answerRequests(): Promise<void> {
    const state = this.#options.paths.state;
    for (const request of await pendingRedriveRequests(state)) {
      const parts = this.#parts();
      const files = (await parts.delivery.deadLetters.files()).filter((f) => request.blocks === undefined || request.blocks.includes(f.id));
      const results: RedriveResult[] = [];
      for (const file of files) results.push(await redriveFile(file, parts));
      for (const result of results) this.#count(result);
      await answerRedriveRequest(state, request.id, results);
      log.info('DeadLettersRedriven', { request: request.id, files: results.length, redriven: results.reduce((n, r) => n + r.total, 0), delivered: results.reduce((n, r) => n + r.delivered, 0) });
    }
  }

  /** integratord_dead_letters_redriven_total of one file's redrive (not of an orphaned or disabled block's). */
  #count(result: RedriveResult): void {
    if (result.block === undefined || result.integration === undefined || result.error !== undefined) return;
    const labels = { block: String(result.block), integration: result.integration };
    const counter = this.#options.metrics.deadLettersRedriven;
    if (result.delivered > 0) counter.inc({ ...labels, result: 'delivered' }, result.delivered);
    if (result.skipped > 0) counter.inc({ ...labels, result: 'skipped' }, result.skipped);
    if (result.stillDead > 0) counter.inc({ ...labels, result: 'failed' }, result.stillDead);
  }

  #publish(files: readonly DeadLetterFile[]): void {
    const { metrics } = this.#options;
    const configs = this.#options.configs();
    metrics.deadLetters.reset();
    metrics.deadLetterNextRedrive.reset();
    for (const file of files) {
      const view = this.#views.get(file.id);
      if (view === undefined) continue;
      const owner = ownerOf(file, configs);
      const labels = { block: owner === undefined ? 'orphaned' : String(owner.index), integration: owner?.name ?? view.integration };
      for (const [cause, n] of view.counts) metrics.deadLetters.inc({ ...labels, cause }, n);
      metrics.deadLetterNextRedrive.set(labels, view.next === undefined ? 0 : Math.floor(view.next / 1000));
    }
  }
}
