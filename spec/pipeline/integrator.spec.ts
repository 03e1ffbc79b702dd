// Specs for src/pipeline/integrator.ts (The integrator: every enabled block running on its own source, started, stopped and reloaded together).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfigText } from '../../src/config/load.js';
import { Integrator } from '../../src/pipeline/integrator.js';
import type { BlockOutcome } from '../../src/pipeline/outcome.js';
import { startWebhookStandIn } from '../../src/stand-ins/webhook.js';
import type { StandIn } from '../../src/stand-ins/stand-in-server.js';
import { wazuhPaths } from '../../src/wazuh-home.js';
import { AlertsDir, alertLines } from '../helpers/alerts-dir.js';
import { blockIdOf } from '../helpers/block-config.js';
import { captureLog } from '../helpers/capture-log.js';
import { eventually } from '../helpers/eventually.js';

/** custom-* blocks with only a hook_url are generic webhooks: the simplest real delivery. */
const config = (...blocks: string[]) =>
  loadConfigText(`<ossec_config>${blocks.map((b) => `<integration>${b}</integration>`).join('')}</ossec_config>`).integrations;
const webhook = (name: string, url: string, extra = '') => `<name>${name}</name><hook_url>${url}/${name}</hook_url><alert_format>json</alert_format>${extra}`;

/** Waits (with the spec deadline) until the service has `n` requests. */
const received = (service: StandIn, n: number) => eventually(() => service.received.length >= n, `${n} requests`);

const receivedIds = (service: StandIn, path?: string) =>
  service.received.filter((r) => path === undefined || r.url === `/${path}`).map((r) => (r.json as { id: string }).id);

interface Setup {
  dir: AlertsDir;
  service: StandIn;
  log: ReturnType<typeof captureLog>;
  done(): Promise<void>;
}
const setup = async (label: string): Promise<Setup> => {
  const dir = new AlertsDir(label);
  const service = await startWebhookStandIn();
  const log = captureLog(2);
  return {
    dir,
    service,
    log,
    done: async () => {
      log.restore();
      await service.close();
      dir.remove();
    },
  };
};

const follow = suite('Integrator: following alerts.json');

follow('starts at the end like Wazuh, delivers what is appended, saves the cursor on stop', async () => {
  const s = await setup('int-follow');
  try {
    s.dir.append(alertLines('old', 3));
    const integrator = new Integrator({ paths: wazuhPaths(s.dir.home), input: { kind: 'follow', alertsFile: s.dir.alerts, pollMs: 50 } });
    const report = await integrator.start(config(webhook('custom-a', s.service.url)));
    assert.equal(report.enabled.map((c) => c.name), ['custom-a']);
    s.dir.append(alertLines('new', 5));
    await received(s.service, 5);
    await integrator.stop(1000);
    assert.equal(receivedIds(s.service).sort(), alertLines('new', 5).map((l) => JSON.parse(l).id));
    const cursor = JSON.parse(readFileSync(join(s.dir.home, 'var', 'integratord', 'cursors', `${blockIdOf('custom-a', `${s.service.url}/custom-a`)}.json`), 'utf8'));
    assert.is(cursor.offset, statSync(s.dir.alerts).size);
    assert.ok(s.log.text().includes("Enabling integration for: 'custom-a'."));
  } finally {
    await s.done();
  }
});

follow('resumes from its cursor: alerts written while it was down are delivered, none twice', async () => {
  const s = await setup('int-resume');
  try {
    const paths = wazuhPaths(s.dir.home);
    const blocks = config(webhook('custom-a', s.service.url));
    s.dir.startDay(1);
    const first = new Integrator({ paths, input: { kind: 'follow', alertsFile: s.dir.alerts, pollMs: 50 } });
    await first.start(blocks);
    s.dir.append(alertLines('a', 4));
    await received(s.service, 4);
    await first.stop(1000);
    s.dir.append(alertLines('b', 6));
    s.dir.startDay(2);
    s.dir.append(alertLines('c', 3));
    const second = new Integrator({ paths, input: { kind: 'follow', alertsFile: s.dir.alerts, pollMs: 50 } });
    await second.start(blocks);
    await received(s.service, 13);
    await second.stop(1000);
    const expected = [...alertLines('a', 4), ...alertLines('b', 6), ...alertLines('c', 3)].map((l) => JSON.parse(l).id);
    // Concurrency 4: order within a block is not kept; content is, exactly once each.
    assert.equal(receivedIds(s.service).sort(), expected.sort());
  } finally {
    await s.done();
  }
});

