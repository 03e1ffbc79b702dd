// Two integratord daemons (two Wazuh homes, one machine) sharing state on a real redis-server: dedup, silences, Redis outages.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startWebhookStandIn } from '../../src/stand-ins/webhook.js';
import type { StandIn } from '../../src/stand-ins/stand-in-server.js';
import { alertLine } from '../helpers/alert-line.js';
import { AlertsDir } from '../helpers/alerts-dir.js';
import { DaemonProcess } from '../helpers/daemon-process.js';
import { eventually } from '../helpers/eventually.js';
import { webhookBlock, writeOssecConf } from '../helpers/ossec-conf.js';
import { RedisServer } from '../helpers/redis-server.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An alert line with data fields (srcip: the dedup key; tag: what a silence matches). */
const line = (id: string, data: Record<string, string>): string => JSON.stringify({ ...(JSON.parse(alertLine(id)) as object), data });

/** The sum of a counter's series whose labels include `labels` (the Prometheus text). */
const counter = (text: string, name: string, labels: string): number =>
  text
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) && l.includes(labels))
    .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);

const idsAt = (service: StandIn, path: string): string[] => service.received.filter((r) => r.url === path).map((r) => String((r.json as { id?: unknown }).id));

interface Cluster {
  redis: RedisServer;
  service: StandIn;
  homes: AlertsDir[];
  nodes: DaemonProcess[];
}

const cluster: Cluster = {} as Cluster;
const test = suite('a Wazuh cluster: two integratord nodes on one Redis');

test.before(async () => {
  cluster.redis = await RedisServer.start();
  cluster.service = await startWebhookStandIn();
  cluster.homes = ['node-a', 'node-b'].map((name) => new AlertsDir(`cluster-${name}`));
  cluster.nodes = cluster.homes.map((home, i) => {
    writeFileSync(home.alerts, '');
    writeOssecConf(home.home, webhookBlock('custom-dedup', `${cluster.service.url}/dedup`, '<dedup_by>data.srcip</dedup_by>\n<dedup_window>1h</dedup_window>'), webhookBlock('custom-plain', `${cluster.service.url}/plain`));
    // Node a takes the options; node b the same settings from its integratord.conf.
    if (i === 0) return new DaemonProcess(['run', '--home', home.home, '--grace', '1', '--http', '127.0.0.1:0', '--shared-state', cluster.redis.url, '--node', 'node-a', '--cluster', 'spec']);
    writeFileSync(join(home.home, 'etc', 'integratord.conf'), `<ossec_config>\n  <shared_state>\n    <url>${cluster.redis.url}</url>\n    <node>node-b</node>\n    <cluster>spec</cluster>\n  </shared_state>\n</ossec_config>\n`);
    return new DaemonProcess(['run', '--home', home.home, '--grace', '1', '--http', '127.0.0.1:0']);
  });
  await Promise.all(cluster.nodes.map((n) => n.ready()));
});

test.after(async () => {
  await Promise.all((cluster.nodes ?? []).map((n) => n.stop('SIGTERM')));
  await cluster.service?.close();
  await cluster.redis?.close();
  for (const home of cluster.homes ?? []) home.remove();
});

test('20 alerts with one dedup key split across the nodes: one delivery; the other 19 suppressed (each node counts its own)', async () => {
  const [a, b] = cluster.homes;
  for (let i = 0; i < 20; i++) (i % 2 === 0 ? a : b)!.append([line(`D${i}`, { srcip: '198.51.100.7' })]);
  const suppressed = async () => {
    const texts = await Promise.all(cluster.nodes.map((n) => n.metrics()));
    return texts.reduce((sum, t) => sum + counter(t, 'integratord_alerts_suppressed_total', 'integration="custom-dedup"'), 0);
  };
  await eventually(async () => (await suppressed()) === 19, '19 alerts suppressed across the nodes');
  await sleep(300);
  assert.is(idsAt(cluster.service, '/dedup').length, 1, `one delivery for the cluster, got ${idsAt(cluster.service, '/dedup').join(',')}`);
  assert.is(idsAt(cluster.service, '/plain').length, 20, 'the plain block delivered all 20');
});

test('a silence added on one node is applied by the other within a second', async () => {
  const add = new DaemonProcess(['silence', 'add', '--home', cluster.homes[0]!.home, '--shared-state', cluster.redis.url, '--cluster', 'spec', '--match', 'data.tag=maintenance', '--for', '1h', '--comment', 'patching the web tier']);
  const exit = await add.exited;
  assert.is(exit.code, 0, add.stderr);
  assert.match(add.stdout, /silence [0-9a-f]{8} added: data\.tag=maintenance on every block/);
  await sleep(1000);
  const before = cluster.service.received.length;
  cluster.homes[1]!.append([line('S1', { srcip: '192.0.2.1', tag: 'maintenance' }), line('S2', { srcip: '192.0.2.2', tag: 'other' })]);
  await eventually(() => idsAt(cluster.service, '/plain').includes('S2'), 'the unsilenced alert delivered');
  const metrics = await cluster.nodes[1]!.metrics();
  assert.is(counter(metrics, 'integratord_alerts_skipped_total', 'reason="silenced"'), 2, 'S1 silenced on both blocks of node b');
  assert.not.ok(cluster.service.received.slice(before).some((r) => (r.json as { id?: string }).id === 'S1'));
  // Node b's home names the shared state in its integratord.conf: no option needed.
  const list = new DaemonProcess(['silence', 'list', '--home', cluster.homes[1]!.home]);
  await list.exited;
  assert.match(list.stdout, /data\.tag=maintenance .*"patching the web tier"/);
});

