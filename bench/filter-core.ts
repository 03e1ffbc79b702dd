// Benchmark: the filter core (prefilter + compiled predicate) against the naive parse-every-line loop.
// Run: node --import tsx bench/filter-core.ts [--alerts N]   (default 1,000,000 alerts, ~980 MB file)

import { openSync, readSync, closeSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { machineLine, markdownTable, thousands } from './bench-env.js';
import { corpusFile } from './corpus-file.js';
import { compileFilter, type BlockFilter, type FilterConfig } from '../src/match/compile.js';
import { compilePrefilter } from '../src/match/prefilter.js';

const { values } = parseArgs({ options: { alerts: { type: 'string', default: '1000000' } } });
const count = Number(values.alerts);

const CHUNK = 4 * 1024 * 1024;

/** Reads the file in 4 MiB chunks and calls `onLine` for each complete line (the shared front half). */
const forEachLine = (file: string, onLine: (line: string) => void): void => {
  const fd = openSync(file, 'r');
  const buffer = Buffer.allocUnsafe(CHUNK);
  let carry = '';
  try {
    for (;;) {
      const n = readSync(fd, buffer, 0, CHUNK, null);
      if (n === 0) break;
      const text = carry + buffer.toString('utf8', 0, n);
      let start = 0;
      for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
        onLine(text.slice(start, nl));
        start = nl + 1;
      }
      carry = text.slice(start);
    }
  } finally {
    closeSync(fd);
  }
};

/**
 * The core's reader: lines stay bytes. The prefilter reads each line as a latin1 string (a plain
 * byte copy, positions are byte offsets); only lines it cannot rule out are decoded as UTF-8.
 */
const forEachByteLine = (file: string, onLine: (bytes: string, buffer: Buffer, start: number, end: number) => void): void => {
  const fd = openSync(file, 'r');
  const buffer = Buffer.allocUnsafe(CHUNK);
  let kept = 0;
  try {
    for (;;) {
      const n = readSync(fd, buffer, kept, CHUNK - kept, null);
      if (n === 0) break;
      const end = kept + n;
      const text = buffer.toString('latin1', 0, end);
      let start = 0;
      for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
        onLine(text.slice(start, nl), buffer, start, nl);
        start = nl + 1;
      }
      buffer.copy(buffer, 0, start, end);
      kept = end - start;
    }
  } finally {
    closeSync(fd);
  }
};

interface Run {
  readonly seconds: number;
  readonly matched: number;
  readonly parsed: number;
}

/** The naive loop: split lines, JSON.parse each, test every block. */
const naive = (file: string, filters: readonly BlockFilter[]): Run => {
  let matched = 0;
  let parsed = 0;
  const t = process.hrtime.bigint();
  forEachLine(file, (line) => {
    const alert: unknown = JSON.parse(line);
    parsed++;
    for (const f of filters) if (f(alert) === null) matched++;
  });
  return { seconds: Number(process.hrtime.bigint() - t) / 1e9, matched, parsed };
};

/** Our core: the prefilter decides without parsing where it can, the compiled predicate does the rest. */
const core = (file: string, configs: readonly FilterConfig[], filters: readonly BlockFilter[]): Run => {
  const prefilter = compilePrefilter(configs);
  let matched = 0;
  let parsed = 0;
  const t = process.hrtime.bigint();
  forEachByteLine(file, (bytes, buffer, start, end) => {
    if (prefilter !== undefined && !prefilter(bytes)) return;
    const alert: unknown = JSON.parse(buffer.toString('utf8', start, end));
    parsed++;
    for (const f of filters) if (f(alert) === null) matched++;
  });
  return { seconds: Number(process.hrtime.bigint() - t) / 1e9, matched, parsed };
};

const none: FilterConfig = { level: 0, ruleIds: undefined, group: undefined, eventLocation: undefined };
const CONFIGS: readonly (readonly [string, readonly FilterConfig[]])[] = [
  ['<level>16</level> (nothing reaches it)', [{ ...none, level: 16 }]],
  ['<level>10</level> (~30% pass)', [{ ...none, level: 10 }]],
  ['<group>authentication_failures</group> + <rule_id>5712,5720</rule_id>', [{ ...none, group: 'authentication_failures', ruleIds: [5712, 5720] }]],
  ['no filter (prefilter cannot decide)', [{ ...none }]],
];

const file = await corpusFile(count);
const size = statSync(file).size;
// Warm the page cache and the JIT once so that neither side pays for the first read.
naive(file, [compileFilter(none)]);

const rows: string[][] = [];
for (const [name, configs] of CONFIGS) {
  const filters = configs.map(compileFilter);
  const a = naive(file, filters);
  const b = core(file, configs, filters);
  if (a.matched !== b.matched) throw new Error(`decisions differ for ${name}: naive ${a.matched}, core ${b.matched}`);
  rows.push([
    name,
    `${(b.matched / count * 100).toFixed(1)}%`,
    thousands(count / a.seconds),
    thousands(count / b.seconds),
    `${(b.parsed / count * 100).toFixed(1)}%`,
    `${(a.seconds / b.seconds).toFixed(2)}x`,
  ]);
  process.stderr.write(`${name}: naive ${a.seconds.toFixed(2)} s, core ${b.seconds.toFixed(2)} s\n`);
}

console.log(`\nFilter core, ${thousands(count)} alerts (${(size / 1e6).toFixed(0)} MB, avg ${Math.round(size / count)} B/alert), read in 4 MiB chunks`);
console.log(machineLine());
console.log();
console.log(markdownTable(['config', 'pass', 'naive alerts/s', 'core alerts/s', 'parsed by core', 'speed-up'], rows));
