// Where a cursor resumes: in alerts.json, or in a rotated archive followed by every newer one.

import { stat } from 'node:fs/promises';
import { listArchives } from './archives.js';
import { identify, matchesFingerprint, type FileIdentity } from './file-identity.js';

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
  /** Read these archives in order, then the live file from 0. */
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
 * Finds the cursor's file: the live file (same dev/ino and fingerprint), else an archive under
 * `archiveRoot` (same dev/ino and fingerprint; else the fingerprint alone, which finds a `.gz` or a
 * copy). Archives that are the live file (Wazuh's hard link to today's file) are left out: the live
 * file is read once, last. Never rejects: unreadable archives are skipped.
 */
export const planResume = async (cursor: FollowCursor, live: LiveCandidate | undefined, archiveRoot: string): Promise<ResumePlan> => {
  const liveMatches = live && (live.matches ?? ((identity: FileIdentity) => matchesFingerprint(live.path, identity)));
  if (live && liveMatches && sameInode(live.identity, cursor.identity) && (await liveMatches(cursor.identity))) return { kind: 'live' };
  const archives = await listArchives(archiveRoot);
  const inodes = await Promise.all(archives.map((a) => stat(a.path).then((s) => ({ dev: s.dev, ino: s.ino }), () => undefined)));
  const byInode = archives.findIndex((a, i) => {
    const inode = inodes[i];
    return inode !== undefined && !a.compressed && sameInode(inode, cursor.identity);
  });
  let found = -1;
  if (byInode >= 0 && (await matchesFingerprint(archives[byInode]!.path, cursor.identity))) found = byInode;
  else if (cursor.identity.fingerprintLength > 0) {
    for (let i = archives.length - 1; i >= 0 && found < 0; i--) if (await matchesFingerprint(archives[i]!.path, cursor.identity)) found = i;
  }
  if (found < 0) return { kind: 'missing' };
  const steps: ResumeStep[] = [];
  for (let i = found; i < archives.length; i++) {
    const archive = archives[i]!;
    const inode = inodes[i];
    if (live && inode && sameInode(inode, live.identity)) continue;
    const identity = await identify(archive.path).catch(() => (i === found ? cursor.identity : undefined));
    // Undefined: vanished or unreadable since the listing; nothing of it can be read anyway.
    if (identity) steps.push({ path: archive.path, offset: i === found ? cursor.offset : 0, identity });
  }
  return { kind: 'archives', steps };
};
