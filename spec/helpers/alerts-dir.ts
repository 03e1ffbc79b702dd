// A Wazuh logs/alerts directory in a temp dir, rotated the way analysisd does it (hard link to the day's file).

import { appendFileSync, existsSync, linkSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { archivePath } from '../../src/alerts/archives.js';
import { tempDirSync } from './temp-dir.js';

/** November 2026: the month every spec archive lives in. */
const DATE = { year: 2026, month: 11 };

export class AlertsDir {
  /** The Wazuh home around logs/alerts (etc/, integrations/ and var/ are created too). */
  readonly home: string;
  /** logs/alerts */
  readonly root: string;
  /** logs/alerts/alerts.json */
  readonly alerts: string;
  readonly #remove: () => void;

  constructor(label: string) {
    const { dir, remove } = tempDirSync(label);
    this.home = dir;
    this.root = join(dir, 'logs', 'alerts');
    for (const sub of ['etc', 'integrations', join('var', 'integratord')]) mkdirSync(join(dir, sub), { recursive: true });
    this.alerts = join(this.root, 'alerts.json');
    this.#remove = remove;
    mkdirSync(this.root, { recursive: true });
  }

  /** logs/alerts/2026/Nov/ossec-alerts-DD[-NNN].json[.gz] */
  day(day: number, part = 0, compressed = false): string {
    return archivePath(this.root, { ...DATE, day, part }, compressed);
  }

  /** analysisd's rotation: create the day's file, unlink alerts.json, hard-link it to the new file. */
  startDay(day: number, part = 0): string {
    const file = this.day(day, part);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, '');
    rmSync(this.alerts, { force: true });
    linkSync(file, this.alerts);
    return file;
  }

  /** Appends complete lines to alerts.json (the day's file: same inode). */
  append(lines: readonly string[]): void {
    if (lines.length > 0) appendFileSync(this.alerts, `${lines.join('\n')}\n`);
  }

  /** Appends raw text (partial lines, odd bytes). */
  appendRaw(text: string | Buffer): void {
    appendFileSync(this.alerts, text);
  }

  /** What Wazuh does to yesterday's file: write DD.json.gz and remove DD.json. */
  compressDay(day: number, part = 0): string {
    const plain = this.day(day, part);
    const gz = this.day(day, part, true);
    writeFileSync(gz, gzipSync(readFileSync(plain)));
    unlinkSync(plain);
    return gz;
  }

  /** logrotate's numbered rotated file: alerts.json.N[.gz] */
  rotated(n: number, compressed = false): string {
    return `${this.alerts}.${n}${compressed ? '.gz' : ''}`;
  }

  /**
   * logrotate's rename rotation (`create`, numbered): alerts.json.N[.gz] → N+1, alerts.json → .1, a new
   * empty alerts.json. `compress` with `delaycompress`: .2 is gzipped (mtime kept, as logrotate does), .1 stays plain.
   */
  logrotate(options: { readonly compress?: boolean } = {}): void {
    let top = 1;
    while (existsSync(this.rotated(top)) || existsSync(this.rotated(top, true))) top++;
    for (let n = top - 1; n >= 1; n--) {
      for (const gz of [false, true]) if (existsSync(this.rotated(n, gz))) renameSync(this.rotated(n, gz), this.rotated(n + 1, gz));
    }
    renameSync(this.alerts, this.rotated(1));
    writeFileSync(this.alerts, '');
    if (options.compress && existsSync(this.rotated(2))) {
      const { atime, mtime } = statSync(this.rotated(2));
      writeFileSync(this.rotated(2, true), gzipSync(readFileSync(this.rotated(2))));
      utimesSync(this.rotated(2, true), atime, mtime);
      unlinkSync(this.rotated(2));
    }
  }

  remove(): void {
    this.#remove();
  }
}

/** `count` distinct small alert lines tagged with `tag` (e.g. the day), numbered from `from`. */
export const alertLines = (tag: string, count: number, from = 0): string[] =>
  Array.from({ length: count }, (_, i) => JSON.stringify({ timestamp: '2026-11-01T00:00:00.000+0000', rule: { level: 5, id: '5710' }, id: `${tag}-${String(from + i).padStart(6, '0')}` }));