test('replay --shared-state on a third home: the cluster\'s silences and delivered dedup keys apply to it too', async () => {
  const third = new AlertsDir('cluster-replay');
  try {
    writeOssecConf(third.home, webhookBlock('custom-dedup', `${cluster.service.url}/dedup`, '<dedup_by>data.srcip</dedup_by>\n<dedup_window>1h</dedup_window>'), webhookBlock('custom-plain', `${cluster.service.url}/plain`));
    const file = `${third.home}/replayed.json`;
    writeFileSync(file, `${[line('P1', { srcip: '198.51.100.7' }), line('P2', { srcip: '192.0.2.50', tag: 'maintenance' }), line('P3', { srcip: '192.0.2.51' })].join('\n')}\n`);
    const replay = new DaemonProcess(['replay', file, '--home', third.home, '--no-progress', '--shared-state', cluster.redis.url, '--cluster', 'spec', '--node', 'replayer']);
    assert.is((await replay.exited).code, 0, replay.stderr);
    const dedup = idsAt(cluster.service, '/dedup');
    assert.ok(dedup.includes('P3'), 'a new key is delivered');
    assert.not.ok(dedup.includes('P1'), 'a key node a delivered within the window is suppressed');
    assert.not.ok(dedup.includes('P2') || idsAt(cluster.service, '/plain').includes('P2'), 'the cluster silence applies');
    assert.match(replay.stderr, /#0 custom-dedup: .*1 delivered/);
  } finally {
    third.remove();
  }
});

test('Redis killed mid-run: both nodes keep delivering on their local stores, /healthz says so; restarted: they re-join; no alert lost', async () => {
  const [a, b] = cluster.homes;
  await cluster.redis.stop();
  await eventually(async () => (await cluster.nodes[0]!.metrics()).includes('integratord_shared_state_up 0'), 'node a noticed the outage');
  for (let i = 0; i < 10; i++) (i % 2 === 0 ? a : b)!.append([line(`R${i}`, { srcip: `203.0.113.${i}` })]);
  await eventually(() => ['R0', 'R1', 'R2', 'R3', 'R4', 'R5', 'R6', 'R7', 'R8', 'R9'].every((id) => idsAt(cluster.service, '/dedup').includes(id)), 'every alert delivered with Redis down');
  const health = JSON.parse((await cluster.nodes[1]!.get('/healthz')).body) as { sharedState?: { up: boolean; node: string; downSince?: string } };
  assert.equal([health.sharedState?.up, health.sharedState?.node, typeof health.sharedState?.downSince], [false, 'node-b', 'string']);
  await cluster.redis.start();
  await eventually(async () => (await Promise.all(cluster.nodes.map((n) => n.metrics()))).every((t) => t.includes('integratord_shared_state_up 1')), 'both nodes re-joined');
  for (let i = 10; i < 20; i++) (i % 2 === 0 ? a : b)!.append([line(`R${i}`, { srcip: '203.0.113.200' })]);
  await eventually(async () => {
    const texts = await Promise.all(cluster.nodes.map((n) => n.metrics()));
    const settled = texts.reduce((s, t) => s + counter(t, 'integratord_alerts_suppressed_total', 'integration="custom-dedup"'), 0) - 19 + idsAt(cluster.service, '/dedup').filter((id) => /^R1\d$/.test(id)).length;
    return idsAt(cluster.service, '/plain').filter((id) => id.startsWith('R')).length === 20 && settled === 10;
  }, 'the second batch settled').catch(async (error: unknown) => {
    const texts = await Promise.all(cluster.nodes.map((n) => n.metrics()));
    throw new Error(`${String(error)}: plain ${idsAt(cluster.service, '/plain').join(',')}; dedup ${idsAt(cluster.service, '/dedup').join(',')}; suppressed ${texts.map((t) => counter(t, 'integratord_alerts_suppressed_total', 'integration="custom-dedup"')).join('+')}; fallbacks ${texts.map((t) => counter(t, 'integratord_shared_state_fallbacks_total', 'store="dedup"')).join('+')}\n${cluster.nodes.map((n) => n.stderr).join('\n')}`);
  });
  const outage = idsAt(cluster.service, '/dedup').filter((id) => /^R\d$/.test(id));
  assert.is(outage.length, 10, `the 10 unique keys of the outage, each once: ${outage.join(',')}`);
  // After the re-join the shared key goes out once; at most once per node (the README's duplicate window), never lost.
  const after = idsAt(cluster.service, '/dedup').filter((id) => /^R1\d$/.test(id));
  assert.ok(after.length >= 1 && after.length <= 2, `the shared key after the re-join: ${after.join(',')}`);
  for (const node of cluster.nodes) assert.match(node.stderr, /SharedStateDown .*fallback=/);
  for (const node of cluster.nodes) assert.not.match(node.stderr, /BlockStopped|CRITICAL/);
});

test.run();
