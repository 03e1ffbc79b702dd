// `dlq redrive` while the daemon runs: the daemon (the state lock's owner) does it and answers; its automatic redrive never sends an alert twice.

import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createDlqCommand } from '../../src/cli/dlq.js';
import { DeadLetterStore } from '../../src/delivery/dead-letter.js';
import { lazyQueueWriter } from '../../src/delivery/open-queue-writer.js';
import { startStandIn, type StandIn } from '../../src/stand-ins/stand-in-server.js';
import { AlertsDir, alertLines } from '../helpers/alerts-dir.js';
import { captureIo } from '../helpers/capture-io.js';
import { DaemonProcess } from '../helpers/daemon-process.js';
import { eventually } from '../helpers/eventually.js';
import { writeOssecConf, webhookBlock } from '../helpers/ossec-conf.js';

const test = suite('dlq redrive while the daemon runs');

const dlq = createDlqCommand((p) => lazyQueueWriter({ socketPath: p.queueSocket }));

test('a permanent refusal (400) stays for a person; dlq redrive is done by the daemon and answered', async () => {
  const dir = new AlertsDir('redrive-request');
  let refuse = true;
  let service: StandIn | undefined;
  let daemon: DaemonProcess | undefined;
  try {
    service = await startStandIn({ answer: () => (refuse ? { status: 400, body: 'bad' } : { status: 200, body: {} }) });
    writeOssecConf(dir.home, webhookBlock('custom-refused', `${service.url}/hook`, '<retries>0</retries>'));
    dir.append([]);
    daemon = new DaemonProcess(['run', '--home', dir.home, '--grace', '1', '--redrive-base', '0.2']);
    await daemon.ready();
    dir.append(alertLines('refused', 3));
    const store = new DeadLetterStore(join(dir.home, 'var', 'integratord'));
    await eventually(async () => (await store.records()).length === 3, 'three dead letters');
    const received = service.received.length;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.is(service.received.length, received, 'a 400 is not redriven automatically');
    assert.ok((await store.records()).every((r) => r.cause === 'http_4xx' && r.next_redrive === undefined));

    refuse = false;
    const io = captureIo();
    const code = await dlq.run(['redrive', '--home', dir.home], io);
    assert.is(code, 0, io.err());
    assert.match(io.err(), `the daemon (pid ${daemon.pid}) owns`);
    assert.match(io.out(), /: 3 redriven, 3 delivered, 0 still dead/);
    assert.equal(await store.records(), []);
    assert.match(daemon.stderr, /DeadLettersRedriven/);
  } finally {
    await daemon?.stop();
    await service?.close();
    dir.remove();
  }
});

test('a manual redrive at the moment the automatic one is due: every alert is delivered exactly once', async () => {
  const dir = new AlertsDir('redrive-race');
  let down = true;
  let service: StandIn | undefined;
  let daemon: DaemonProcess | undefined;
  try {
    // Slow answers once up: both redrives would overlap if two processes sent.
    const delivered: string[] = [];
    service = await startStandIn({
      answer: (request) => {
        if (down) return { status: 503, body: 'down' };
        delivered.push((request.json as { id: string }).id);
        return { status: 200, body: {}, delayMs: 100 };
      },
    });
    writeOssecConf(dir.home, webhookBlock('custom-race', `${service.url}/hook`, '<retries>0</retries>'));
    dir.append([]);
    daemon = new DaemonProcess(['run', '--home', dir.home, '--grace', '1', '--redrive-base', '1']);
    await daemon.ready();
    const lines = alertLines('race', 20);
    dir.append(lines);
    const store = new DeadLetterStore(join(dir.home, 'var', 'integratord'));
    await eventually(async () => (await store.records()).length === 20, 'twenty dead letters');
    down = false;
    // The first automatic redrives fall due 0.5–1 s after each dead letter: the manual one starts now.
    const io = captureIo();
    const code = await dlq.run(['redrive', '--home', dir.home], io);
    await eventually(async () => (await store.records()).length === 0, 'the queue empty');
    assert.ok(code === 0 || code === 3, io.err());
    assert.equal([...delivered].sort(), lines.map((l) => (JSON.parse(l) as { id: string }).id).sort(), 'each alert once');
  } finally {
    await daemon?.stop();
    await service?.close();
    dir.remove();
  }
});

test.run();
