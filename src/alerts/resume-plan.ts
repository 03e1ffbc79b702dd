// Where a cursor resumes: in alerts.json, or in a rotated file (Wazuh archive or logrotate's) followed by every newer one.

import { identify, matchesFingerprint, type FileIdentity } from './file-identity.js';
import { listRotatedFiles } from './rotated-files.js';

/** A saved read position: the file (by identity) and the byte offset after the last settled line. */
export interface FollowCursor {
  readonly identity: FileIdentity;
  readonly offset: number;
  /** Where the file was when the cursor was saved (for messages only: files move). */
  readonly path?: string;
}

/** A rotated file to read to its end before the live file; offsets in the decompressed stream for `.gz`. */
export interface ResumeStep {
  readonly path: string;
  readonly offset: number;
  readonly identity: FileIdentity;
}

export type ResumePlan =
  /** The live file is the cursor's file: continue at the cursor's offset. */
  | { readonly kind: 'live' }
  /** Read these rotated files (Wazuh archives, logrotate's copies) in order, then the live file from 0. */
  | { readonly kind: 'archives'; readonly steps: readonly ResumeStep[] }
  /** The cursor's file is nowhere (deleted, moved, compressed away, or copytruncated): the caller reads the live file from 0. */
  | { readonly kind: 'missing' };

/** The open alerts.json the plan is made for. */
export interface LiveCandidate {
  readonly path: string;
  readonly identity: FileIdentity;
  /**
   * Whether the OPEN file starts with the bytes a cursor fingerprinted. Read through the open handle:
   * reading the path instead could read another file if analysisd re-links alerts.json meanwhile
   * (then the open file, the cursor's, was taken for an archive and read again from 0).
   * Defaults to reading the path (for a file nobody rotates).
   */
  readonly matches?: (identity: FileIdentity) => Promise<boolean>;
}

const sameInode = (a: { dev: number; ino: number }, b: { dev: number; ino: number }) => a.dev === b.dev && a.ino === b.ino;

/**
 * The same rotated file read twice: one inode, or a `.gz` made of the other (same decompressed head;
 * plain files are told apart by inode alone: a copy that grew differently is another file).
 */
const sameRotatedFile = (a: ResumeStep, b: ResumeStep): boolean =>
  sameInode(a.identity, b.identity) ||
  ((a.path.endsWith('.gz') || b.path.endsWith('.gz')) &&
    a.identity.fingerprintLength > 0 &&
    a.identity.fingerprintLength === b.identity.fingerprintLength &&
    a.identity.fingerprint === b.identity.fingerprint);

/**
 * Finds the cursor's file: the live file (same dev/ino and fingerprint), else a rotated file — a Wazuh
 * archive under `archiveRoot` or logrotate's `alertsPath.N[.gz]` / `alertsPath-DATE[.gz]` (default: the
 * live file's path) — with the same dev/ino and fingerprint, else with the fingerprint alone (which
 * finds a `.gz` or a copy). The steps are that file from the cursor's offset, then every newer rotated
 * file from 0, oldest first (see listRotatedFiles), each once, up to the live file (Wazuh's hard link
 * to today's file: files after it are newer than the open alerts.json, which is read next); `.gz`
 * copies of a file already listed are left out. Never rejects: unreadable files are skipped.
 */
export const planResume = async (
  cursor: FollowCursor,
  live: LiveCandidate | undefined,
  archiveRoot: string,
  alertsPath: string | undefined = live?.path,
): Promise<ResumePlan> => {
  const liveMatches = live && (live.matches ?? ((identity: FileIdentity) => matchesFingerprint(live.path, identity)));
  if (live && liveMatches && sameInode(live.identity, cursor.identity) && (await liveMatches(cursor.identity))) return { kind: 'live' };
  const files = await listRotatedFiles(archiveRoot, alertsPath);
  const byInode = files.findIndex((f) => !f.compressed && sameInode(f, cursor.identity));
  let found = -1;
  if (byInode >= 0 && (await matchesFingerprint(files[byInode]!.path, cursor.identity))) found = byInode;
  else if (cursor.identity.fingerprintLength > 0) {
    // The oldest match: a later copy (Wazuh's .gz of a day logrotate also kept) must not hide the files between.
    for (let i = 0; i < files.length && found < 0; i++) if (await matchesFingerprint(files[i]!.path, cursor.identity)) found = i;
  }
  if (found < 0) return { kind: 'missing' };
  const steps: ResumeStep[] = [];
  for (let i = found; i < files.length; i++) {
    const file = files[i]!;
    // The live file itself (Wazuh's hard link to today's file) is read last; anything listed after it is
    // newer still (a rotation between opening alerts.json and this listing): it follows the live file.
    if (live && sameInode(file, live.identity)) break;
    const identity = await identify(file.path).catch(() => (i === found ? cursor.identity : undefined));
    // Undefined: vanished or unreadable since the listing; nothing of it can be read anyway.
    if (!identity) continue;
    const step = { path: file.path, offset: i === found ? cursor.offset : 0, identity };
    if (!steps.some((s) => sameRotatedFile(s, step))) steps.push(step);
  }
  return { kind: 'archives', steps };
};
