// The rotated files a follower still has to read before alerts.json: planned by file identity, opened pinned to their inode.

import { log } from '../telemetry/log.js';
import { openPinnedReader, type ByteReader } from './byte-reader.js';
import { errorCode } from '../errors.js';
import { LiveFile } from './live-file.js';
import type { FileStat } from './rotate-wait.js';
import { planResume, type FollowCursor, type ResumePlan, type ResumeStep } from './resume-plan.js';

/** A rotated file opened for reading: the step and a reader of the very inode the plan named. */
export interface OpenedStep extends ResumeStep {
  readonly reader: ByteReader;
  /** The inode's size and last write (plain files: a writer may still append to one just rotated). */
  readonly stat?: FileStat | undefined;
}

/** 3: a file that moved again each time it was looked for is skipped (with an error) rather than chased forever. */
const MAX_RELOCATIONS = 3;

/**
 * The files between a position and alerts.json. alerts.json is opened BEFORE each plan and held until
 * the rotated files are read: the plan and the file read after them are the same inode, and a rotation
 * meanwhile is drained like any other. Names move while the files are read (logrotate renames
 * `.1` to `.2`): each file is opened by name, then checked to be the inode planned, else looked for again.
 */
export class RotatedBacklog {
  readonly #path: string;
  readonly #archiveRoot: string;
  #steps: ResumeStep[] = [];
  #held: LiveFile | undefined;

  constructor(path: string, archiveRoot: string) {
    this.#path = path;
    this.#archiveRoot = archiveRoot;
  }

  /**
   * Plans the files from `cursor`'s file on (`after`: only the newer ones, its own rest was read) and
   * holds alerts.json as it is now. 'live': the cursor's file is alerts.json; 'missing': found nowhere.
   * Never rejects (an alerts.json that cannot be opened is opened later).
   */
  async plan(cursor: FollowCursor, after = false): Promise<ResumePlan['kind']> {
    await this.#held?.close();
    this.#held = await LiveFile.open(this.#path).catch(() => undefined);
    const plan = await this.#plan(cursor);
    this.#steps = plan.kind === 'archives' ? plan.steps.slice(after ? 1 : 0) : [];
    return plan.kind;
  }

  /**
   * Plans from a saved cursor, or (`after`) from the end of a drained alerts.json (files rotated since
   * it, found through its identity: it may be alerts.json.2 or a Wazuh archive by now). The offset to
   * read alerts.json from when it is the cursor's file, else undefined (its start, after the rotated
   * files; a cursor's file found nowhere is logged). Never rejects.
   */
  async planFrom(cursor: FollowCursor, after = false): Promise<number | undefined> {
    const plan = await this.plan(cursor, after);
    if (plan === 'live') return cursor.offset;
    if (plan === 'missing' && after) log.debug('the replaced alerts file is under no name any more; reading the new one', { path: this.#path, ino: cursor.identity.ino });
    else if (plan === 'missing') {
      const { dev, ino, fingerprint } = cursor.identity;
      const where = { path: cursor.path ?? this.#path, dev, ino, fingerprint, offset: cursor.offset };
      log.error('the file of the saved cursor is gone: not in alerts.json nor in the rotated files; reading alerts.json from the start', where);
    }
    return undefined;
  }

  /** alerts.json as opened by the last plan (once; undefined after that or when it could not be opened). */
  takeHeld(): LiveFile | undefined {
    const held = this.#held;
    this.#held = undefined;
    return held;
  }

  /** Opens the next rotated file of the plan; undefined when none is left. Files that cannot be opened are logged and skipped. */
  async openNext(): Promise<OpenedStep | undefined> {
    for (let relocations = 0; ; ) {
      const step = this.#steps.shift();
      if (!step) return undefined;
      let pinned;
      try {
        pinned = await openPinnedReader(step.path);
      } catch (error) {
        log.error('cannot open a rotated alerts file; its lines are skipped', { path: step.path, offset: step.offset, error: errorCode(error) });
        continue;
      }
      if (pinned.dev === step.identity.dev && pinned.ino === step.identity.ino) return { ...step, reader: pinned.reader, stat: pinned.stat };
      await pinned.reader.close().catch(() => undefined);
      if (++relocations > MAX_RELOCATIONS) {
        log.error('a rotated alerts file keeps moving; its lines are skipped', { path: step.path, offset: step.offset, ino: step.identity.ino });
        relocations = 0;
        continue;
      }
      // Renamed since the plan (another rotation): find that inode again; the new plan covers every newer file.
      log.debug('a rotated alerts file moved since it was planned; looking for it again', { path: step.path, ino: step.identity.ino });
      const plan = await this.#plan({ identity: step.identity, offset: step.offset });
      if (plan.kind === 'archives') this.#steps = [...plan.steps];
      else if (plan.kind === 'live') this.#steps = []; // It is the alerts.json held: read next, whole.
      else log.error('a rotated alerts file is gone before it was read; its lines are skipped', { path: step.path, offset: step.offset, ino: step.identity.ino });
    }
  }

  async close(): Promise<void> {
    this.#steps = [];
    await this.takeHeld()?.close();
  }

  #plan(cursor: FollowCursor): Promise<ResumePlan> {
    const held = this.#held;
    return planResume(cursor, held && { path: this.#path, identity: held.identity, matches: (id) => held.matches(id) }, this.#archiveRoot, this.#path);
  }
}
