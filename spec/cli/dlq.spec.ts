// Specs for src/cli/dlq.ts (`integratord dlq list|redrive|drop`: inspect, re-send and remove dead letters).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { main } from '../../src/cli/cli.js';
import { createDlqCommand } from '../../src/cli/dlq.js';
import { lazyQueueWriter } from '../../src/delivery/open-queue-writer.js';
import { DeadLetterStore, type DeadLetterRecord } from '../../src/delivery/dead-letter.js';
import { SLACK_REPLIES, startSlackStandIn } from '../../src/stand-ins/slack.js';
import { captureIo } from '../helpers/capture-io.js';
import { quietDuring } from '../helpers/capture-log.js';
import { sampleAlert } from '../helpers/sample-alerts.js';
import { tempDir } from '../helpers/temp-dir.js';

const record = (id: string, extra: Partial<DeadLetterRecord> = {}): DeadLetterRecord => ({
  time: '2026-11-28T01:00:00.000Z',
  block: 0,
  integration: 'slack',
  alert: { ...sampleAlert(4), id },
  attempts: 4,
  status: 503,
  reason: 'HTTP 503',
  ...extra,
});

/** A Wazuh home whose ossec.conf has one slack block pointing at `hook`, and some dead letters. */
const home = async (hook: string, records: readonly DeadLetterRecord[]) => {
  const dir = await tempDir();
  await mkdir(join(dir.path, 'etc'), { recursive: true });
  await writeFile(
    join(dir.path, 'etc', 'ossec.conf'),
    `<ossec_config>\n  <integration>\n    <name>slack</name>\n    <hook_url>${hook}</hook_url>\n    <alert_format>json</alert_format>\n    <retries>0</retries>\n  </integration>\n</ossec_config>\n`,
  );
  const store = new DeadLetterStore(join(dir.path, 'var', 'integratord'));
  for (const r of records) await store.append(r);
  return { dir, store };
};

const run = async (...argv: string[]) => {
  const io = captureIo();
  const code = await createDlqCommand((paths) => lazyQueueWriter({ socketPath: paths.queueSocket })).run(argv, io);
  return { code, out: io.out(), err: io.err() };
};

const listing = suite('dlq list');
listing('prints a table of block, integration, alert id, rule id, attempts, reason and time', async () => {
  const { dir } = await home('https://hooks.slack.com/services/T/B/SECRET', [record('1.1'), record('1.2', { block: 1, integration: 'pagerduty', status: 400, reason: 'HTTP 400: invalid event', attempts: 1 })]);
  try {
    const { code, out } = await run('list', '--home', dir.path);
    assert.is(code, 0);
    const lines = out.trimEnd().split('\n');
    assert.match(lines[0] as string, /^BLOCK\s+INTEGRATION\s+ALERT ID\s+RULE ID\s+ATTEMPTS\s+REASON\s+TIME$/);
    assert.match(lines[1] as string, /^0\s+slack\s+1\.1\s+5712\s+4\s+HTTP 503\s+2026-11-28T01:00:00\.000Z$/);
    assert.match(lines[2] as string, /^1\s+pagerduty\s+1\.2\s+5712\s+1\s+HTTP 400: invalid event/);
    assert.is(lines[3], '2 dead letters');
    assert.not.ok(out.includes('SECRET'));
    const one = await run('list', '--home', dir.path, '--block', '1');
    assert.is(one.out.trimEnd().split('\n').length, 3);
  } finally {
    await dir.remove();
  }
});
listing('says so when there is nothing', async () => {
  const dir = await tempDir();
  try {
    const { code, out } = await run('list', '--home', dir.path, '--state', join(dir.path, 'elsewhere'));
    assert.is(code, 0);
    assert.is(out, `no dead letters in ${join(dir.path, 'elsewhere', 'dead-letter')}\n`);
  } finally {
    await dir.remove();
  }
});
listing.run();

