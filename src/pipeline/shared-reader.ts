// Reads alert lines once for every block at the same place: one read, one prefilter pass and one parse per line.

import { parseAlertLine } from '../alerts/parse.js';
import type { CursorPosition } from '../alerts/cursor-store.js';
import type { LineBatch } from '../alerts/line-batch.js';
import { fromOverlong, type RejectedLines } from '../alerts/rejected-lines.js';
import { isEndOfLines, type EndOfLines, type LineRejection } from '../alerts/source-line.js';
import { compileBatchPrefilter, type BatchPrefilter } from '../match/prefilter.js';
import { log } from '../telemetry/log.js';
import { blockLabels, type Metrics } from '../telemetry/metrics.js';
import type { Lane } from './lane.js';
import { errorMessage } from '../errors.js';

/** What a reader reads from: the follower or the replay source. */
export interface BatchSource {
  /** At most `maxLines` lines: a batch never takes a block further than its window. */
  nextBatch(maxLines?: number): Promise<LineBatch | EndOfLines>;
  close(): Promise<void>;
  /** Where the next line starts (followers): what a lane that leaves resumes from, and how groups meet. */
  position?(): CursorPosition | undefined;
}

/** Opens a source at a position for lanes that fall behind (followers); `onRejected` gets its overlong lines. */
export type ReopenSource = (at: CursorPosition, onRejected: (r: LineRejection) => void) => Promise<BatchSource>;

export interface SharedReaderOptions {
  readonly metrics: Metrics;
  readonly rejected?: RejectedLines | undefined;
  /** Lets a lane without room leave its group for a reader of its own; without it, a group waits for its slowest lane (replay). */
  readonly reopen?: ReopenSource | undefined;
  /** True while every line must be parsed (debug logs: Wazuh's skip reasons need the alert). */
  readonly parseEverything?: () => boolean;
}

interface Group {
  readonly source: BatchSource;
  lanes: Lane[];
  prefilter: BatchPrefilter | undefined;
  offered: Int32Array;
  /** Merged into another group or closed: its loop ends without touching the lanes. */
  retired: boolean;
  wake: (() => void) | undefined;
}

const samePosition = (a: CursorPosition | undefined, b: CursorPosition | undefined): boolean =>
  a !== undefined && b !== undefined && a.offset === b.offset && a.path === b.path && a.identity.dev === b.identity.dev && a.identity.ino === b.identity.ino;

/** Only lines shaped like one JSON object are prefiltered: a truncated or garbled line is always parsed and reported. */
const looksLikeAnObjectAt = (text: string, start: number, end: number): boolean => {
  let s = start;
  let e = end - 1;
  while (s <= e && text.charCodeAt(s) <= 32) s++;
  while (e >= s && text.charCodeAt(e) <= 32) e--;
  return s < e && text.charCodeAt(s) === 123 && text.charCodeAt(e) === 125;
};

/**
 * The readers of one integrator. Lanes at the same place share a group: one source, one batch,
 * one prefilter pass (filters compiled for all lanes at once, equal filters tested once) and one
 * parse per line that some lane may want; lines no lane wants are settled in bulk. A group reads
 * the next batch only when each of its lanes has room; a lane without room leaves for a reader of
 * its own from where the group is (when `reopen` allows), so a slow block never holds the others
 * back, and it joins again when its reader reaches the same position as another group's.
 */
export class SharedReader {
  readonly #options: SharedReaderOptions;
  readonly #groups = new Set<Group>();
  readonly #running = new Set<Promise<void>>();
  #closed = false;

  constructor(options: SharedReaderOptions) {
    this.#options = options;
  }

  /** The number of groups reading now (one when every block keeps up). */
  get groups(): number {
    return this.#groups.size;
  }

