// Runs the uvu suite on the TypeScript sources and prints the closing line `N passed, N failed`.
// Usage: node spec/run-suite.mjs [DIR] [PATTERN]   (defaults: spec, \.spec\.ts$)
// Fails when uvu fails, when its summary is missing (a crash) or when no test ran at all.

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [dir = 'spec', pattern = '\\.spec\\.ts$'] = process.argv.slice(2);
const uvu = join(root, 'node_modules', 'uvu', 'bin.js');

const child = spawn(process.execPath, ['--import', 'tsx', uvu, dir, pattern, '--no-color'], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'inherit'],
});

let output = '';
child.stdout.on('data', (chunk) => {
  output += chunk;
  process.stdout.write(chunk);
});

child.on('close', (code, signal) => {
  const read = (label) => {
    const match = new RegExp(`${label}:\\s+(\\d+)`).exec(output);
    return match ? Number(match[1]) : undefined;
  };
  const total = read('Total');
  const passed = read('Passed');
  const skipped = read('Skipped') ?? 0;
  if (total === undefined || passed === undefined) {
    console.log(`0 passed, 1 failed`);
    console.error(`run-suite: uvu printed no summary (exit ${code ?? signal}): the suite crashed`);
    process.exit(1);
  }
  const failed = total - passed - skipped;
  console.log(`${passed} passed, ${failed} failed`);
  if (total === 0) {
    console.error('run-suite: no test ran');
    process.exit(1);
  }
  if (skipped > 0) {
    console.error(`run-suite: ${skipped} test(s) skipped: skipped tests are not allowed`);
    process.exit(1);
  }
  process.exit(code === 0 && failed === 0 ? 0 : 1);
});