const redrive = suite('dlq redrive');
quietDuring(redrive);
redrive('refuses a dead-letter directory others can write: a planted record is never sent (exit 1)', async () => {
  const server = await startSlackStandIn();
  const { dir, store } = await home(`${server.url}/services/T/B/SECRET`, [record('planted')]);
  try {
    await chmod(store.dir, 0o777);
    const io = captureIo();
    const code = await main(['dlq', 'redrive', '--home', dir.path], io);
    assert.is(code, 1);
    assert.is(io.err(), `integratord dlq: unsafe state directory: ${store.dir} is group- or world-writable (mode 0777): anyone who can write there could plant files integratord trusts (chmod go-w it)\n`);
    assert.is(server.received.length, 0, 'nothing reached the webhook');
    assert.is((await store.records()).length, 1, 'the file is left for the operator to inspect');
    await chmod(store.dir, 0o700);
    assert.is((await run('redrive', '--home', dir.path)).code, 0, 'once the directory is the daemon\'s own again, redrive works');
    assert.is(server.received.length, 1);
  } finally {
    await server.close();
    await dir.remove();
  }
});
redrive('re-sends through the block, removes the delivered, exits 0 when all are delivered', async () => {
  const server = await startSlackStandIn();
  const { dir, store } = await home(`${server.url}/services/T/B/x`, [record('1.1'), record('1.2')]);
  try {
    const { code, out } = await run('redrive', '--home', dir.path);
    assert.is(out, 'block 0 (slack): 2 redriven, 2 delivered, 0 still dead\n');
    assert.is(code, 0);
    assert.is(server.count, 2);
    assert.equal(await store.records(), []);
  } finally {
    await server.close();
    await dir.remove();
  }
});
redrive('keeps failures with the new attempt and exits 3', async () => {
  const server = await startSlackStandIn();
  const { dir, store } = await home(`${server.url}/services/T/B/x`, [record('1.1'), record('1.2')]);
  try {
    server.script(SLACK_REPLIES.noService);
    const { code, out } = await run('redrive', '--home', dir.path);
    assert.is(code, 3);
    assert.is(out, 'block 0 (slack): 2 redriven, 1 delivered, 1 still dead\n');
    const [left] = await store.records();
    assert.is(left?.attempts, 5, '4 before + 1 now');
    assert.is(left?.status, 404);
    assert.is(left?.reason, 'HTTP 404: no_service');
    assert.is.not(left?.time, '2026-11-28T01:00:00.000Z');
  } finally {
    await server.close();
    await dir.remove();
  }
});
redrive('sends nothing for a block that is no longer in ossec.conf, and exits 3', async () => {
  const { dir, store } = await home('http://127.0.0.1:9/services/x', [record('1.1', { block: 4, integration: 'pagerduty' })]);
  try {
    const { code, out } = await run('redrive', '--home', dir.path);
    assert.is(code, 3);
    assert.match(out, /block 4 \(pagerduty\): 1 redriven, 0 delivered, 1 still dead \(there is no such block in .*ossec\.conf: records kept\)/);
    assert.is((await store.records()).length, 1);
  } finally {
    await dir.remove();
  }
});
redrive('exits 1 when ossec.conf is invalid', async () => {
  const { dir } = await home('x', [record('1.1')]);
  try {
    await writeFile(join(dir.path, 'etc', 'ossec.conf'), '<ossec_config><integration><name>slack</name><max_log>5</max_log></integration></ossec_config>');
    const { code, err } = await run('redrive', '--home', dir.path);
    assert.is(code, 1);
    assert.match(err, /max_log/);
  } finally {
    await dir.remove();
  }
});
redrive.run();

const dropping = suite('dlq drop');
dropping('removes the records of one alert, or all of a block, and prints how many', async () => {
  const { dir, store } = await home('x', [record('1.1'), record('1.2'), record('1.1'), record('2.1', { block: 1, integration: 'pagerduty' })]);
  try {
    assert.equal(await run('drop', '--home', dir.path, '--alert', '1.1'), { code: 0, out: 'dropped 2 dead letters\n', err: '' });
    assert.equal(await run('drop', '--home', dir.path, '--block', '0'), { code: 0, out: 'dropped 1 dead letter\n', err: '' });
    assert.equal((await store.records()).map((r) => r.alert['id']), ['2.1']);
  } finally {
    await dir.remove();
  }
});
dropping('needs --all to drop without --block or --alert, and then drops every one', async () => {
  const { dir, store } = await home('x', [record('1.1'), record('2.1', { block: 1, integration: 'pagerduty' })]);
  try {
    const io = captureIo();
    assert.is(await main(['dlq', 'drop', '--home', dir.path], io), 2);
    assert.match(io.err(), 'integratord dlq: drop removes dead letters for good: give --block N and/or --alert ID, or --all for every one');
    assert.is((await store.records()).length, 2, 'nothing dropped');
    for (const argv of [['drop', '--all', '--block', '0'], ['drop', '--all', '--alert', '1.1'], ['list', '--all']]) assert.is(await main(['dlq', ...argv, '--home', dir.path], captureIo()), 2, argv.join(' '));
    assert.is((await store.records()).length, 2, 'still nothing dropped');
    assert.equal(await run('drop', '--home', dir.path, '--all'), { code: 0, out: 'dropped 2 dead letters\n', err: '' });
    assert.equal(await store.records(), []);
  } finally {
    await dir.remove();
  }
});
dropping.run();

const usage = suite('dlq usage');
usage('prints help with exit codes; refuses unknown actions and bad --block with exit 2', async () => {
  const helpIo = captureIo();
  assert.is(await main(['dlq', '--help'], helpIo), 0);
  assert.match(helpIo.out(), /Exit codes: 0 success/);
  const io = captureIo();
  assert.is(await main(['dlq', 'replay'], io), 2);
  assert.match(io.err(), /unknown action 'replay'/);
  assert.is(await main(['dlq', 'list', '--block', 'x'], captureIo()), 2);
  assert.is(await main(['dlq'], captureIo()), 2);
  assert.is(await main(['dlq', 'list', '--alert', '1'], captureIo()), 2);
});
usage('is registered as a command', async () => {
  const io = captureIo();
  await main(['--help'], io);
  assert.match(io.out(), /dlq\s+list, redrive or drop dead-lettered alerts/);
});
usage.run();
