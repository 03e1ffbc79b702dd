// The alerts of a followed file as lines an app commits: read only while fewer than a high-water mark are uncommitted, with a cursor to resume from.

import { Observable } from 'rxjs';
import type { Alert } from '../alerts/alert.js';
import type { CursorPosition } from '../alerts/cursor-store.js';
import { follow, type FollowOptions } from '../alerts/follow.js';
import { parseAlertLine } from '../alerts/parse.js';
import { isEndOfLines } from '../alerts/source-line.js';
import { Watermark } from '../alerts/watermark.js';
import { IntegratordError } from '../errors.js';
import { log } from '../telemetry/log.js';

/** 100 lines: enough to keep a block's deliveries (4 at once by default) busy, a few hundred KB held. */
export const DEFAULT_LINES_HIGH_WATER_MARK = 100;

/** One alert of the file, with where it ends. */
export interface AlertLine {
  readonly alert: Alert;
  /** Where a cursor resumes right after this line (JSON-serialisable; `startAt` takes it). */
  readonly position: CursorPosition;
  /**
   * Marks the line done (delivered, skipped, dead-lettered: whatever the app decided): frees its slot,
   * so the next line is read. Returns the app's cursor: the position after the last line that is
   * committed together with every line before it (lines that are not alerts count as committed).
   * Save it and pass it as `startAt` to resume exactly there. Committing twice does nothing more.
   */
  commit(): CursorPosition | undefined;
}

export interface AlertLinesOptions extends FollowOptions {
  /** Lines emitted and not committed yet, at most (default 100): reading waits for a commit beyond it. */
  readonly highWaterMark?: number;
}

/**
 * Follows a file (through rotation and truncation; see Follower) and emits each alert as an
 * AlertLine, reading the next line only while fewer than `highWaterMark` are uncommitted: memory
 * stays bounded however slow the app's deliveries are. Lines that are not JSON objects are
 * logged and passed over. Completes when unsubscribed (the file is closed); errors only if the
 * follower fails. Throws INTEGRATORD_USAGE for a bad highWaterMark.
 */
export const fromAlertLines = (path: string, options: AlertLinesOptions = {}): Observable<AlertLine> => {
  const mark = options.highWaterMark ?? DEFAULT_LINES_HIGH_WATER_MARK;
  if (!Number.isInteger(mark) || mark < 1) throw new IntegratordError('INTEGRATORD_USAGE', `highWaterMark must be a positive integer, not ${String(mark)}`);
  return new Observable<AlertLine>((subscriber) => {
    const follower = follow(path, options);
    const watermark = new Watermark();
    let closed = false;
    let seq = 0;
    let room: (() => void) | undefined;
    const freed = () => {
      const wake = room;
      room = undefined;
      wake?.();
    };
    const pump = async () => {
      while (!closed) {
        if (watermark.inFlight >= mark) {
          await new Promise<void>((resolve) => (room = resolve));
          continue;
        }
        const line = await follower.next();
        if (isEndOfLines(line)) break;
        const position: CursorPosition = { identity: line.file, path: line.path, offset: line.end };
        const parsed = parseAlertLine(line.text);
        if (!parsed.ok) {
          log.warning(`Invalid JSON alert read from '${line.path}'`, { offset: line.start, reason: parsed.detail });
          watermark.advance(position);
          continue;
        }
        const mine = seq++;
        watermark.track(mine, line);
        let committed = false;
        subscriber.next({
          alert: parsed.alert,
          position,
          commit: () => {
            if (!committed) {
              committed = true;
              watermark.settle(mine);
              freed();
            }
            return watermark.committed();
          },
        });
      }
      subscriber.complete();
    };
    pump().catch((error: unknown) => subscriber.error(error));
    return () => {
      closed = true;
      freed();
      void follower.close();
    };
  });
};
