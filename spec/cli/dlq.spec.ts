// Specs for src/cli/dlq.ts (`integratord dlq list|redrive|drop`: inspect, re-send and remove dead letters).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { main } from '../../src/cli/cli.js';
import { createDlqCommand } from '../../src/cli/dlq.js';
import { lazyQueueWriter } from '../../src/delivery/open-queue-writer.js';
import { DeadLetterStore, type DeadLetterRecord } from '../../src/delivery/dead-letter.js';
import { SLACK_REPLIES, startSlackStandIn } from '../../src/stand-ins/slack.js';
import { blockIdOf } from '../helpers/block-config.js';
import { captureIo } from '../helpers/capture-io.js';
import { captureLog, quietDuring } from '../helpers/capture-log.js';
import { ossecConf } from '../helpers/ossec-conf.js';
import { sampleAlert } from '../helpers/sample-alerts.js';
import { tempDir } from '../helpers/temp-dir.js';

const PD_ID = 'pagerduty-e3b0c442';

/** A record of the slack block of `home` (its id computed as the daemon does). */
const record = (hook: string, id: string, extra: Partial<DeadLetterRecord> = {}): DeadLetterRecord => ({
  time: '2026-11-28T01:00:00.000Z',
  block_id: blockIdOf('slack', hook),
  block: 0,
  integration: 'slack',
  alert: { ...sampleAlert(4), id },
  attempts: 4,
  status: 503,
  reason: 'HTTP 503',
  ...extra,
});
/** A record of a pagerduty block that ossec.conf does not have (any more): an orphan. */
const orphan = (): Partial<DeadLetterRecord> => ({ block_id: PD_ID, block: 1, integration: 'pagerduty', status: 400, reason: 'HTTP 400: invalid event', attempts: 1 });

/** A Wazuh home whose ossec.conf has one slack block pointing at `hook` (and `before` blocks ahead of it), and some dead letters. */
const home = async (hook: string, records: readonly DeadLetterRecord[], before: readonly string[] = []) => {
  const dir = await tempDir();
  await mkdir(join(dir.path, 'etc'), { recursive: true });
  const blocks = [...before, `<name>slack</name>\n<hook_url>${hook}</hook_url>\n<alert_format>json</alert_format>\n<retries>0</retries>`];
  await writeFile(join(dir.path, 'etc', 'ossec.conf'), ossecConf(...blocks));
  const store = new DeadLetterStore(join(dir.path, 'var', 'integratord'));
  for (const r of records) await store.append(r);
  return { dir, store };
};

const run = async (...argv: string[]) => {
  const io = captureIo();
  const code = await createDlqCommand((paths) => lazyQueueWriter({ socketPath: paths.queueSocket })).run(argv, io);
  return { code, out: io.out(), err: io.err() };
};

const HOOK = 'https://hooks.slack.com/services/T/B/SECRET';
const SLACK_ID = blockIdOf('slack', HOOK);

