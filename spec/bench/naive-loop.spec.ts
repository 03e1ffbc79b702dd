// Specs for bench/naive-loop.mjs (the naive loop as a child process: split lines, JSON.parse each, test rule.level).

import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { generateAlertLines } from '../../bench/corpus.js';
import { tempDir } from '../helpers/temp-dir.js';

const NAIVE = fileURLToPath(new URL('../../bench/naive-loop.mjs', import.meta.url));
const lines = [...generateAlertLines(2000, 3)];
const levelOf = (line: string) => ((JSON.parse(line) as { rule?: { level?: number } }).rule?.level ?? 0);

const loop = suite('naive-loop.mjs');

loop('counts every line, the lines at or above the level (a missing level is 0) and the highest level, across 4 MiB reads', async () => {
  const dir = await tempDir();
  try {
    const file = join(dir.path, 'alerts.json');
    // Repeated past one 4 MiB read, so lines are split across reads.
    const copies = Math.ceil((5 * 2 ** 20) / lines.join('\n').length);
    writeFileSync(file, Array.from({ length: copies }, () => lines.map((l) => `${l}\n`).join('')).join(''));
    for (const level of [0, 10, 16]) {
      const run = spawnSync(process.execPath, [NAIVE, file, String(level)], { encoding: 'utf8' });
      assert.is(run.status, 0, run.stderr);
      assert.equal(JSON.parse(run.stdout), {
        lines: lines.length * copies,
        matched: lines.filter((l) => levelOf(l) >= level).length * copies,
        maxLevel: Math.max(...lines.map(levelOf)),
      });
    }
  } finally {
    await dir.remove();
  }
});

loop('refuses to run without a file and a whole-number level', () => {
  const run = spawnSync(process.execPath, [NAIVE, 'x.json', 'ten'], { encoding: 'utf8' });
  assert.is(run.status, 2);
  assert.match(run.stderr, /usage/);
});

loop.run();
