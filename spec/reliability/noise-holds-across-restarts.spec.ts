// The real daemon with <max_per_hour>5: a stop (SIGTERM) and a crash (kill -9) neither send held alerts early nor renew the hour's budget.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startWebhookStandIn } from '../../src/stand-ins/webhook.js';
import { alertLine, receivedIds } from '../helpers/alert-line.js';
import { AlertsDir } from '../helpers/alerts-dir.js';
import { blockIdOf } from '../helpers/block-config.js';
import { DaemonProcess } from '../helpers/daemon-process.js';
import { eventually } from '../helpers/eventually.js';
import { webhookBlock, writeOssecConf } from '../helpers/ossec-conf.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const cap = suite('noise control: max_per_hour holds across SIGTERM and kill -9');
cap('a cap of 5 sends 5 messages in the hour across a stop and a crash; the held alerts stay behind the cursor, journaled', async () => {
  const dir = new AlertsDir('noise-restarts');
  const service = await startWebhookStandIn();
  writeFileSync(dir.alerts, '');
  writeOssecConf(dir.home, webhookBlock('custom-a', `${service.url}/a`, '<max_per_hour>5</max_per_hour>'));
  const key = blockIdOf('custom-a', `${service.url}/a`);
  const cursorFile = join(dir.home, 'var', 'integratord', 'cursors', `${key}.json`);
  const offset = () => (existsSync(cursorFile) ? (JSON.parse(readFileSync(cursorFile, 'utf8')) as { offset: number }).offset : -1);
  const lines = Array.from({ length: 14 }, (_, i) => alertLine(`C${i + 1}`));
  const afterFifth = lines.slice(0, 5).reduce((n, l) => n + Buffer.byteLength(`${l}\n`), 0);
  const daemons: DaemonProcess[] = [];
  const start = async () => {
    const daemon = new DaemonProcess(['run', '--home', dir.home, '--grace', '1']);
    daemons.push(daemon);
    await daemon.ready();
    return daemon;
  };
  try {
    const first = await start();
    dir.append(lines.slice(0, 8));
    await eventually(() => service.received.length >= 5, 'the first 5 alerts sent');
    await sleep(1500);
    const stopped = await first.stop('SIGTERM');
    assert.is(stopped.code, 0);
    assert.equal(receivedIds(service.received), ['C1', 'C2', 'C3', 'C4', 'C5'], 'SIGTERM sent no digest of the 3 held alerts');
    assert.not.match(first.stdout + first.stderr, /DigestSent/);
    assert.is(offset(), afterFifth, 'the cursor stays before the held alerts');
    const journal = readFileSync(join(dir.home, 'var', 'integratord', 'noise', `${key}.journal`), 'utf8');
    assert.match(journal, /"hour":\{"start":\d+,"sent":5\}/, "the hour's budget is journaled");

    const second = await start();
    dir.append(lines.slice(8, 11));
    await sleep(2500);
    assert.is(service.received.length, 5, 'after the stop: the spent budget holds (3 read again + 3 new, all held)');
    await second.stop('SIGKILL');

    const third = await start();
    dir.append(lines.slice(11));
    await sleep(2500);
    assert.is(service.received.length, 5, 'after kill -9 too');
    assert.is(offset(), afterFifth, 'every held alert is still unsettled: read again, never lost');
    assert.is((await third.stop('SIGTERM')).code, 0);
    assert.is(service.received.length, 5);
  } finally {
    await Promise.all(daemons.map((d) => d.stop('SIGKILL')));
    await service.close();
    dir.remove();
  }
});
cap.run();