follow('saves the start position at once: alerts written after an idle run, while it was down, are delivered', async () => {
  const s = await setup('int-idle-restart');
  try {
    const paths = wazuhPaths(s.dir.home);
    const blocks = config(webhook('custom-a', s.service.url));
    s.dir.append(alertLines('before', 2));
    const idle = new Integrator({ paths, input: { kind: 'follow', alertsFile: s.dir.alerts, pollMs: 50 } });
    await idle.start(blocks);
    const cursorFile = join(s.dir.home, 'var', 'integratord', 'cursors', `${blocks[0]!.id}.json`);
    const cursor = existsSync(cursorFile) ? JSON.parse(readFileSync(cursorFile, 'utf8')) : undefined;
    await idle.stop(1000);
    assert.is(cursor?.offset, statSync(s.dir.alerts).size, 'the tail position is durable before anything is read');
    s.dir.append(alertLines('down', 3));
    const second = new Integrator({ paths, input: { kind: 'follow', alertsFile: s.dir.alerts, pollMs: 50 } });
    await second.start(blocks);
    await received(s.service, 3);
    await second.stop(1000);
    assert.equal(receivedIds(s.service).sort(), alertLines('down', 3).map((l) => JSON.parse(l).id));
  } finally {
    await s.done();
  }
});

follow('with withoutCursor "beginning" reads what is already in the file', async () => {
  const s = await setup('int-beginning');
  try {
    s.dir.append(alertLines('old', 3));
    const integrator = new Integrator({ paths: wazuhPaths(s.dir.home), input: { kind: 'follow', alertsFile: s.dir.alerts, pollMs: 50, withoutCursor: 'beginning' } });
    await integrator.start(config(webhook('custom-a', s.service.url)));
    await received(s.service, 3);
    await integrator.stop(1000);
    assert.is(s.service.received.length, 3);
  } finally {
    await s.done();
  }
});

follow('counts an invalid line, keeps it in rejected-lines.jsonl and goes on', async () => {
  const s = await setup('int-invalid');
  try {
    const integrator = new Integrator({ paths: wazuhPaths(s.dir.home), input: { kind: 'follow', alertsFile: s.dir.alerts, pollMs: 50 } });
    const outcomes: BlockOutcome[] = [];
    integrator.outcomes$.subscribe((o) => outcomes.push(o));
    await integrator.start(config(webhook('custom-a', s.service.url)));
    s.dir.append(['{"rule": {"level": 3', ...alertLines('ok', 1)]);
    await received(s.service, 1);
    await eventually(() => outcomes.length === 2, 'both outcomes');
    await integrator.stop(1000);
    assert.equal(outcomes.map((o) => o.kind).sort(), ['delivered', 'rejected']);
    const rejected = readFileSync(join(s.dir.home, 'var', 'integratord', 'rejected-lines.jsonl'), 'utf8');
    assert.is(JSON.parse(rejected).line, '{"rule": {"level": 3');
    assert.match(await integrator.metrics.registry.metrics(), 'integratord_lines_rejected_total{block="0",integration="custom-a",reason="invalid-json"} 1');
  } finally {
    await s.done();
  }
});

