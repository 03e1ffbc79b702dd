// Specs for src/delivery/enrichment-file.ts (The QueueWriter for --enrichment-out FILE: enrichment events as JSON Lines where no Wazuh socket is used).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openEnrichmentFileWriter } from '../../src/delivery/enrichment-file.js';
import { wazuhLocation } from '../../src/integrations/enrichment-event.js';
import { queueMessage } from '../../src/delivery/queue-message.js';
import { shortTempDir } from '../helpers/queue-socket.js';

const signal = new AbortController().signal;
const at = new Date('2024-05-14T10:21:35.000Z');

const file = suite('openEnrichmentFileWriter');
file('writes one JSON line per event with time, unescaped location, event and the exact datagram', async () => {
  const dir = shortTempDir();
  try {
    const path = join(dir, 'enrichment.jsonl');
    const w = await openEnrichmentFileWriter(path, () => at);
    const loc = wazuhLocation({ agent: { id: '001', name: 'web-01', ip: 'fe80::1' } }, 'virustotal');
    const datagram = queueMessage(loc, { virustotal: { found: 0 }, integration: 'virustotal' });
    assert.equal(await w.send(datagram, signal), { kind: 'delivered' });
    assert.equal(await w.send(queueMessage('virustotal', { n: 2 }), signal), { kind: 'delivered' });
    await w.close();
    const lines = readFileSync(path, 'utf8').split('\n');
    assert.is(lines.length, 3);
    assert.is(lines[2], '');
    assert.equal(JSON.parse(lines[0] ?? ''), {
      time: '2024-05-14T10:21:35.000Z',
      location: '[001] (web-01) fe80::1->virustotal',
      event: { virustotal: { found: 0 }, integration: 'virustotal' },
      datagram,
    });
    assert.equal(JSON.parse(lines[1] ?? '').event, { n: 2 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
file('appends to an existing file and keeps call order under concurrent sends', async () => {
  const dir = shortTempDir();
  try {
    const path = join(dir, 'out.jsonl');
    const first = await openEnrichmentFileWriter(path);
    await first.send(queueMessage('maltiverse', { i: -1 }), signal);
    await first.close();
    const w = await openEnrichmentFileWriter(path);
    await Promise.all(Array.from({ length: 50 }, (_, i) => w.send(queueMessage('maltiverse', { i }), signal)));
    await w.close();
    const order = readFileSync(path, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { event: { i: number } }).event.i);
    assert.equal(order, [-1, ...Array.from({ length: 50 }, (_, i) => i)]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
file('creates the file 0600 (events carry alert content) and refuses a symlink at the path', async () => {
  const dir = shortTempDir();
  const previous = process.umask(0);
  try {
    const path = join(dir, 'enrichment.jsonl');
    const w = await openEnrichmentFileWriter(path, () => at);
    await w.close();
    assert.is(statSync(path).mode & 0o777, 0o600);
    const victim = join(dir, 'victim.conf');
    writeFileSync(victim, 'keep\n');
    symlinkSync(victim, join(dir, 'linked.jsonl'));
    await openEnrichmentFileWriter(join(dir, 'linked.jsonl')).then(
      () => assert.unreachable('should refuse'),
      (error: NodeJS.ErrnoException) => assert.is(error.code, 'ELOOP'),
    );
    assert.is(readFileSync(victim, 'utf8'), 'keep\n');
  } finally {
    process.umask(previous);
    rmSync(dir, { recursive: true, force: true });
  }
});
file('drops text that is not a write-back message, and refuses after close', async () => {
  const dir = shortTempDir();
  try {
    const w = await openEnrichmentFileWriter(join(dir, 'x.jsonl'));
    assert.is((await w.send('garbage', signal)).kind, 'drop');
    await w.close();
    assert.is((await w.send(queueMessage('x', {}), signal)).kind, 'retry');
    assert.is(readFileSync(join(dir, 'x.jsonl'), 'utf8'), '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
file.run();
