// Specs for bench/gc-trace.ts (the lines `node --trace-gc` prints: collections by kind, pauses, heap committed, live set).

import { spawnSync } from 'node:child_process';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { gcSummary, parseGcTrace } from '../../bench/gc-trace.js';

/** A real node's --trace-gc output: young garbage (scavenges), then two forced full collections with 20 MB kept alive. */
const traced = (): string => {
  const script = 'const keep = []; for (let i = 0; i < 2e5; i++) { const o = { i, s: "x".repeat(100) }; if (i % 2) keep.push(o); } gc(); keep.length = 0; gc();';
  const run = spawnSync(process.execPath, ['--trace-gc', '--expose-gc', '-e', script], { encoding: 'utf8' });
  assert.is(run.status, 0, run.stderr);
  return run.stdout;
};

const gc = suite('gc-trace');

gc('counts the collections of a real --trace-gc log by kind, with the live set after each full collection', () => {
  const log = traced();
  const trace = parseGcTrace(log);
  const lines = log.split('\n').filter((l) => / ms: (Scavenge|Mark-Compact)/.test(l)).length;
  assert.ok(lines > 2, log);
  assert.is([...trace.kinds.values()].reduce((n, k) => n + k.n, 0), lines, 'every collection line counted');
  assert.ok((trace.kinds.get('Scavenge')?.n ?? 0) > 0, 'scavenges seen');
  const full = [...trace.kinds].filter(([kind]) => kind.startsWith('Mark')).reduce((n, [, k]) => n + k.n, 0);
  assert.ok(full >= 2, 'both forced full collections seen');
  assert.is(trace.liveMb.length, full);
  // 100,000 objects of ~100 characters were alive at the first forced collection, none at the last.
  assert.ok(trace.liveMb[trace.liveMb.length - 2]! > trace.liveMb[trace.liveMb.length - 1]! + 5, `live: ${trace.liveMb.join(', ')}`);
  assert.ok(trace.committedMb >= Math.max(...trace.liveMb));
});

gc('summarises in one line; a log without collections says so', () => {
  assert.match(gcSummary(traced()), /^\d+ Scavenge \(\d+ ms\).*; heap committed after a collection at most [\d.]+ MB; in use after each full collection [\d.]+(, [\d.]+)+ MB$/);
  assert.is(gcSummary('no collections here\n'), 'none seen');
  const many = Array.from({ length: 12 }, (_, i) => `[1:0x1]  ${i} ms: Mark-Compact 9.0 (12.0) -> ${20 + i}.0 (30.0) MB, 1.50 / 0.00 ms  (average mu = 1.000) finalize\n`).join('');
  assert.is(gcSummary(many), '12 Mark-Compact (18 ms); heap committed after a collection at most 30.0 MB; in use after the 12 full collections 20.0 – 31.0 MB (after the first 20.0 MB)');
  assert.is(parseGcTrace('').liveMb.length, 0);
});

gc.run();