follow('a block whose service hangs does not hold back another block', async () => {
  const s = await setup('int-independent');
  const hanging = await startWebhookStandIn();
  try {
    for (let i = 0; i < 50; i++) hanging.script('hang');
    const integrator = new Integrator({
      paths: wazuhPaths(s.dir.home),
      input: { kind: 'follow', alertsFile: s.dir.alerts, pollMs: 50 },
      pipeline: { deadlines: { httpMs: 60_000 } },
    });
    await integrator.start(config(webhook('custom-slow', hanging.url), webhook('custom-fast', s.service.url)));
    s.dir.append(alertLines('x', 200));
    await received(s.service, 200);
    assert.is(receivedIds(s.service, 'custom-fast').length, 200);
    assert.ok(hanging.received.length <= 4 * 1, 'the slow block has only its concurrency in flight');
    await integrator.stop(200);
  } finally {
    await hanging.close();
    await s.done();
  }
});
follow.run();

const replay = suite('Integrator: replay');
replay('reads the given files once, settles every alert, writes no cursor', async () => {
  const s = await setup('int-replay');
  try {
    const file = join(s.dir.home, 'old-alerts.json');
    writeFileSync(file, `${alertLines('r', 25).join('\n')}\n`);
    const integrator = new Integrator({ paths: wazuhPaths(s.dir.home), input: { kind: 'replay', files: [file] } });
    const outcomes: BlockOutcome[] = [];
    integrator.outcomes$.subscribe((o) => outcomes.push(o));
    await integrator.start(config(webhook('custom-a', s.service.url), webhook('custom-b', s.service.url, '<rule_id>1</rule_id>')));
    await integrator.done();
    await integrator.stop();
    assert.is(outcomes.filter((o) => o.block === 0 && o.kind === 'delivered').length, 25);
    assert.is(outcomes.filter((o) => o.block === 1 && o.kind === 'skipped').length, 25);
    assert.is(s.service.received.length, 25);
    assert.not.ok(existsSync(join(s.dir.home, 'var', 'integratord', 'cursors')));
    assert.equal(integrator.progress()?.lines, undefined, 'blocks are gone after stop');
  } finally {
    await s.done();
  }
});
replay('a line nested too deep to write back is rejected; the block goes on (it used to stop for good)', async () => {
  const s = await setup('int-deep');
  try {
    const file = join(s.dir.home, 'deep-alerts.json');
    const deep = `{"id":"deep","rule":{"level":3},"data":${'['.repeat(20_000)}${']'.repeat(20_000)}}`;
    writeFileSync(file, `${[deep, ...alertLines('after', 3)].join('\n')}\n`);
    const integrator = new Integrator({ paths: wazuhPaths(s.dir.home), input: { kind: 'replay', files: [file] } });
    const outcomes: BlockOutcome[] = [];
    integrator.outcomes$.subscribe((o) => outcomes.push(o));
    await integrator.start(config(webhook('custom-a', s.service.url)));
    await integrator.done();
    await integrator.stop();
    assert.equal(outcomes.map((o) => o.kind).sort(), ['delivered', 'delivered', 'delivered', 'rejected']);
    assert.not.ok(s.log.text().includes('BlockStopped'));
  } finally {
    await s.done();
  }
});
replay('with dryRun prints one JSON line per action and sends nothing', async () => {
  const s = await setup('int-dry');
  try {
    const file = join(s.dir.home, 'old-alerts.json');
    writeFileSync(file, `${alertLines('d', 3).join('\n')}\n`);
    const lines: string[] = [];
    const integrator = new Integrator({ paths: wazuhPaths(s.dir.home), input: { kind: 'replay', files: [file] }, dryRun: { write: (l) => lines.push(l) } });
    await integrator.start(config(webhook('custom-a', s.service.url)));
    await integrator.done();
    await integrator.stop();
    assert.is(s.service.received.length, 0);
    assert.is(lines.length, 3);
    const first = JSON.parse(lines[0] ?? '{}');
    assert.is(first.block, 0);
    assert.is(first.integration, 'custom-a');
    assert.is(first.request.method, 'POST');
    assert.is(first.request.url, '**REDACTED**');
    assert.is(first.request.body.id, 'd-000000');
  } finally {
    await s.done();
  }
});
replay.run();

