// What every benchmark prints about where it ran: Node version, CPU, cores, date.

import { cpus, totalmem } from 'node:os';
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
