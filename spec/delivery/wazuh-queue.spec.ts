// Specs for src/delivery/wazuh-queue.ts (The QueueWriter for analysisd's queue socket: one AF_UNIX datagram per write-back message (unix-dgram)).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { errnoName, loadUnixDgram, openQueueSocketWriter, socketVerdict } from '../../src/delivery/wazuh-queue.js';
import { wazuhLocation } from '../../src/integrations/enrichment-event.js';
import { queueMessage } from '../../src/delivery/queue-message.js';
import { bindQueueSocket, shortTempDir } from '../helpers/queue-socket.js';

const signal = new AbortController().signal;

const writer = suite('openQueueSocketWriter');
writer('delivers each message as one datagram to a bound socket, in order', async () => {
  const queue = bindQueueSocket();
  const w = await openQueueSocketWriter(queue.path);
  try {
    const loc = wazuhLocation({ agent: { id: '001', name: 'Agent1', ip: '192.168.0.1' } }, 'maltiverse');
    const first = queueMessage(loc, { integration: 'maltiverse', note: 'é' });
    assert.equal(await w.send(first, signal), { kind: 'delivered' });
    assert.equal(await w.send('1:virustotal:{"n": 2}', signal), { kind: 'delivered' });
    await queue.waitFor(2);
    assert.equal(queue.messages, [first, '1:virustotal:{"n": 2}']);
    assert.is(queue.messages[0], '1:[001] (Agent1) 192.168.0.1->maltiverse:{"integration": "maltiverse", "note": "\\u00e9"}');
  } finally {
    await w.close();
    queue.close();
  }
});
writer('retries when the socket file does not exist (analysisd not started)', async () => {
  const home = shortTempDir();
  const w = await openQueueSocketWriter(join(home, 'queue'));
  try {
    const verdict = await w.send('1:virustotal:{}', signal);
    assert.is(verdict.kind, 'retry');
    assert.match(verdict.kind === 'retry' ? verdict.reason : '', /does not exist/);
  } finally {
    await w.close();
    rmSync(home, { recursive: true, force: true });
  }
});
writer('retries when nobody listens on the socket file (ECONNREFUSED: analysisd down)', async () => {
  const queue = bindQueueSocket();
  queue.unbind();
  const w = await openQueueSocketWriter(queue.path);
  try {
    const verdict = await w.send('1:virustotal:{}', signal);
    assert.is(verdict.kind, 'retry');
    assert.match(verdict.kind === 'retry' ? verdict.reason : '', /refused/);
  } finally {
    await w.close();
    queue.close();
  }
});
writer('retries the messages a full receive queue refuses (EAGAIN) and delivers the rest', async () => {
  const queue = bindQueueSocket();
  const w = await openQueueSocketWriter(queue.path);
  try {
    // The receiver cannot read while this loop runs: its queue (net.unix.max_dgram_qlen) fills up.
    const verdicts = await Promise.all(Array.from({ length: 1000 }, (_, i) => w.send(`1:virustotal:{"i": ${i}}`, signal)));
    const delivered = verdicts.filter((v) => v.kind === 'delivered').length;
    const busy = verdicts.filter((v) => v.kind === 'retry' && /full/.test(v.reason)).length;
    assert.ok(delivered > 0, 'some delivered');
    assert.ok(busy > 0, 'some refused as busy');
    assert.is(delivered + busy, 1000);
    await queue.waitFor(delivered);
    assert.is(queue.messages.length, delivered);
  } finally {
    await w.close();
    queue.close();
  }
});
writer('drops a message too long for a datagram (EMSGSIZE)', async () => {
  const queue = bindQueueSocket();
  const w = await openQueueSocketWriter(queue.path);
  try {
    const verdict = await w.send(`1:virustotal:"${'x'.repeat(8 * 1024 * 1024)}"`, signal);
    assert.is(verdict.kind, 'drop');
    assert.match(verdict.kind === 'drop' ? verdict.reason : '', /too long/);
  } finally {
    await w.close();
    queue.close();
  }
});
writer('refuses to send after close or with an aborted signal', async () => {
  const queue = bindQueueSocket();
  const w = await openQueueSocketWriter(queue.path);
  const aborted = new AbortController();
  aborted.abort();
  assert.is((await w.send('1:x:{}', aborted.signal)).kind, 'retry');
  await w.close();
  assert.is((await w.send('1:x:{}', signal)).kind, 'retry');
  queue.close();
  assert.is(queue.messages.length, 0);
});
writer('refuses a socket path longer than a unix socket can hold', async () => {
  await openQueueSocketWriter(`/tmp/${'x'.repeat(120)}`).then(
    () => assert.unreachable('should throw'),
    (error: { code?: string }) => assert.is(error.code, 'INTEGRATORD_IO'),
  );
});
writer.run();

const verdicts = suite('socketVerdict');
verdicts('maps errno codes: missing, refused and busy retry; too long drops; others retry', () => {
  assert.is(socketVerdict({ code: -2 }, 'q').kind, 'retry');
  assert.is(socketVerdict({ code: -111 }, 'q').kind, 'retry');
  assert.is(socketVerdict({ code: 1 }, 'q').kind, 'retry');
  assert.is(socketVerdict({ code: -90 }, 'q').kind, 'drop');
  assert.is(socketVerdict({ code: -13 }, 'q').kind, 'retry');
  assert.is(errnoName({ code: -13 }), 'EACCES');
  assert.is(errnoName({ code: 1 }), 'EAGAIN');
});
verdicts.run();

const load = suite('loadUnixDgram');
load('loads the installed native package', async () => {
  const unix = await loadUnixDgram();
  assert.type(unix.createSocket, 'function');
});
load('explains a missing package and names --enrichment-out FILE', async () => {
  await loadUnixDgram('unix-dgram-not-installed').then(
    () => assert.unreachable('should throw'),
    (error: { code?: string; message: string }) => {
      assert.is(error.code, 'INTEGRATORD_UNSUPPORTED');
      assert.match(error.message, /unix-dgram-not-installed/);
      assert.match(error.message, /--enrichment-out FILE/);
    },
  );
});
load.run();