const reload = suite('Integrator: reload');
reload('keeps unchanged blocks, restarts changed ones from their cursor, starts new ones at the end', async () => {
  const s = await setup('int-reload');
  try {
    const integrator = new Integrator({ paths: wazuhPaths(s.dir.home), input: { kind: 'follow', alertsFile: s.dir.alerts, pollMs: 50 } });
    await integrator.start(config(webhook('custom-a', s.service.url), webhook('custom-b', s.service.url)));
    s.dir.append(alertLines('one', 2));
    await received(s.service, 4);
    const result = await integrator.reload(config(webhook('custom-a', s.service.url), webhook('custom-b', s.service.url, '<level>1</level>'), webhook('custom-c', s.service.url)), 1000);
    assert.is(result.kept, 1);
    assert.is(result.stopped, 1);
    assert.equal(result.started.enabled.map((c) => c.name), ['custom-b', 'custom-c']);
    s.dir.append(alertLines('two', 2));
    await received(s.service, 10);
    await integrator.stop(1000);
    assert.equal(receivedIds(s.service, 'custom-a').sort(), ['one-000000', 'one-000001', 'two-000000', 'two-000001']);
    assert.equal(receivedIds(s.service, 'custom-b').sort(), ['one-000000', 'one-000001', 'two-000000', 'two-000001'], 'no loss, no duplicate across the swap');
    assert.equal(receivedIds(s.service, 'custom-c').sort(), ['two-000000', 'two-000001'], 'a new block starts at the end');
  } finally {
    await s.done();
  }
});
reload('matches blocks by id: a block that moves, or whose filters change, goes on from its own cursor; an inserted one starts at the end', async () => {
  const s = await setup('int-reload-identity');
  const slow = await startWebhookStandIn();
  const integrator = new Integrator({ paths: wazuhPaths(s.dir.home), input: { kind: 'follow', alertsFile: s.dir.alerts, pollMs: 50 } });
  try {
    const a = webhook('custom-a', s.service.url);
    const b = webhook('custom-b', slow.url);
    writeFileSync(s.dir.alerts, '');
    await integrator.start(config(a, b));
    slow.script('hang', 'hang');
    s.dir.append(alertLines('one', 2));
    await received(s.service, 2);
    await received(slow, 2);
    // custom-a and custom-b swapped, custom-c inserted between them; custom-b is behind (its two requests hang).
    const first = await integrator.reload(config(b, webhook('custom-c', s.service.url), a), 200);
    assert.equal(first.started.enabled.map((c) => [c.name, c.index]), [['custom-b', 0], ['custom-c', 1], ['custom-a', 2]]);
    await received(slow, 4);
    s.dir.append(alertLines('two', 2));
    await received(slow, 6);
    await received(s.service, 6);
    // custom-c and custom-b removed, custom-a's filter edited.
    const second = await integrator.reload(config(webhook('custom-a', s.service.url, '<level>3</level>')), 1000);
    assert.equal([second.kept, second.stopped, second.started.enabled.length], [0, 3, 1]);
    s.dir.append(alertLines('three', 2));
    await received(s.service, 8);
    await integrator.stop(1000);
    assert.equal(receivedIds(s.service, 'custom-a').sort(), ['one-000000', 'one-000001', 'three-000000', 'three-000001', 'two-000000', 'two-000001'], 'custom-a: every alert once');
    assert.equal(receivedIds(slow).sort(), ['one-000000', 'one-000000', 'one-000001', 'one-000001', 'two-000000', 'two-000001'], 'custom-b: the alerts it had not settled are sent again after its move, none skipped');
    assert.equal(receivedIds(s.service, 'custom-c').sort(), ['two-000000', 'two-000001'], 'the inserted block starts at the end');
  } finally {
    await integrator.stop(0);
    await slow.close();
    await s.done();
  }
});
reload.run();
