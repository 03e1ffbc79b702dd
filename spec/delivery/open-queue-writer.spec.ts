// Specs for src/delivery/open-queue-writer.ts (Chooses where enrichment events go (--enrichment-out FILE, else Wazuh's queue socket), opened on first use).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { lazyQueueWriter } from '../../src/delivery/open-queue-writer.js';
import { queueMessage } from '../../src/delivery/queue-message.js';
import { captureLog } from '../helpers/capture-log.js';
import { tempDir } from '../helpers/temp-dir.js';

const lazy = suite('lazyQueueWriter');
const signal = new AbortController().signal;
const message = queueMessage('virustotal', { virustotal: { found: 0 }, integration: 'virustotal' });

lazy('writes to --enrichment-out when given, opening the file only on first use', async () => {
  const dir = await tempDir();
  try {
    const file = join(dir.path, 'events.jsonl');
    const writer = lazyQueueWriter({ socketPath: join(dir.path, 'no-socket'), enrichmentOut: file });
    await readFile(file).then(() => assert.unreachable('opened before use'), () => undefined);
    assert.equal(await writer.send(message, signal), { kind: 'delivered' });
    await writer.close();
    const [line] = (await readFile(file, 'utf8')).trim().split('\n');
    assert.is(JSON.parse(line ?? '{}').datagram, message);
  } finally {
    await dir.remove();
  }
});
lazy('answers retry (never drops) while the socket does not exist', async () => {
  const dir = await tempDir();
  const log = captureLog(0);
  try {
    const writer = lazyQueueWriter({ socketPath: join(dir.path, 'queue') });
    const verdict = await writer.send(message, signal);
    assert.is(verdict.kind, 'retry');
    await writer.close();
  } finally {
    log.restore();
    await dir.remove();
  }
});
lazy('reports an unusable target once, with its cause, and keeps answering retry', async () => {
  const dir = await tempDir();
  const log = captureLog(0);
  try {
    const writer = lazyQueueWriter({ socketPath: join(dir.path, 'x'.repeat(200)) });
    const a = await writer.send(message, signal);
    const b = await writer.send(message, signal);
    assert.is(a.kind, 'retry');
    assert.is(b.kind, 'retry');
    assert.is(log.lines.filter((l) => l.includes('QueueWriterUnavailable')).length, 1);
    await writer.close();
  } finally {
    log.restore();
    await dir.remove();
  }
});
lazy.run();
