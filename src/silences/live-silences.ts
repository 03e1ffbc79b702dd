// The silences a running daemon applies: STATE/silences.json re-read on fs.watch events and every second.

import { watch, type FSWatcher } from 'node:fs';
import type { Alert } from '../alerts/alert.js';
import { errorMessage } from '../errors.js';
import { log } from '../telemetry/log.js';
import { findSilence, isActive, type Silence, type SilenceMatcher } from './silence.js';
import { readSilences, SILENCES_FILE, silencesPath } from './silence-file.js';

/** 1 s: a change is applied within a second even where fs.watch sends nothing (NFS, no inotify watches left). */
export const SILENCES_POLL_MS = 1000;

/**
 * The current silences of one state directory. `open()` reads the file once (so the first alert
 * already sees them), then every change is picked up without a restart. A file that cannot be read
 * or parsed is logged (once per distinct problem) and the silences read before stay in force.
 * `match` uses the wall clock, so a silence stops applying the moment it expires.
 */
export class LiveSilences implements SilenceMatcher {
  readonly #state: string;
  readonly #pollMs: number;
  #silences: readonly Silence[] = [];
  #text: string | undefined;
  #problem: string | undefined;
  #reading: Promise<void> | undefined;
  #again = false;
  #watcher: FSWatcher | undefined;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  private constructor(state: string, pollMs: number) {
    this.#state = state;
    this.#pollMs = pollMs;
  }

  /** Reads STATE/silences.json and starts watching it; never rejects (a bad file is logged). */
  static async open(state: string, options: { readonly pollMs?: number } = {}): Promise<LiveSilences> {
    const live = new LiveSilences(state, options.pollMs ?? SILENCES_POLL_MS);
    await live.refresh();
    live.#watch();
    live.#timer = setInterval(() => void live.refresh(), live.#pollMs);
    live.#timer.unref();
    return live;
  }

  /** The silences in force now (active ones, at the wall clock). */
  get active(): readonly Silence[] {
    const now = Date.now();
    return this.#silences.filter((s) => isActive(s, now));
  }

  match(alert: Alert, blockId: string): Silence | undefined {
    return this.#silences.length === 0 ? undefined : findSilence(this.#silences, alert, blockId, Date.now());
  }

  /** Reads the file again (one read at a time; a change during a read is read after it). */
  refresh(): Promise<void> {
    if (this.#reading) {
      this.#again = true;
      return this.#reading;
    }
    this.#reading = (async () => {
      do {
        this.#again = false;
        await this.#read();
      } while (this.#again && !this.#closed);
    })().finally(() => (this.#reading = undefined));
    return this.#reading;
  }

  /** Stops watching and polling. */
  close(): void {
    this.#closed = true;
    clearInterval(this.#timer);
    this.#watcher?.close();
    this.#watcher = undefined;
  }

  async #read(): Promise<void> {
    const path = silencesPath(this.#state);
    try {
      const { silences, problems } = await readSilences(this.#state);
      const text = JSON.stringify(silences);
      if (problems.length > 0) this.#report(`${path}: ${problems.length} record(s) left out: ${problems.join('; ')}`);
      else this.#problem = undefined;
      if (text === this.#text) return;
      const first = this.#text === undefined;
      this.#text = text;
      this.#silences = silences;
      const active = this.active.length;
      if (!first || silences.length > 0) log.info('SilencesLoaded', { path, active, kept: silences.length });
    } catch (error) {
      this.#report(`${path} not read, the silences read before stay in force: ${errorMessage(error)}`);
    }
  }

  #report(problem: string): void {
    if (problem === this.#problem) return;
    this.#problem = problem;
    log.warning('SilencesNotRead', { problem });
  }

  /** fs.watch on the state directory (the file is replaced by a rename): where it fails, the poll still works. */
  #watch(): void {
    try {
      this.#watcher = watch(this.#state, { persistent: false }, (_event, name) => {
        if (name === null || String(name) === SILENCES_FILE) void this.refresh();
      });
      this.#watcher.on('error', () => {
        this.#watcher?.close();
        this.#watcher = undefined;
      });
    } catch {
      this.#watcher = undefined;
    }
  }
}
