// Wazuh's rotated alert files: logs/alerts/YYYY/Mon/ossec-alerts-DD[-NNN].json[.gz], found and put in date order.

import { readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Wazuh names month directories with English abbreviations, whatever the locale. */
export const MONTHS: readonly string[] = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const FILE_NAME = /^ossec-alerts-(\d{2})(?:-(\d{3}))?\.json(\.gz)?$/;
const YEAR = /^\d{4}$/;

/** One rotated alerts file and the date its name gives. */
export interface ArchiveFile {
  readonly path: string;
  readonly year: number;
  /** 1..12 */
  readonly month: number;
  readonly day: number;
  /**
   * The `-NNN` counter of `rotate_interval`/`max_output_size` rotations; 0 when the name has none
   * (the day's first file, which Wazuh names without a counter: it sorts before `-001`).
   */
  readonly part: number;
  readonly compressed: boolean;
}

/** Reads year, month, day and part from the last three components of a path; undefined if it is not an archive name. */
export const parseArchivePath = (path: string): ArchiveFile | undefined => {
  const name = FILE_NAME.exec(basename(path));
  const monthDir = dirname(path);
  const month = MONTHS.indexOf(basename(monthDir)) + 1;
  const year = basename(dirname(monthDir));
  if (!name || month === 0 || !YEAR.test(year)) return undefined;
  return { path, year: Number(year), month, day: Number(name[1]), part: name[2] === undefined ? 0 : Number(name[2]), compressed: name[3] !== undefined };
};

/** Oldest first: by date, then part; a plain file before its `.gz` twin. */
export const compareArchives = (a: ArchiveFile, b: ArchiveFile): number =>
  a.year - b.year || a.month - b.month || a.day - b.day || a.part - b.part || Number(a.compressed) - Number(b.compressed);

const listDir = async (dir: string): Promise<string[]> => {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
};

/**
 * Every rotated alerts file under `root` (Wazuh's `logs/alerts`), oldest first. When a day's file exists
 * both plain and `.gz` (while Wazuh compresses it), only the plain one is listed: it is complete.
 * An unreadable or missing directory lists nothing; never rejects.
 */
export const listArchives = async (root: string): Promise<ArchiveFile[]> => {
  const found: ArchiveFile[] = [];
  for (const year of (await listDir(root)).filter((name) => YEAR.test(name))) {
    for (const month of (await listDir(join(root, year))).filter((name) => MONTHS.includes(name))) {
      for (const name of await listDir(join(root, year, month))) {
        const archive = parseArchivePath(join(root, year, month, name));
        if (archive) found.push(archive);
      }
    }
  }
  found.sort(compareArchives);
  return found.filter((a, i) => {
    const previous = found[i - 1];
    return !(previous && a.compressed && !previous.compressed && compareArchives({ ...a, compressed: false }, previous) === 0);
  });
};

/** The path Wazuh gives a day's alerts file (`part` > 0 adds `-NNN`). */
export const archivePath = (root: string, date: { year: number; month: number; day: number; part?: number }, compressed = false): string => {
  const day = String(date.day).padStart(2, '0');
  const part = date.part ? `-${String(date.part).padStart(3, '0')}` : '';
  return join(root, String(date.year), MONTHS[date.month - 1] ?? 'Jan', `ossec-alerts-${day}${part}.json${compressed ? '.gz' : ''}`);
};
