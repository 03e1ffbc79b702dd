// Specs for src/pipeline/settled-within.ts (a promise waited for at most so long).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { settledWithin } from '../../src/pipeline/settled-within.js';

const within = suite('settledWithin');

within('true when the promise resolves in time, false when the time runs out first', async () => {
  assert.is(await settledWithin(new Promise((resolve) => setTimeout(resolve, 5)), 1000), true);
  const started = Date.now();
  assert.is(await settledWithin(new Promise(() => undefined), 30), false);
  assert.ok(Date.now() - started < 1000);
});

within.run();
