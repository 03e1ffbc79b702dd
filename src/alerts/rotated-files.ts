// Every rotated alerts file, oldest first: Wazuh's daily archives and logrotate's renamed alerts.json.N[.gz] / alerts.json-DATE[.gz].

import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { listArchives } from './archives.js';

/** A rotated file as found on disk: its name now and the inode behind it. */
export interface RotatedFile {
  readonly path: string;
  readonly compressed: boolean;
  readonly dev: number;
  readonly ino: number;
  /** Last write (for .gz: what the compressor kept; logrotate keeps the original's). */
  readonly mtimeMs: number;
}

/** logrotate's default names: `NAME.N` (1 is the newest; older ones shift up) and `dateext`'s `NAME-STAMP` (a date: oldest sorts first). */
const NUMBERED = /^\.(\d{1,9})(\.gz)?$/;
const DATED = /^-(\d(?:[\d_.-]*\d)?)(\.gz)?$/;

interface Named {
  readonly path: string;
  readonly compressed: boolean;
  /** Position in its family, oldest first. */
  readonly key: string | number;
}

/** Drops the `.gz` twin of a plain file of the same rotation (logrotate compressing it right now: the plain one is complete). */
const withoutGzipTwins = (family: Named[]): Named[] => family.filter((f) => !(f.compressed && family.some((g) => !g.compressed && g.key === f.key)));

/**
 * logrotate's rotated copies of `path` in its directory, as two families in their own order, oldest first:
 * numbered (`.N`, `.N.gz`: highest N first) and dated (`-STAMP`, `-STAMP.gz`: by stamp). Never rejects.
 */
export const listLogrotated = async (path: string): Promise<{ path: string; compressed: boolean }[][]> => {
  const dir = dirname(path);
  const base = basename(path);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const numbered: Named[] = [];
  const dated: Named[] = [];
  for (const name of names) {
    if (!name.startsWith(base)) continue;
    const suffix = name.slice(base.length);
    const n = NUMBERED.exec(suffix);
    if (n) numbered.push({ path: join(dir, name), compressed: n[2] !== undefined, key: Number(n[1]) });
    const d = n ? null : DATED.exec(suffix);
    if (d) dated.push({ path: join(dir, name), compressed: d[2] !== undefined, key: d[1]! });
  }
  numbered.sort((a, b) => (b.key as number) - (a.key as number) || Number(a.compressed) - Number(b.compressed));
  dated.sort((a, b) => (a.key as string).localeCompare(b.key as string, 'en', { numeric: true }) || Number(a.compressed) - Number(b.compressed));
  return [withoutGzipTwins(numbered), withoutGzipTwins(dated)].filter((f) => f.length > 0).map((f) => f.map(({ path: p, compressed }) => ({ path: p, compressed })));
};

/**
 * Stats a family (files vanished since the listing are left out: nothing of them can be read). A Wazuh
 * archive was last written before its day ended (local time, as Wazuh names it): that caps its mtime,
 * which Wazuh's compression sets to the next day.
 */
const statAll = async (family: readonly { path: string; compressed: boolean; year?: number; month?: number; day?: number }[]): Promise<RotatedFile[]> => {
  const stats = await Promise.all(family.map((f) => stat(f.path).then((s) => s, () => undefined)));
  return family.flatMap((f, i) => {
    const s = stats[i];
    const dayEnd = f.year === undefined ? Infinity : new Date(f.year, f.month! - 1, f.day! + 1).getTime();
    return s ? [{ path: f.path, compressed: f.compressed, dev: s.dev, ino: s.ino, mtimeMs: Math.min(s.mtimeMs, dayEnd) }] : [];
  });
};

/**
 * Merges families that are each in order (oldest first) into one: the oldest head by last write goes
 * next (ties: the earlier family), so each family keeps its own order whatever the clocks say. A file
 * under two names (Wazuh's day file that logrotate renamed: one inode) is listed once, first name kept.
 */
export const mergeRotated = (families: readonly (readonly RotatedFile[])[]): RotatedFile[] => {
  const merged: RotatedFile[] = [];
  const seen = new Set<string>();
  const heads = families.map(() => 0);
  for (;;) {
    let best = -1;
    for (let f = 0; f < families.length; f++) {
      const head = families[f]![heads[f]!];
      if (head && (best < 0 || head.mtimeMs < families[best]![heads[best]!]!.mtimeMs)) best = f;
    }
    if (best < 0) return merged;
    const file = families[best]![heads[best]!++]!;
    const inode = `${file.dev}:${file.ino}`;
    if (!seen.has(inode)) merged.push(file);
    seen.add(inode);
  }
};

/**
 * Every rotated alerts file, oldest first: Wazuh's archives under `archiveRoot` (in date order) and,
 * when `alertsPath` is given, logrotate's renamed copies of it beside it; see mergeRotated. Never rejects.
 */
export const listRotatedFiles = async (archiveRoot: string, alertsPath?: string): Promise<RotatedFile[]> => {
  const families = [await listArchives(archiveRoot), ...(alertsPath === undefined ? [] : await listLogrotated(alertsPath))];
  return mergeRotated(await Promise.all(families.map(statAll)));
};
