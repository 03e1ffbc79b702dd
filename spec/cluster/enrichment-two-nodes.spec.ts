// Two nodes' integrators (two Wazuh homes, one machine) sharing VirusTotal's cache and quota through a real redis-server.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfigText } from '../../src/config/load.js';
import { Integrator } from '../../src/pipeline/integrator.js';
import { RedisDedupClaims } from '../../src/shared-state/redis-dedup-claims.js';
import { createRedisEnrichmentStores } from '../../src/shared-state/redis-enrichment-stores.js';
import { SharedState } from '../../src/shared-state/shared-state.js';
import { EICAR, startVirusTotalStandIn } from '../../src/stand-ins/virustotal.js';
import type { StandIn } from '../../src/stand-ins/stand-in-server.js';
import { wazuhPaths } from '../../src/wazuh-home.js';
import { AlertsDir } from '../helpers/alerts-dir.js';
import { captureLog } from '../helpers/capture-log.js';
import { eventually } from '../helpers/eventually.js';
import { RedisServer } from '../helpers/redis-server.js';

const KEY = 'vt-cluster-spec-key-0123456789';

const fimAlert = (id: string, md5: string) =>
  JSON.stringify({ timestamp: '2026-12-08T01:00:00.000+0000', rule: { level: 7, description: 'Integrity checksum changed.', id: '550', groups: ['ossec', 'syscheck'] }, agent: { id: '003', name: 'web-02' }, id, syscheck: { path: `/srv/www/${id}.php`, md5_after: md5, event: 'modified' }, location: 'syscheck' });

interface Node {
  readonly dir: AlertsDir;
  readonly shared: SharedState;
  readonly integrator: Integrator;
  readonly out: string;
}

const startNodes = async (redis: RedisServer, vt: StandIn, options: string): Promise<Node[]> => {
  const configs = loadConfigText(`<ossec_config><integration><name>virustotal</name><hook_url>${vt.url}</hook_url><api_key>${KEY}</api_key><alert_format>json</alert_format><options>${options}</options></integration></ossec_config>`).integrations;
  const nodes: Node[] = [];
  for (const name of ['node-a', 'node-b']) {
    const dir = new AlertsDir(`cluster-vt-${name}`);
    writeFileSync(dir.alerts, '');
    const shared = new SharedState({ url: redis.url, node: name, cluster: 'spec' });
    await shared.ready();
    const out = join(dir.home, 'enrichment.jsonl');
    const integrator = new Integrator({
      paths: wazuhPaths(dir.home),
      input: { kind: 'follow', alertsFile: dir.alerts, pollMs: 50 },
      enrichmentOut: out,
      claims: new RedisDedupClaims(shared),
      sharedEnrichment: (local) => createRedisEnrichmentStores(shared, local),
    });
    await integrator.start(configs);
    nodes.push({ dir, shared, integrator, out });
  }
  await new Promise((resolve) => setTimeout(resolve, 100)); // subscriptions in place
  return nodes;
};

const stopNodes = async (nodes: readonly Node[]) => {
  for (const n of nodes) {
    await n.integrator.stop(0);
    await n.shared.close();
    n.dir.remove();
  }
};

const events = (nodes: readonly Node[]): number => nodes.reduce((sum, n) => sum + (existsSync(n.out) ? readFileSync(n.out, 'utf8').split('\n').filter(Boolean).length : 0), 0);

const test = suite('a Wazuh cluster: VirusTotal cache and quota shared by two nodes');

test('20 alerts with one hash split across the nodes: one VirusTotal lookup, 20 events written back', async () => {
  const log = captureLog(0);
  const redis = await RedisServer.start();
  const vt = await startVirusTotalStandIn({ apiKey: KEY });
  const nodes = await startNodes(redis, vt, '{"api_version": "v2"}');
  try {
    nodes[0]!.dir.append([fimAlert('1765155600.0', EICAR.md5)]);
    await eventually(() => events(nodes) === 1, 'the first lookup written back');
    // Once one node has the answer, every node has it: the other 19 alerts, over both nodes, are answered from the cache.
    for (let i = 1; i < 20; i++) nodes[i % 2]!.dir.append([fimAlert(`1765155600.${i}`, EICAR.md5)]);
    await eventually(() => events(nodes) === 20, 'every alert written back');
    assert.is(vt.received.length, 1, 'one lookup for the cluster');
    assert.ok(readFileSync(nodes[1]!.out, 'utf8').includes('"positives"'), 'node b wrote back the answer node a got');
  } finally {
    await stopNodes(nodes);
    await vt.close();
    await redis.close();
    log.restore();
  }
});

test('rate_per_minute 4 on one api_key over both nodes: at most 4 lookups in any minute, the rest wait, none lost', async () => {
  const log = captureLog(0);
  const redis = await RedisServer.start();
  const vt = await startVirusTotalStandIn({ apiKey: KEY });
  const nodes = await startNodes(redis, vt, '{"api_version": "v2", "rate_per_minute": 4}');
  const hashes = Array.from({ length: 5 }, (_, i) => `${'0'.repeat(31)}${i + 1}`);
  try {
    hashes.forEach((md5, i) => nodes[i % 2]!.dir.append([fimAlert(`1765155700.${i}`, md5)]));
    const deadline = Date.now() + 90_000;
    while (vt.received.length < hashes.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    assert.is(vt.received.length, 5, 'every lookup made (none lost)');
    const at = vt.received.map((r) => r.receivedAt).sort((a, b) => a - b);
    // Burst 1, one token every 15 s, on Redis's clock: the fifth lookup comes a minute after the first.
    assert.ok(at[4]! - at[0]! >= 59_000, `5 lookups within ${at[4]! - at[0]!} ms`);
    for (let i = 1; i < at.length; i++) assert.ok(at[i]! - at[i - 1]! >= 14_000, `lookups ${i - 1} and ${i} ${at[i]! - at[i - 1]!} ms apart`);
    await eventually(() => events(nodes) === 5, 'every alert written back');
  } finally {
    await stopNodes(nodes);
    await vt.close();
    await redis.close();
    log.restore();
  }
});

test.run();
