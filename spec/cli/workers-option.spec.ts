// Specs for src/cli/workers-option.ts (`--workers N` of replay and run: the same results over N delivery threads).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSlackStandIn } from '../../src/stand-ins/slack.js';
import type { StandIn } from '../../src/stand-ins/stand-in-server.js';
import { startWebhookStandIn } from '../../src/stand-ins/webhook.js';
import { alertLine, receivedIds } from '../helpers/alert-line.js';
import { AlertsDir } from '../helpers/alerts-dir.js';
import { webhookBlock, writeOssecConf } from '../helpers/ossec-conf.js';
import { runCli, spawnCli } from '../helpers/spawned-cli.js';
import { refuseWorkersWithSharedState } from '../../src/cli/workers-option.js';

/** 150 alerts of levels 3, 7, 12 in turn and one broken line: custom-a (level 10) takes a third, slack all. */
const LINES = [...Array.from({ length: 150 }, (_, i) => alertLine(`W${i}`, { level: [3, 7, 12][i % 3] as number })), '{"broken"'];

const tallies = (stderr: string) => stderr.split('\n').filter((l) => /^#\d /.test(l));

const replay = suite('replay --workers');

replay('--workers 2 prints the same summary as --workers 1, and each service gets the same alerts once', async () => {
  const dir = new AlertsDir('workers-replay');
  const webhook = await startWebhookStandIn();
  const slack = await startSlackStandIn();
  try {
    writeOssecConf(dir.home, webhookBlock('custom-a', `${webhook.url}/a`, '<level>10</level>'), webhookBlock('slack', `${slack.url}/services/T0001/B0001/workersTOKEN`));
    const file = join(dir.home, 'alerts-copy.json');
    writeFileSync(file, `${LINES.join('\n')}\n`);
    const one = await runCli(['replay', '--home', dir.home, file, '--no-progress', '--concurrency', '8']);
    assert.is(one.code, 0, one.stderr);
    const oneA = receivedIds(webhook.received.splice(0)).sort();
    const oneSlack = slack.received.splice(0).length;
    const two = await runCli(['replay', '--home', dir.home, file, '--no-progress', '--concurrency', '8', '--workers', '2']);
    assert.is(two.code, 0, two.stderr);
    assert.equal(tallies(two.stderr), tallies(one.stderr));
    assert.equal(tallies(one.stderr), ['#0 custom-a: 50 delivered, 100 skipped, 0 dead-lettered, 1 rejected lines', '#1 slack: 150 delivered, 0 skipped, 0 dead-lettered, 1 rejected lines']);
    assert.equal(receivedIds(webhook.received).sort(), oneA);
    assert.is(new Set(receivedIds(webhook.received)).size, 50);
    assert.is(slack.received.length, oneSlack);
    assert.not.ok(two.stderr.includes('workersTOKEN'), 'the hook URL token stays out of the log');
  } finally {
    await Promise.all([webhook.close(), slack.close()]);
    dir.remove();
  }
});

replay('--workers must be a whole number from 1 to 64', async () => {
  for (const [value, message] of [
    ['0', "--workers expects a positive integer, got '0'"],
    ['1.5', "--workers expects a positive integer, got '1.5'"],
    ['65', "--workers expects at most 64, got '65'"],
  ] as const) {
    const r = await runCli(['replay', '--home', '/nonexistent', 'x.json', '--workers', value]);
    assert.is(r.code, 2, r.stderr);
    assert.match(r.stderr, message);
  }
});

replay.run();

const daemon = suite('run --workers');

daemon('run --workers 2 delivers what is appended, serves the workers\' counts on /metrics, and stops on SIGTERM with the cursor at the end', async () => {
  const dir = new AlertsDir('workers-run');
  const webhook: StandIn = await startWebhookStandIn({ delayMs: 5 });
  writeOssecConf(dir.home, webhookBlock('custom-a', `${webhook.url}/a`));
  dir.append([]);
  const cli = spawnCli(['run', '--home', dir.home, '--workers', '2', '--http', '127.0.0.1:0', '--from-beginning']);
  try {
    await cli.waitForLog('Following ');
    const url = /Metrics on (http:\/\/127\.0\.0\.1:\d+)\/metrics/.exec(cli.stderr())?.[1];
    assert.ok(url, cli.stderr());
    dir.append(LINES.slice(0, 120));
    await webhook.waitFor(120);
    // Workers send their counts every second.
    let text = '';
    for (let i = 0; i < 50 && !/integratord_alerts_delivered_total\{block="0",integration="custom-a"\} 120\n/.test(text); i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      text = await (await fetch(`${url}/metrics`)).text();
    }
    assert.match(text, /integratord_alerts_delivered_total\{block="0",integration="custom-a"\} 120\n/);
    cli.kill('SIGTERM');
    const exit = await cli.exited();
    assert.is(exit.code, 0, cli.stderr());
    const cursors = join(dir.home, 'var', 'integratord', 'cursors');
    const [cursorFile] = readdirSync(cursors).filter((f) => f.endsWith('.json'));
    const cursor = JSON.parse(readFileSync(join(cursors, cursorFile!), 'utf8')) as { offset: number };
    assert.is(cursor.offset, statSync(dir.alerts).size);
    assert.is(new Set(receivedIds(webhook.received)).size, 120);
    assert.not.ok(cli.stderr().includes('DeliveryWorkerCrashed'));
  } finally {
    await cli.dispose();
    await webhook.close();
    dir.remove();
  }
});

daemon.run();

const withCluster = suite('--workers with a shared state');
withCluster('refused above one thread (the shared state closed first), allowed at one thread or without a shared state', async () => {
  let closed = 0;
  const shared = { close: async () => void closed++ };
  await refuseWorkersWithSharedState(1, shared);
  await refuseWorkersWithSharedState(4, undefined);
  assert.is(closed, 0);
  try {
    await refuseWorkersWithSharedState(2, shared);
    assert.unreachable('refused');
  } catch (error) {
    assert.match(String(error), /--workers above 1 cannot be combined with --shared-state/);
  }
  assert.is(closed, 1);
});
withCluster.run();