const listing = suite('dlq list');
listing('prints a table of block, block id, integration, alert id, rule id, attempts, cause, next redrive, time and reason; orphans are named', async () => {
  const { dir } = await home(HOOK, [record(HOOK, '1.1'), record(HOOK, '1.2', orphan())]);
  try {
    const { code, out } = await run('list', '--home', dir.path);
    assert.is(code, 0);
    const lines = out.trimEnd().split('\n');
    assert.match(lines[0] as string, /^BLOCK\s+BLOCK ID\s+INTEGRATION\s+ALERT ID\s+RULE ID\s+ATTEMPTS\s+CAUSE\s+NEXT REDRIVE\s+TIME\s+REASON$/);
    assert.match(lines[1] as string, new RegExp(`^orphaned\\s+${PD_ID}\\s+pagerduty\\s+1\\.2\\s+5712\\s+1\\s+http_4xx\\s+manual\\s+2026-11-28T01:00:00\\.000Z\\s+HTTP 400: invalid event$`));
    assert.match(lines[2] as string, new RegExp(`^0\\s+${SLACK_ID}\\s+slack\\s+1\\.1\\s+5712\\s+4\\s+http_5xx\\s+manual \\(too old\\)\\s+2026-11-28T01:00:00\\.000Z\\s+HTTP 503$`));
    assert.is(lines[3], '2 dead letters');
    assert.is(lines[4], `orphaned: 1 dead letter of '${PD_ID}', which no configured file has a block for (removed, or its name or hook_url changed); 'integratord dlq drop --block ${PD_ID}' removes them`);
    assert.not.ok(out.includes('SECRET'));
  } finally {
    await dir.remove();
  }
});
listing('--block takes the block id or its 0-based position in ossec.conf', async () => {
  const { dir } = await home(HOOK, [record(HOOK, '1.1'), record(HOOK, '1.2', orphan())], ['<name>custom-first</name>\n<hook_url>http://127.0.0.1:9/x</hook_url>']);
  try {
    const rows = async (block: string) => {
      const lines = (await run('list', '--home', dir.path, '--block', block)).out.trimEnd().split('\n');
      return lines.slice(1, lines.findIndex((l) => /^\d+ dead letters?$/.test(l)));
    };
    assert.equal((await rows('1')).map((l) => l.split(/\s+/).slice(0, 4)), [['1', SLACK_ID, 'slack', '1.1']], 'slack is block 1 now: its dead letters follow it');
    assert.equal(await rows(SLACK_ID), await rows('1'));
    assert.equal((await rows(PD_ID)).map((l) => l.split(/\s+/)[3]), ['1.2'], 'an orphan by its id');
    assert.match((await run('list', '--home', dir.path, '--block', '0')).out, 'no dead letters');
    const io = captureIo();
    assert.is(await main(['dlq', 'list', '--home', dir.path, '--block', '2'], io), 2, 'no block 2: a usage error');
    assert.match(io.err(), `integratord dlq: --block 2: ${join(dir.path, 'etc', 'ossec.conf')} has 2 block(s) (0 to 1)`);
  } finally {
    await dir.remove();
  }
});
listing('migrates a <index>-<name> file of an older version to the block id, once, and says so', async () => {
  const { dir, store } = await home(HOOK, []);
  const log = captureLog(0);
  try {
    await mkdir(store.dir, { recursive: true });
    const legacy = join(store.dir, '0-slack.jsonl');
    const { block_id: _, ...old } = record(HOOK, 'old');
    await writeFile(legacy, `${JSON.stringify(old)}\n`);
    const { out } = await run('list', '--home', dir.path);
    assert.match(out, new RegExp(`^0\\s+${SLACK_ID}\\s+slack\\s+old\\s`, 'm'));
    assert.not.ok(existsSync(legacy));
    assert.ok(existsSync(store.fileFor(SLACK_ID)));
    assert.match(log.text(), `INFO: Migrated the dead letters of 'slack' (block 0) from ${legacy} to ${store.fileFor(SLACK_ID)}.`);
  } finally {
    log.restore();
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
listing('still lists when ossec.conf is broken, without telling blocks apart, and says why on stderr', async () => {
  const { dir } = await home(HOOK, [record(HOOK, '1.1')]);
  try {
    await writeFile(join(dir.path, 'etc', 'ossec.conf'), '<ossec_config><integration><name>slack</name><max_log>5</max_log></integration></ossec_config>');
    const { code, out, err } = await run('list', '--home', dir.path);
    assert.is(code, 0);
    assert.match(out, new RegExp(`^\\?\\s+${SLACK_ID}\\s+slack\\s+1\\.1`, 'm'));
    assert.match(err, 'cannot tell which block each file belongs to');
  } finally {
    await dir.remove();
  }
});
listing.run();

const redrive = suite('dlq redrive');
quietDuring(redrive);
redrive('refuses a dead-letter directory others can write: a planted record is never sent (exit 1)', async () => {
  const server = await startSlackStandIn();
  const { dir, store } = await home(`${server.url}/services/T/B/SECRET`, [record(`${server.url}/services/T/B/SECRET`, 'planted')]);
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
  const hook = `${server.url}/services/T/B/x`;
  const { dir, store } = await home(hook, [record(hook, '1.1'), record(hook, '1.2')]);
  try {
    const { code, out } = await run('redrive', '--home', dir.path);
    assert.is(out, `block 0 (slack, ${blockIdOf('slack', hook)}): 2 redriven, 2 delivered, 0 still dead\n`);
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
  const hook = `${server.url}/services/T/B/x`;
  const { dir, store } = await home(hook, [record(hook, '1.1'), record(hook, '1.2')]);
  try {
    server.script(SLACK_REPLIES.noService);
    const { code, out } = await run('redrive', '--home', dir.path);
    assert.is(code, 3);
    assert.is(out, `block 0 (slack, ${blockIdOf('slack', hook)}): 2 redriven, 1 delivered, 1 still dead\n`);
    const [left] = await store.records();
    assert.is(left?.attempts, 5, '4 before + 1 now');
    assert.is(left?.status, 404);
    assert.is(left?.reason, 'HTTP 404: no_service');
    assert.is(left?.block_id, blockIdOf('slack', hook));
    assert.is.not(left?.time, '2026-11-28T01:00:00.000Z');
  } finally {
    await server.close();
    await dir.remove();
  }
});
redrive('--block by id or position: only that block is redriven, wherever it moved', async () => {
  const server = await startSlackStandIn();
  const hook = `${server.url}/services/T/B/x`;
  const { dir, store } = await home(hook, [record(hook, '1.1'), record(hook, '1.2', orphan())], ['<name>custom-first</name>\n<hook_url>http://127.0.0.1:9/x</hook_url>']);
  try {
    const byIndex = await run('redrive', '--home', dir.path, '--block', '1');
    assert.is(byIndex.out, `block 1 (slack, ${blockIdOf('slack', hook)}): 1 redriven, 1 delivered, 0 still dead\n`);
    assert.is(byIndex.code, 0);
    assert.equal((await store.records()).map((r) => r.alert['id']), ['1.2'], 'the orphan was not touched');
    await store.append(record(hook, '1.3'));
    const byId = await run('redrive', '--home', dir.path, '--block', blockIdOf('slack', hook));
    assert.is(byId.code, 0);
    assert.is(server.count, 2);
  } finally {
    await server.close();
    await dir.remove();
  }
});
redrive('refuses orphaned dead letters (no block has their id) with a clear message, and exits 3', async () => {
  const { dir, store } = await home('http://127.0.0.1:9/services/x', [record(HOOK, '1.1', orphan())]);
  try {
    const { code, out } = await run('redrive', '--home', dir.path);
    assert.is(code, 3);
    assert.is(
      out,
      `orphaned ${PD_ID}: 1 redriven, 0 delivered, 1 still dead (orphaned: no block of ${join(dir.path, 'etc', 'ossec.conf')} has the id '${PD_ID}' (removed, or its name or hook_url changed); records kept, not sent — 'integratord dlq drop --block ${PD_ID}' removes them)\n`,
    );
    assert.is((await store.records()).length, 1);
  } finally {
    await dir.remove();
  }
});
redrive('exits 1 when ossec.conf is invalid', async () => {
  const { dir } = await home('x', [record('x', '1.1')]);
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
dropping('removes the records of one alert, or all of a block (by position or id), and prints how many', async () => {
  const { dir, store } = await home('x', [record('x', '1.1'), record('x', '1.2'), record('x', '1.1'), record('x', '2.1', orphan()), record('x', '3.1', orphan())]);
  try {
    assert.equal(await run('drop', '--home', dir.path, '--alert', '1.1'), { code: 0, out: 'dropped 2 dead letters\n', err: '' });
    assert.equal(await run('drop', '--home', dir.path, '--block', '0', '--force'), { code: 0, out: 'dropped 1 dead letter\n', err: '' });
    assert.equal((await store.records()).map((r) => r.alert['id']), ['2.1', '3.1']);
    assert.equal(await run('drop', '--home', dir.path, '--block', PD_ID, '--alert', '3.1'), { code: 0, out: 'dropped 1 dead letter\n', err: '' });
    assert.equal((await store.records()).map((r) => r.alert['id']), ['2.1']);
  } finally {
    await dir.remove();
  }
});
dropping('needs --all to drop without --block or --alert, and then drops every one', async () => {
  const { dir, store } = await home('x', [record('x', '1.1'), record('x', '2.1', orphan())]);
  try {
    const io = captureIo();
    assert.is(await main(['dlq', 'drop', '--home', dir.path], io), 2);
    assert.match(io.err(), 'integratord dlq: drop removes dead letters for good: give --block ID|N and/or --alert ID, or --all for every one');
    assert.is((await store.records()).length, 2, 'nothing dropped');
    for (const argv of [['drop', '--all', '--block', '0'], ['drop', '--all', '--alert', '1.1'], ['list', '--all']]) assert.is(await main(['dlq', ...argv, '--home', dir.path], captureIo()), 2, argv.join(' '));
    assert.is((await store.records()).length, 2, 'still nothing dropped');
    assert.equal(await run('drop', '--home', dir.path, '--all', '--force'), { code: 0, out: 'dropped 2 dead letters\n', err: '' });
    assert.equal(await store.records(), []);
  } finally {
    await dir.remove();
  }
});
dropping('refuses to drop a block that is still configured (its dead letters can be redriven) unless --force; an orphan drops without it', async () => {
  const { dir, store } = await home('x', [record('x', '1.1'), record('x', '2.1', orphan())]);
  try {
    for (const argv of [['--block', '0'], ['--block', blockIdOf('slack', 'x')], ['--all']]) {
      const io = captureIo();
      assert.is(await main(['dlq', 'drop', '--home', dir.path, ...argv], io), 1, argv.join(' '));
      assert.match(io.err(), `${blockIdOf('slack', 'x')} (block 0, slack) is in the configuration: its dead letters can be redriven ('integratord dlq redrive --block ${blockIdOf('slack', 'x')}'); nothing dropped; add --force to drop them anyway`);
    }
    assert.is((await store.records()).length, 2, 'nothing dropped');
    assert.equal(await run('drop', '--home', dir.path, '--block', PD_ID), { code: 0, out: 'dropped 1 dead letter\n', err: '' });
    assert.equal((await store.records()).map((r) => r.alert['id']), ['1.1']);
    assert.is(await main(['dlq', 'list', '--force', '--home', dir.path], captureIo()), 2, '--force is for drop only');
  } finally {
    await dir.remove();
  }
});
dropping('refuses a whole-block drop when the configuration cannot be read, unless --force', async () => {
  const { dir, store } = await home('x', [record('x', '1.1')]);
  try {
    await writeFile(join(dir.path, 'etc', 'ossec.conf'), '<ossec_config><integration><nme>slack</nme></integration></ossec_config>\n');
    const io = captureIo();
    assert.is(await main(['dlq', 'drop', '--home', dir.path, '--all'], io), 1);
    assert.match(io.err(), 'cannot tell which dead letters belong to a configured block');
    assert.is((await store.records()).length, 1);
    assert.equal(await run('drop', '--home', dir.path, '--all', '--force'), { code: 0, out: 'dropped 1 dead letter\n', err: '' });
  } finally {
    await dir.remove();
  }
});
dropping.run();

const layout = suite("dlq with only --home in the README's layout (the blocks in integratord.conf, none in ossec.conf)");
layout('list names the block, drop refuses it, redrive delivers through it: no -c needed', async () => {
  const slack = await startSlackStandIn();
  const hook = `${slack.url}/services/T/B/LAYOUT`;
  const { dir, store } = await home(hook, [record(hook, '7.1'), record(hook, '7.2')]);
  try {
    // The README's layout: ossec.conf keeps Wazuh's settings and no <integration>; the block is in integratord.conf.
    await writeFile(join(dir.path, 'etc', 'integratord.conf'), ossecConf(`<name>slack</name>\n<hook_url>${hook}</hook_url>\n<alert_format>json</alert_format>\n<retries>0</retries>`));
    await writeFile(join(dir.path, 'etc', 'ossec.conf'), '<ossec_config><global><jsonout_output>yes</jsonout_output></global></ossec_config>\n');
    const id = blockIdOf('slack', hook);
    const listed = await run('list', '--home', dir.path);
    assert.is(listed.code, 0);
    assert.match(listed.out, new RegExp(`^0\\s+${id}\\s+slack\\s+7\\.1`, 'm'));
    assert.not.match(listed.out, 'orphaned');
    const io = captureIo();
    assert.is(await main(['dlq', 'drop', '--home', dir.path, '--block', id], io), 1);
    assert.match(io.err(), 'its dead letters can be redriven');
    const redriven = await run('redrive', '--home', dir.path);
    assert.is(redriven.code, 0, redriven.out + redriven.err);
    assert.match(redriven.out, `block 0 (slack, ${id}): 2 redriven, 2 delivered, 0 still dead`);
    assert.is(slack.received.length, 2);
    assert.equal(await store.records(), []);
  } finally {
    await slack.close();
    await dir.remove();
  }
});
layout.run();

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
