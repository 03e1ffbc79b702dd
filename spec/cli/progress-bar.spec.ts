// Specs for src/cli/progress-bar.ts (A one-line progress display for replay on a terminal: alerts, bytes, rate, ETA).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Writable } from 'node:stream';
import { formatProgress, startProgressBar, type ProgressSample } from '../../src/cli/progress-bar.js';
import { eventually } from '../helpers/eventually.js';
import { settleFor } from '../helpers/line-sources.js';

const format = suite('formatProgress');
format('shows alerts, MB read of the total with the percentage, alerts/s and the ETA from the byte rate', () => {
  assert.is(formatProgress({ lines: 12345, bytes: 50e6, totalBytes: 200e6 }, 10_000), 'replay: 12,345 alerts · 50.0 MB / 200.0 MB (25%) · 1,235 alerts/s · ETA 0:30');
});
format('writes hours as H:MM:SS', () => {
  assert.is(formatProgress({ lines: 1, bytes: 1, totalBytes: 2 }, 3_723_000), 'replay: 1 alerts · 0.0 MB / 0.0 MB (50%) · 0 alerts/s · ETA 1:02:03');
});
format('says ? for the ETA while nothing is known, and never more than 100%', () => {
  assert.match(formatProgress({ lines: 0, bytes: 0, totalBytes: 0 }, 0), / · 0 alerts\/s · ETA \?$/);
  assert.not.match(formatProgress({ lines: 0, bytes: 0, totalBytes: 0 }, 0), '%');
  assert.match(formatProgress({ lines: 5, bytes: 3e6, totalBytes: 2e6 }, 1000), '3.0 MB / 2.0 MB (100%) · 5 alerts/s · ETA 0:00');
});
format.run();

/** A stream that records writes; a terminal when `tty`. */
const stream = (tty: boolean) => {
  const writes: string[] = [];
  const s = Object.assign(
    new Writable({
      write(chunk: Buffer, _e, done) {
        writes.push(chunk.toString());
        done();
      },
    }),
    { isTTY: tty },
  );
  return { s, writes };
};

const bar = suite('startProgressBar');
const sample: ProgressSample = { lines: 10, bytes: 1e6, totalBytes: 4e6 };

bar('redraws one line in place on a terminal, and clears it on stop()', async () => {
  const { s, writes } = stream(true);
  const progress = startProgressBar(s, () => sample, 5);
  await eventually(() => writes.length >= 2, 'two redraws');
  progress.stop();
  for (const w of writes.slice(0, -1)) assert.match(w, /^\r\x1b\[2Kreplay: 10 alerts · 1\.0 MB \/ 4\.0 MB \(25%\)/);
  assert.is(writes[writes.length - 1], '\r\x1b[2K');
  const count = writes.length;
  await settleFor(30);
  assert.is(writes.length, count, 'nothing after stop()');
});

bar('draws nothing while there is no sample yet', async () => {
  const { s, writes } = stream(true);
  let calls = 0;
  const progress = startProgressBar(s, () => (calls++, undefined), 5);
  await eventually(() => calls >= 2, 'two ticks');
  progress.stop();
  assert.equal(writes, ['\r\x1b[2K']);
});

bar('writes nothing at all to a pipe or a file (no control characters in logs)', async () => {
  const { s, writes } = stream(false);
  let calls = 0;
  const progress = startProgressBar(s, () => (calls++, sample), 5);
  await settleFor(30);
  progress.stop();
  assert.is(calls, 0);
  assert.equal(writes, []);
});

bar.run();
