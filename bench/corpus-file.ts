// The seeded alert corpora on disk (bench/.data/alerts-N.json, alerts-samples-N.json), generated once and shared by every benchmark.

import { once } from 'node:events';
import { createWriteStream, existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { dataDir, thousands } from './bench-env.js';
import { generateAlertLines } from './corpus.js';
import { generateSampleAlertLines } from './corpus-samples.js';

/** Seed of the shared corpus: the same as filter-core's, so a 100k corpus is the first 100k lines of the 1M one. */
export const CORPUS_SEED = 1;

/** The two corpora: `synthetic` (corpus.ts, ~980 bytes a line) and `samples` (corpus-samples.ts, the 18 real shapes, ~920 bytes). */
export type CorpusKind = 'synthetic' | 'samples';

/**
 * Path of a file of `count` corpus alerts (one JSON object per line, each ending in "\n"), generated
 * on first use. Written to a temporary name and renamed, so an interrupted run never leaves a short
 * file behind that a later run would take for the whole corpus. Rejects only on I/O errors.
 */
export const corpusFile = async (count: number, kind: CorpusKind = 'synthetic'): Promise<string> => {
  const file = join(dataDir(), kind === 'synthetic' ? `alerts-${count}.json` : `alerts-samples-${count}.json`);
  if (existsSync(file)) return file;
  process.stderr.write(`generating ${thousands(count)} alerts into ${file} …\n`);
  const out = createWriteStream(`${file}.tmp`);
  const lines = kind === 'synthetic' ? generateAlertLines(count, CORPUS_SEED) : generateSampleAlertLines(count, CORPUS_SEED);
  for (const line of lines) {
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  renameSync(`${file}.tmp`, file);
  return file;
};
