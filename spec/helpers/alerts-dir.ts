// A Wazuh logs/alerts directory in a temp dir, rotated the way analysisd does it (hard link to the day's file).

import { appendFileSync, linkSync, mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
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

  remove(): void {
    this.#remove();
  }
}

/** `count` distinct small alert lines tagged with `tag` (e.g. the day), numbered from `from`. */
export const alertLines = (tag: string, count: number, from = 0): string[] =>
  Array.from({ length: count }, (_, i) => JSON.stringify({ timestamp: '2026-11-01T00:00:00.000+0000', rule: { level: 5, id: '5710' }, id: `${tag}-${String(from + i).padStart(6, '0')}` }));
