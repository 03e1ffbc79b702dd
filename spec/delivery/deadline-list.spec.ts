// Specs for src/delivery/deadline-list.ts (Deadlines of many requests from one timer: a list ordered by time, one scheduled action for its head).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { VirtualTimeScheduler } from 'rxjs';
import { DeadlineList } from '../../src/delivery/deadline-list.js';

/** A virtual clock that counts the actions scheduled on it. */
const countingScheduler = () => {
  const scheduler = new VirtualTimeScheduler();
  let scheduled = 0;
  const schedule = scheduler.schedule.bind(scheduler);
  scheduler.schedule = ((work: () => void, delay?: number) => {
    scheduled++;
    return schedule(work, delay);
  }) as typeof scheduler.schedule;
  return { scheduler, scheduled: () => scheduled };
};

/** Runs every action due by `frame` (VirtualTimeScheduler.flush runs all; maxFrames stops it there). */
const advanceTo = (scheduler: VirtualTimeScheduler, frame: number) => {
  scheduler.maxFrames = frame;
  scheduler.flush();
};

const list = suite('DeadlineList');

list('runs each deadline at its time, in time order, whatever the order they were armed in', () => {
  const { scheduler } = countingScheduler();
  const deadlines = new DeadlineList(scheduler);
  const fired: string[] = [];
  deadlines.arm(30, () => fired.push(`a@${scheduler.now()}`));
  deadlines.arm(10, () => fired.push(`b@${scheduler.now()}`));
  deadlines.arm(20, () => fired.push(`c@${scheduler.now()}`));
  deadlines.arm(10, () => fired.push(`d@${scheduler.now()}`));
  advanceTo(scheduler, 9);
  assert.equal(fired, []);
  advanceTo(scheduler, 100);
  assert.equal(fired, ['b@10', 'd@10', 'c@20', 'a@30']);
  assert.is(deadlines.size, 0);
});

list('a cancelled deadline never runs and leaves the list at once', () => {
  const { scheduler } = countingScheduler();
  const deadlines = new DeadlineList(scheduler);
  const fired: number[] = [];
  const first = deadlines.arm(10, () => fired.push(1));
  const middle = deadlines.arm(20, () => fired.push(2));
  deadlines.arm(30, () => fired.push(3));
  middle.cancel();
  first.cancel();
  first.cancel();
  assert.is(deadlines.size, 1);
  advanceTo(scheduler, 100);
  assert.equal(fired, [3]);
});

list('many requests answered in time cost one timer, not one each', () => {
  const { scheduler, scheduled } = countingScheduler();
  const deadlines = new DeadlineList(scheduler);
  // 1,000 attempts of a block with a 10 s timeout, 16 in flight, each answered 16 ms after it started.
  const inFlight = Array.from({ length: 16 }, () => deadlines.arm(10_000, () => assert.unreachable('answered in time')));
  for (let i = 0; i < 1000; i++) {
    advanceTo(scheduler, scheduler.now() + 1);
    inFlight.shift()!.cancel();
    inFlight.push(deadlines.arm(10_000, () => assert.unreachable('answered in time')));
  }
  for (const deadline of inFlight) deadline.cancel();
  assert.is(deadlines.size, 0);
  assert.ok(scheduled() <= 2, `${scheduled()} timers scheduled`);
  advanceTo(scheduler, 100_000);
});

list('work that arms a later deadline does not delay an earlier one already armed', () => {
  const { scheduler } = countingScheduler();
  const deadlines = new DeadlineList(scheduler);
  const fired: string[] = [];
  deadlines.arm(10, () => {
    fired.push(`first@${scheduler.now()}`);
    deadlines.arm(100, () => fired.push(`re-armed@${scheduler.now()}`));
  });
  deadlines.arm(15, () => fired.push(`second@${scheduler.now()}`));
  advanceTo(scheduler, 1000);
  assert.equal(fired, ['first@10', 'second@15', 're-armed@110']);
});

list('once the last deadline is cancelled no timer is left (a replay exits when its last request is answered)', () => {
  const { scheduler } = countingScheduler();
  const deadlines = new DeadlineList(scheduler);
  const a = deadlines.arm(10_000, () => assert.unreachable());
  const b = deadlines.arm(10_000, () => assert.unreachable());
  a.cancel();
  assert.is(scheduler.actions.length, 1, 'still watching b');
  b.cancel();
  assert.is(scheduler.actions.filter((action) => !action.closed).length, 0);
});

list('clear() drops every deadline and the timer', () => {
  const { scheduler } = countingScheduler();
  const deadlines = new DeadlineList(scheduler);
  let fired = 0;
  for (let i = 1; i <= 5; i++) deadlines.arm(i, () => fired++);
  deadlines.clear();
  advanceTo(scheduler, 100);
  assert.is(fired, 0);
  assert.is(deadlines.size, 0);
});

list.run();
