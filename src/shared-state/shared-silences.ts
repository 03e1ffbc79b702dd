// Silences in the shared state: one Redis hash per cluster, changes announced on a channel and applied by every node within a second.

import type { Alert } from '../alerts/alert.js';
import { errorMessage } from '../errors.js';
import { log } from '../telemetry/log.js';
import { findSilence, isActive, type Silence, type SilenceMatcher } from '../silences/silence.js';
import { EXPIRED_KEPT_MS, parseSilences } from '../silences/silence-file.js';
import type { SharedState } from './shared-state.js';

/** 1 s: every node reads the hash again at least this often (a change announced while a node's subscription was down is not missed). */
export const SHARED_SILENCES_POLL_MS = 1000;

const HASH = 'silences';
const CHANNEL = 'silences-changed';

/**
 * The cluster's silences: `integratord:<cluster>:silences` (silence id → its JSON record, as in
 * STATE/silences.json). `read` rejects when Redis cannot be reached (the admin command says so);
 * `put` writes one silence, drops those expired for more than EXPIRED_KEPT_MS and announces the change.
 */
export class SharedSilenceStore {
  readonly #shared: SharedState;

  constructor(shared: SharedState) {
    this.#shared = shared;
  }

  /** Where they are kept, for messages. */
  get where(): string {
    return `${this.#shared.target.shown} (${this.#shared.key(HASH)})`;
  }

  async read(): Promise<{ silences: Silence[]; problems: string[] }> {
    const values = await this.#shared.redis.hvals(this.#shared.key(HASH));
    const records: unknown[] = [];
    const problems: string[] = [];
    for (const value of values) {
      try {
        records.push(JSON.parse(value));
      } catch {
        problems.push('a record that is not JSON');
      }
    }
    const parsed = parseSilences(JSON.stringify({ silences: records }));
    return { silences: parsed.silences, problems: [...problems, ...parsed.problems] };
  }

  async put(silence: Silence, all: readonly Silence[], now: number): Promise<void> {
    const key = this.#shared.key(HASH);
    const gone = all.filter((s) => s.id !== silence.id && !isActive(s, now - EXPIRED_KEPT_MS)).map((s) => s.id);
    const multi = this.#shared.redis.multi().hset(key, silence.id, JSON.stringify(silence));
    if (gone.length > 0) multi.hdel(key, ...gone);
    await multi.publish(this.#shared.key(CHANNEL), silence.id).exec();
  }
}

/**
 * What a running node applies from the shared hash: read at open, again on every announcement
 * (pub/sub) and every second. While Redis is down the silences read last stay in force (logged
 * by the connection); they are read again as soon as it is back.
 */
export class SharedSilences implements SilenceMatcher {
  readonly #store: SharedSilenceStore;
  readonly #shared: SharedState;
  #silences: readonly Silence[] = [];
  #text = '';
  #problem = '';
  #timer: NodeJS.Timeout | undefined;
  #offChange: (() => void) | undefined;
  #reading: Promise<void> | undefined;

  private constructor(shared: SharedState) {
    this.#shared = shared;
    this.#store = new SharedSilenceStore(shared);
  }

  static async open(shared: SharedState, options: { readonly pollMs?: number } = {}): Promise<SharedSilences> {
    const live = new SharedSilences(shared);
    await live.refresh();
    const sub = shared.subscriber();
    sub.on('message', () => void live.refresh());
    sub.subscribe(shared.key(CHANNEL)).catch(() => undefined); // re-subscribed by ioredis on reconnect
    live.#offChange = shared.onChange((up) => (up ? void live.refresh() : undefined));
    live.#timer = setInterval(() => void live.refresh(), options.pollMs ?? SHARED_SILENCES_POLL_MS);
    live.#timer.unref();
    return live;
  }

  get active(): readonly Silence[] {
    const now = Date.now();
    return this.#silences.filter((s) => isActive(s, now));
  }

  match(alert: Alert, blockId: string): Silence | undefined {
    return this.#silences.length === 0 ? undefined : findSilence(this.#silences, alert, blockId, Date.now());
  }

  /** Reads the hash again (one read at a time); keeps what it had when Redis cannot be read. */
  refresh(): Promise<void> {
    this.#reading ??= this.#read().finally(() => (this.#reading = undefined));
    return this.#reading;
  }

  close(): void {
    clearInterval(this.#timer);
    this.#offChange?.();
  }

  async #read(): Promise<void> {
    if (!this.#shared.up) return;
    try {
      const { silences, problems } = await this.#store.read();
      const problem = problems.length === 0 ? '' : `${this.#store.where}: ${problems.length} record(s) left out: ${problems.join('; ')}`;
      if (problem !== '' && problem !== this.#problem) log.warning('SilencesNotRead', { problem });
      this.#problem = problem;
      const text = JSON.stringify(silences);
      if (text === this.#text) return;
      this.#text = text;
      this.#silences = silences;
      log.info('SilencesLoaded', { path: this.#store.where, active: this.active.length, kept: silences.length });
    } catch (error) {
      if (this.#shared.up) log.debug('SharedSilencesNotRead', { error: errorMessage(error) });
    }
  }
}

/** The silences of both places: the node's own file first, then the cluster's. */
export const eitherSilences = (first: SilenceMatcher, second: SilenceMatcher | undefined): SilenceMatcher =>
  second === undefined ? first : { match: (alert, blockId) => first.match(alert, blockId) ?? second.match(alert, blockId) };
