// Specs for src/stand-ins/analysisd-queue.ts (A stand-in for analysisd's queue socket: a bound AF_UNIX datagram socket that records write-backs).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { openQueueSocketWriter } from '../../src/delivery/wazuh-queue.js';
import { bindAnalysisdQueue } from '../../src/stand-ins/analysisd-queue.js';
import { shortTempDir } from '../helpers/queue-socket.js';

const signal = () => AbortSignal.timeout(5000);

const queue = suite('bindAnalysisdQueue');
let home: string;
queue.before.each(() => {
  home = shortTempDir();
});
queue.after.each(() => rmSync(home, { recursive: true, force: true }));

queue('binds a datagram socket (creating its directory) and records every datagram in order', async () => {
  const path = join(home, 'queue', 'sockets', 'queue');
  const q = bindAnalysisdQueue(path);
  const writer = await openQueueSocketWriter(path);
  try {
    assert.is(q.path, path);
    assert.ok(statSync(path).isSocket());
    const sent = ['1:virustotal:{"n": 1}', '1:[001] (web|:01) any->maltiverse:{"n": 2}', `1:virustotal:{"big": "${'é'.repeat(3000)}"}`];
    for (const m of sent) assert.equal(await writer.send(m, signal()), { kind: 'delivered' });
    await q.waitFor(3);
    assert.equal(q.messages, sent);
  } finally {
    await writer.close();
    q.unbind();
  }
});

queue('waitFor(n) resolves at once when n datagrams already arrived, later otherwise', async () => {
  const path = join(home, 'q');
  const q = bindAnalysisdQueue(path);
  const writer = await openQueueSocketWriter(path);
  try {
    await q.waitFor(0);
    let second = false;
    const waiting = q.waitFor(2).then(() => (second = true));
    await writer.send('1:a:{}', signal());
    await q.waitFor(1);
    assert.is(second, false);
    await writer.send('1:b:{}', signal());
    await waiting;
    assert.is(q.messages.length, 2);
  } finally {
    await writer.close();
    q.unbind();
  }
});

queue('unbind() leaves the file, so that a sender is refused like with analysisd stopped; twice is harmless', async () => {
  const path = join(home, 'q');
  const q = bindAnalysisdQueue(path);
  q.unbind();
  q.unbind();
  assert.ok(existsSync(path));
  const writer = await openQueueSocketWriter(path);
  try {
    const verdict = await writer.send('1:virustotal:{}', signal());
    assert.is(verdict.kind, 'retry');
    assert.match(verdict.kind === 'retry' ? verdict.reason : '', 'refused the message (analysisd not running)');
  } finally {
    await writer.close();
  }
});

queue.run();
