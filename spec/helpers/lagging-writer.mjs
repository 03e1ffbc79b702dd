// A writer process that holds its alerts file descriptor and reopens the name only some time after SIGHUP (logrotate's postrotate signal).
// Usage: node lagging-writer.mjs ALERTS_FILE LINES_FILE PER_SECOND REOPEN_MS
// Appends each line of LINES_FILE to ALERTS_FILE at PER_SECOND through one descriptor; on SIGHUP it keeps
// writing to that descriptor for REOPEN_MS (`usr2`: until SIGUSR2), then closes it and opens ALERTS_FILE again (O_APPEND|O_CREAT).
// Prints `written N` after every write and `reopened N` when it switched; exits 0 when every line is written.

import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';

const [alerts, linesFile, perSecond, reopenMs] = process.argv.slice(2);
const lines = readFileSync(linesFile, 'utf8').split('\n').filter((l) => l !== '');
const rate = Number(perSecond);
const BATCH = 5;
let fd = openSync(alerts, 'a');
let written = 0;

const reopen = () => {
  closeSync(fd);
  fd = openSync(alerts, 'a');
  process.stdout.write(`reopened ${written}\n`);
};
process.on('SIGHUP', () => {
  if (reopenMs === 'usr2') process.once('SIGUSR2', reopen);
  else setTimeout(reopen, Number(reopenMs));
});

const started = Date.now();
const step = () => {
  const batch = lines.slice(written, written + BATCH);
  writeSync(fd, `${batch.join('\n')}\n`);
  written += batch.length;
  process.stdout.write(`written ${written}\n`);
  if (written >= lines.length) {
    closeSync(fd);
    return;
  }
  setTimeout(step, Math.max(0, started + (written * 1000) / rate - Date.now()));
};
step();