  /** Starts a group reading `source` for `lanes` (lanes already at the source's position). */
  add(source: BatchSource, lanes: readonly Lane[]): void {
    const live = lanes.filter((l) => !l.ended);
    if (this.#closed || live.length === 0) {
      void source.close();
      return;
    }
    const group: Group = { source, lanes: live, prefilter: undefined, offered: new Int32Array(0), retired: false, wake: undefined };
    this.#groups.add(group);
    const running = this.#run(group).catch((error: unknown) => {
      log.critical('alert reader failed; its blocks stop reading', { error: errorMessage(error) });
      for (const lane of group.lanes) lane.end();
    });
    this.#running.add(running);
    void running.finally(() => this.#running.delete(running));
  }

  /**
   * Starts reading for lanes that each opened a source of their own (the daemon's start): lanes whose
   * sources stand at the same position share the first of those sources, the others are closed.
   */
  async addAtTheirPositions(opened: readonly { readonly lane: Lane; readonly source: BatchSource }[]): Promise<void> {
    const groups: { source: BatchSource; lanes: Lane[] }[] = [];
    for (const { lane, source } of opened) {
      const at = source.position?.();
      const same = groups.find((g) => samePosition(at, g.source.position?.()));
      if (same === undefined) groups.push({ source, lanes: [lane] });
      else {
        same.lanes.push(lane);
        await source.close();
      }
    }
    for (const g of groups) this.add(g.source, g.lanes);
  }

  /**
   * The handler of overlong lines for a source (given once it exists): recorded once, counted for
   * each lane of the group reading that source when the line is met (groups gain and lose lanes).
   */
  overlongHandler(source: () => BatchSource | undefined): (r: LineRejection) => void {
    return (r) => {
      // Recorded once for all blocks, and warned about there (rate-limited).
      this.#options.rejected?.record(fromOverlong(r));
      const reading = source();
      const lanes = [...this.#groups].find((g) => g.source === reading)?.lanes ?? [];
      for (const lane of lanes) {
        this.#options.metrics.linesRejected.inc({ ...blockLabels(lane.config.index, lane.config.name), reason: 'overlong' });
      }
    };
  }

  /** Takes a lane out of its group: it gets no more lines (`end()`); a group left empty closes its source. */
  async remove(lane: Lane): Promise<void> {
    for (const group of this.#groups) {
      const at = group.lanes.indexOf(lane);
      if (at === -1) continue;
      group.lanes = group.lanes.filter((l) => l !== lane);
      group.prefilter = undefined;
      lane.end();
      if (group.lanes.length === 0) await this.#retire(group);
      else group.wake?.();
      return;
    }
    lane.end();
  }

  /** Closes every source; every lane gets `end()`. */
  async close(): Promise<void> {
    this.#closed = true;
    const groups = [...this.#groups];
    for (const group of groups) for (const lane of group.lanes) lane.end();
    await Promise.all(groups.map((g) => this.#retire(g)));
    await Promise.all([...this.#running]);
  }

  async #retire(group: Group): Promise<void> {
    group.retired = true;
    this.#groups.delete(group);
    group.wake?.();
    await group.source.close();
  }

  async #run(group: Group): Promise<void> {
    for (;;) {
      if (group.retired) return;
      if (!(await this.#room(group))) continue;
      const batch = await group.source.nextBatch(Math.max(1, Math.min(...group.lanes.map((l) => l.room))));
      if (group.retired) return;
      if (isEndOfLines(batch)) {
        this.#groups.delete(group);
        for (const lane of group.lanes) lane.end();
        return;
      }
      this.#dispatch(group, batch);
      if (await this.#joinAnother(group)) return;
    }
  }

  /** True when every lane of the group has room; else lanes without room leave (when possible) or the group waits. */
  async #room(group: Group): Promise<boolean> {
    const full = group.lanes.filter((l) => !l.hasRoom);
    if (full.length === 0) return true;
    const reopen = this.#options.reopen;
    const position = group.source.position?.();
    if (reopen !== undefined && position !== undefined && full.length < group.lanes.length) {
      group.lanes = group.lanes.filter((l) => l.hasRoom);
      group.prefilter = undefined;
      for (const lane of full) await this.#leave(lane, position, reopen);
      return true;
    }
    await new Promise<void>((resolve) => {
      group.wake = resolve;
      for (const lane of full) lane.whenRoom(resolve);
    });
    group.wake = undefined;
    return false;
  }

  /** A lane without room reads on from `position` on its own source. */
  async #leave(lane: Lane, position: CursorPosition, reopen: ReopenSource): Promise<void> {
    const lanes: Lane[] = [lane];
    let source: BatchSource | undefined;
    source = await reopen(position, this.overlongHandler(() => source));
    log.debug('block falls behind: reading on its own', { block: lane.config.index, integration: lane.config.name, path: position.path, offset: position.offset });
    this.add(source, lanes);
  }

  /** After a batch: when another group stands at the same position, this group's lanes join it and this source closes. */
  async #joinAnother(group: Group): Promise<boolean> {
    const here = group.source.position?.();
    if (here === undefined || group.lanes.some((l) => !l.hasRoom)) return false;
    for (const other of this.#groups) {
      if (other === group || other.retired || !samePosition(here, other.source.position?.())) continue;
      // The other group has read nothing past `here` (same position), so its next batch starts exactly where these lanes are.
      other.lanes = [...other.lanes, ...group.lanes];
      other.prefilter = undefined;
      for (const lane of group.lanes) log.debug('block caught up: reading with the others again', { block: lane.config.index, integration: lane.config.name });
      group.lanes = [];
      await this.#retire(group);
      return true;
    }
    return false;
  }

  #dispatch(group: Group, batch: LineBatch): void {
    const lanes = group.lanes;
    if (lanes.length === 0) return;
    if (group.prefilter === undefined) {
      group.prefilter = compileBatchPrefilter(lanes.map((l) => l.config));
      group.offered = new Int32Array(lanes.length);
    }
    const prefilter = this.#options.parseEverything?.() ? undefined : group.prefilter;
    const { bytes, marks, count, base, file, path } = batch;
    const first = marks[0] as number;
    const last = marks[count * 3 - 1] as number;
    const text = bytes.toString('latin1', first, last);
    prefilter?.setText(text);
    const groupOf = group.prefilter.groupOf;
    const passed = group.prefilter.passed;
    const offered = group.offered;
    offered.fill(0);
    let rejected = 0;
    let lineBytes = 0;
    for (let i = 0; i < count * 3; i += 3) {
      const start = marks[i] as number;
      const stop = marks[i + 1] as number;
      const next = marks[i + 2] as number;
      lineBytes += next - start;
      const object = looksLikeAnObjectAt(text, start - first, stop - first);
      if (object && prefilter !== undefined && !prefilter.decide(start - first, stop - first)) continue;
      const line = bytes.toString('utf8', start, stop);
      const parsed = parseAlertLine(line);
      const from: CursorPosition = { identity: file, path, offset: base + start };
      const to = { file, path, end: base + next };
      if (!parsed.ok) {
        rejected++;
        this.#rejectLine(lanes, parsed, batch, start, stop, from, to);
        continue;
      }
      for (let j = 0; j < lanes.length; j++) {
        const g = groupOf[j] as number;
        if (!object || prefilter === undefined || g === -1 || passed[g] === 1) {
          (lanes[j] as Lane).offer(parsed.alert, from, to, line);
          offered[j] = (offered[j] as number) + 1;
        }
      }
    }
    const after: CursorPosition = { identity: file, path, offset: base + last };
    for (let j = 0; j < lanes.length; j++) (lanes[j] as Lane).batchDone(count, lineBytes, count - (offered[j] as number) - rejected, after);
  }

  #rejectLine(
    lanes: readonly Lane[],
    parsed: { readonly reason: 'invalid-json' | 'not-an-object'; readonly detail: string },
    batch: LineBatch,
    start: number,
    stop: number,
    from: CursorPosition,
    to: { file: CursorPosition['identity']; path: string; end: number },
  ): void {
    this.#options.rejected?.record({
      file: batch.file,
      path: batch.path,
      offset: batch.base + start,
      length: to.end - from.offset - 1,
      reason: parsed.reason,
      detail: parsed.detail,
      line: batch.bytes.toString('utf8', start, stop),
    });
    for (const lane of lanes) {
      this.#options.metrics.linesRejected.inc({ ...blockLabels(lane.config.index, lane.config.name), reason: parsed.reason });
      lane.reject(parsed.reason, from, to);
    }
  }
}
