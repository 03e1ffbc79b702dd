// A separate process that appends corpus alerts to a file at a steady rate, like analysisd writing alerts.json.
// Run: node --import tsx bench/append-writer.ts FILE COUNT RATE [stamp]   (RATE lines/s, 0 = flat out)
// Prints {"writerMs":…} on stdout when done. With `stamp`, each line starts with "written_at_us":<µs>.

import { closeSync, openSync, writeSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { wallMicros } from './bench-env.js';
import { CORPUS_SEED } from './corpus-file.js';
import { generateAlertLines } from './corpus.js';

/** The key a stamped line starts with: wall-clock µs of its write(2), read back by the receiver. */
export const WRITTEN_AT_KEY = 'written_at_us';

/**
 * Appends `count` corpus lines to `path`, one write(2) per line (as analysisd does), paced at `rate`
 * lines/s from the start (0: as fast as possible). A stamped line is the alert with
 * `"written_at_us":<wall-clock µs>` as its first key, taken just before its write.
 */
export const appendLines = async (path: string, count: number, rate: number, stamp: boolean): Promise<number> => {
  const fd = openSync(path, 'a');
  const started = performance.now();
  let n = 0;
  try {
    for (const line of generateAlertLines(count, CORPUS_SEED)) {
      if (rate > 0) {
        const wait = started + (n * 1000) / rate - performance.now();
        // Sleep only when ahead by more than a millisecond (timers are not finer); otherwise write now.
        if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      }
      writeSync(fd, stamp ? `{"${WRITTEN_AT_KEY}":${wallMicros()},${line.slice(1)}\n` : `${line}\n`);
      n++;
    }
  } finally {
    closeSync(fd);
  }
  return performance.now() - started;
};

/**
 * Runs appendLines in a child process (its own core, its own event loop); resolves with the time the
 * writer took (ms), rejects if it exits non-zero.
 */
export const spawnAppendWriter = (path: string, count: number, rate: number, stamp: boolean): Promise<number> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), path, String(count), String(rate), ...(stamp ? ['stamp'] : [])], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve((JSON.parse(out) as { writerMs: number }).writerMs) : reject(new Error(`append writer exited ${code}`))));
  });

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [path, count, rate, stamp] = process.argv.slice(2);
  const writerMs = await appendLines(path as string, Number(count), Number(rate), stamp === 'stamp');
  process.stdout.write(JSON.stringify({ writerMs }));
}
