// What every benchmark prints about where it ran: Node version, CPU, cores, date.

import { cpus, loadavg, totalmem } from 'node:os';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Directory for generated benchmark data (git-ignored). */
export const dataDir = (): string => {
  const dir = fileURLToPath(new URL('./.data/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  return dir;
};

export const machine = () => ({
  node: process.version,
  cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  date: new Date().toISOString().slice(0, 10),
});

/** One line describing the machine, printed above every table. */
export const machineLine = (): string => {
  const m = machine();
  return `Node ${m.node} · ${m.cpu} · ${m.cores} cores · ${m.memoryGiB} GiB · ${m.date}`;
};

/** Formats a Markdown table from a header and rows. */
export const markdownTable = (header: readonly string[], rows: readonly (readonly string[])[]): string => {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
};

/** 1234567 → "1,234,567". */
export const thousands = (n: number): string => Math.round(n).toLocaleString('en-US');

/** The 1, 5 and 15-minute load averages, e.g. "load 0.42 / 0.90 / 1.10" (2 cores: 2.0 = both busy). */
export const loadLine = (): string => `load ${loadavg().map((l) => l.toFixed(2)).join(' / ')}`;

/** Wall-clock microseconds comparable across processes on this machine (timeOrigin + monotonic offset). */
export const wallMicros = (): number => Math.round((performance.timeOrigin + performance.now()) * 1000);

/** The p-th percentile (0–100, nearest rank) of an ascending array; NaN when empty. */
export const percentile = (sorted: ArrayLike<number>, p: number): number =>
  sorted.length === 0 ? NaN : (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number);

/** Megabytes (10^6 bytes) with one decimal. */
export const megabytes = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;

/** Milliseconds with two decimals. */
export const ms = (value: number): string => `${value.toFixed(2)} ms`;
