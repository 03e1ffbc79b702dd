// Specs for src/library/dead-letter-batch.ts (dead letters of one turn written per block in batched, fsynced appends).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfigText } from '../../src/config/load.js';
import { DeadLetterStore } from '../../src/delivery/dead-letter.js';
import { DEAD_LETTER_BATCH, DeadLetterBatch } from '../../src/library/dead-letter-batch.js';
import { createMetrics } from '../../src/telemetry/metrics.js';
import { quietDuring } from '../helpers/capture-log.js';
import { ossecConf, webhookBlock } from '../helpers/ossec-conf.js';
import { tempDirSync } from '../helpers/temp-dir.js';

const [a, b] = loadConfigText(ossecConf(webhookBlock('custom-a', 'http://127.0.0.1:9/a'), webhookBlock('custom-b', 'http://127.0.0.1:9/b'))).integrations;

const batch = suite('DeadLetterBatch');
quietDuring(batch);

batch('3,000 dead letters of one turn for two blocks: two appends for the first block, one for the second, every record on disk', async () => {
  const tmp = tempDirSync('dl-batch');
  try {
    const store = new DeadLetterStore(join(tmp.dir, 'state'));
    const appends: number[] = [];
    const appendMany = store.appendMany.bind(store);
    store.appendMany = (records) => {
      appends.push(records.length);
      return appendMany(records);
    };
    const writer = new DeadLetterBatch({ deadLetters: store, metrics: createMetrics() });
    const written = [
      ...Array.from({ length: 3000 }, (_, n) => writer.write(a!, { id: `A${n}` }, 'stopped')),
      ...Array.from({ length: 10 }, (_, n) => writer.write(b!, { id: `B${n}` }, 'overflow')),
    ];
    assert.ok((await Promise.all(written)).every(Boolean));
    assert.equal(appends.sort((x, y) => x - y), [10, 3000 - DEAD_LETTER_BATCH, DEAD_LETTER_BATCH].sort((x, y) => x - y));
    assert.is((await store.records(a!.id)).length, 3000);
    assert.equal((await store.records(b!.id)).map((r) => r.reason), Array.from({ length: 10 }, () => 'overflow'));
  } finally {
    tmp.remove();
  }
});

batch('a write that fails resolves false for each of its records (never rejects)', async () => {
  const tmp = tempDirSync('dl-batch-bad');
  try {
    // A state "directory" under a regular file: ENOTDIR, whoever runs the spec.
    writeFileSync(join(tmp.dir, 'file'), 'x');
    const writer = new DeadLetterBatch({ deadLetters: new DeadLetterStore(join(tmp.dir, 'file', 'state')), metrics: createMetrics() });
    const results = await Promise.all([writer.write(a!, { id: 'X1' }, 'stopped'), writer.write(a!, { id: 'X2' }, 'stopped')]);
    assert.equal(results, [false, false]);
  } finally {
    tmp.remove();
  }
});

batch.run();
