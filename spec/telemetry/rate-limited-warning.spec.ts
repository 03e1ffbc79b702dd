// Specs for src/telemetry/rate-limited-warning.ts (A WARNING that bad input can repeat at line rate, logged at most once a minute with a count).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { RateLimitedWarning } from '../../src/telemetry/rate-limited-warning.js';
import { captureLogRecords, type LogRecord } from '../helpers/capture-log.js';
import { settleFor } from '../helpers/line-sources.js';

const INTERVAL_MS = 100;

const test = suite<{ records: LogRecord[]; restore: () => void }>('RateLimitedWarning');
test.before.each((ctx) => {
  const captured = captureLogRecords();
  ctx.records = captured.records;
  ctx.restore = captured.restore;
});
test.after.each((ctx) => ctx.restore());

const messages = (records: LogRecord[]) => records.filter((r) => r.level === 'warning').map((r) => r.message);

test('the first warning at once; the next ones in the interval become one count line when it ends', async (ctx) => {
  const warning = new RateLimitedWarning('bad things', INTERVAL_MS);
  warning.warn('a', 'bad thing 1', { n: 1 });
  warning.warn('a', 'bad thing 2', { n: 2 });
  warning.warn('b', 'bad thing 3', { n: 3 });
  assert.equal(messages(ctx.records), ['bad thing 1']);
  await settleFor(INTERVAL_MS * 1.5);
  assert.equal(messages(ctx.records), ['bad thing 1', '2 more bad things']);
  const count = ctx.records.at(-1)!;
  assert.equal([count['a'], count['b']], [1, 1]);
});

test('a count line opens a new interval (at most one line per interval); a quiet interval lets the next warning through at once', async (ctx) => {
  const warning = new RateLimitedWarning('bad things', INTERVAL_MS);
  warning.warn('a', 'first', {});
  warning.warn('a', 'held', {});
  await settleFor(INTERVAL_MS * 1.5);
  warning.warn('a', 'held in the second interval', {});
  assert.equal(messages(ctx.records), ['first', '1 more bad things']);
  await settleFor(INTERVAL_MS * 2.5);
  assert.equal(messages(ctx.records), ['first', '1 more bad things', '1 more bad things']);
  warning.warn('a', 'after a quiet interval', {});
  assert.equal(messages(ctx.records).at(-1), 'after a quiet interval');
  warning.flush();
});

test('flush() logs what is held back at once and nothing when nothing is', (ctx) => {
  const warning = new RateLimitedWarning('bad things', 60_000);
  warning.warn('a', 'first', {});
  warning.flush();
  assert.equal(messages(ctx.records), ['first']);
  warning.warn('a', 'again at once after a flush', {});
  warning.warn('a', 'held', {});
  warning.flush();
  assert.equal(messages(ctx.records), ['first', 'again at once after a flush', '1 more bad things']);
});

test.run();
