// Specs for bench/timed-process.ts (one command run under GNU time: wall clock, user+sys CPU, peak RSS, stopped when done or at a cap); in the peers suite (npm run test:peers), which needs GNU time.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseGnuTime, timedProcess } from '../../bench/timed-process.js';

const parse = suite('parseGnuTime');

parse('reads user and system seconds and the peak RSS in KiB from the last line', () => {
  assert.equal(parseGnuTime('1.25 0.10 83900\n'), { userSeconds: 1.25, systemSeconds: 0.1, peakRssBytes: 83900 * 1024 });
});

parse('says which signal ended the command when GNU time reports one before the figures', () => {
  assert.equal(parseGnuTime('Command terminated by signal 9\n0.30 0.02 1636\n'), { userSeconds: 0.3, systemSeconds: 0.02, peakRssBytes: 1636 * 1024, signal: 'signal 9' });
});

parse('throws when there are no figures (the command could not be run)', () => {
  assert.throws(() => parseGnuTime('/usr/bin/time: cannot run nope: No such file or directory\n'), /no figures/);
});

parse.run();

const run = suite('timedProcess');

run("measures the command's own CPU and peak RSS, and keeps what it printed", async () => {
  // 80 MB touched and a loop that spins until the child itself has used 0.4 s of CPU (by its own clock, so a busy machine cannot shorten it).
  const script = 'const b = Buffer.alloc(80e6, 1); let x = 0; for (;;) { const u = process.cpuUsage(); if (u.user + u.system >= 400000) break; x++; } process.stdout.write(String(b[0]))';
  const r = await timedProcess(process.execPath, ['-e', script]);
  assert.is(r.exit, 0);
  assert.is(r.stopped, undefined);
  assert.is(r.stdout, '1');
  assert.is(r.stdoutBytes, 1);
  // GNU time rounds to 10 ms.
  assert.ok(r.cpuSeconds >= 0.39, `cpu ${r.cpuSeconds}`);
  assert.ok(Math.abs(r.cpuSeconds - r.userSeconds - r.systemSeconds) < 1e-9);
  assert.ok(r.peakRssBytes >= 80e6, `peak ${r.peakRssBytes}`);
  assert.ok(r.wallSeconds > 0, `wall ${r.wallSeconds}`);
});

run('reports a failing exit code without throwing', async () => {
  const r = await timedProcess(process.execPath, ['-e', 'process.stderr.write("bad"); process.exit(3)']);
  assert.is(r.exit, 3);
  assert.is(r.stderr, 'bad');
});

run('stops a command that never exits once done() says so: the clock ends there, the process gets SIGTERM', async () => {
  const started = performance.now();
  const r = await timedProcess('sleep', ['30'], { done: async () => performance.now() - started > 300 });
  assert.is(r.stopped, 'done');
  assert.is(r.exit, 'signal 15');
  assert.ok(r.wallSeconds >= 0.3 && r.wallSeconds < 5, `wall ${r.wallSeconds}`);
});

run('kills a command at the cap and says so', async () => {
  const r = await timedProcess('sleep', ['30'], { capSeconds: 0.3 });
  assert.is(r.stopped, 'cap');
  assert.is(r.exit, 'signal 9');
  assert.ok(r.wallSeconds >= 0.3 && r.wallSeconds < 5, `wall ${r.wallSeconds}`);
});

run.run();
