// Specs for src/pipeline/delivery-parts.ts (The parts every block of one integrator shares: HTTP client, script runner, write-back, pauses, dead letters, enrichment stores).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { queueMessage } from '../../src/delivery/queue-message.js';
import { createDeliveryParts } from '../../src/pipeline/delivery-parts.js';
import { ENRICHMENT_CACHE_FILE } from '../../src/integrations/enrichment-cache-file.js';
import { createLocalEnrichmentStores } from '../../src/integrations/enrichment-stores.js';
import { startWebhookStandIn } from '../../src/stand-ins/webhook.js';
import { createMetrics } from '../../src/telemetry/metrics.js';
import { wazuhPaths } from '../../src/wazuh-home.js';
import { AlertsDir } from '../helpers/alerts-dir.js';
import { quietDuring } from '../helpers/capture-log.js';
import { expectRejection } from '../helpers/expect-rejection.js';
import { recordingQueue } from '../helpers/pipeline-harness.js';
import { writeScript } from '../helpers/scripts.js';

const parts = suite('createDeliveryParts');
quietDuring(parts);
let dir: AlertsDir;
parts.before.each(() => {
  dir = new AlertsDir('delivery-parts');
});
parts.after.each(() => dir.remove());

const signal = () => AbortSignal.timeout(5000);

parts('wires real parts to the home: HTTP, scripts run in HOME, dead letters in the state, write-backs to --enrichment-out', async () => {
  const service = await startWebhookStandIn();
  const metrics = createMetrics();
  const paths = wazuhPaths(dir.home, { state: join(dir.home, 'state') });
  const enrichmentOut = join(dir.home, 'events.jsonl');
  const p = createDeliveryParts({ paths, metrics, enrichmentOut });
  try {
    assert.is(p.metrics, metrics);
    const response = await p.http.send({ method: 'POST', url: `${service.url}/x`, headers: { 'content-type': 'application/json' }, body: '{"id":"1"}' }, signal());
    assert.is(response.status, 200);
    const script = await writeScript(join(dir.home, 'integrations'), 'custom-pwd', 'pwd > "$(dirname "$0")/../ran-in"');
    const verdict = await p.scripts.run({ kind: 'exec', file: script, args: (alert) => [alert], alertFileContent: '{}\n', optionsFileContent: undefined, secrets: [] }, signal());
    assert.is(verdict.kind, 'delivered');
    assert.is(readFileSync(join(dir.home, 'ran-in'), 'utf8').trim(), dir.home);
    const datagram = queueMessage('virustotal', { virustotal: { found: 0 }, integration: 'virustotal' });
    assert.is((await p.queue.send(datagram, signal())).kind, 'delivered');
    await p.deadLetters.append({ time: '2026-11-28T00:00:00.000Z', block_id: 'custom-a-1a2b3c4d', block: 0, integration: 'custom-a', alert: { id: '1' }, attempts: 1, reason: 'HTTP 400' });
    assert.is((await p.deadLetters.records()).length, 1);
    assert.is(p.deadLetters.fileFor('custom-a-1a2b3c4d'), join(dir.home, 'state', 'dead-letter', 'custom-a-1a2b3c4d.jsonl'));
    await p.close();
    assert.is((JSON.parse(readFileSync(enrichmentOut, 'utf8')) as { datagram: string }).datagram, datagram);
  } finally {
    await p.close();
    await service.close();
  }
});

parts('close() closes the HTTP client and its own queue writer, but not a writer the app gave', async () => {
  const appQueue = recordingQueue();
  let closed = 0;
  const given = { ...appQueue, close: async () => void closed++ };
  const p = createDeliveryParts({ paths: wazuhPaths(dir.home), queue: given });
  assert.is(p.queue, given);
  await p.close();
  assert.is(closed, 0);
  await expectRejection(() => p.http.send({ method: 'GET', url: 'http://127.0.0.1:9/', headers: {} }, signal()), /client closed/);
});

parts('each call makes a new set: metrics are not shared unless given', () => {
  const a = createDeliveryParts({ paths: wazuhPaths(dir.home) });
  const b = createDeliveryParts({ paths: wazuhPaths(dir.home) });
  assert.is.not(a.metrics, b.metrics);
  assert.is.not(a.http, b.http);
  void a.close();
  void b.close();
});

parts('keeps the enrichment caches in STATE when asked (read before blocks open, written at close); uses stores it is given as they are', async () => {
  const paths = wazuhPaths(dir.home);
  mkdirSync(paths.state, { recursive: true });
  const first = createDeliveryParts({ paths, persistEnrichment: true });
  await first.ready;
  void first.enrichment?.cache<string>('abuseipdb', { ttlSeconds: 60, negativeTtlSeconds: 10, maxEntries: 10 }).set('1.1.1.1', 'report');
  await first.close();
  assert.ok(existsSync(join(paths.state, ENRICHMENT_CACHE_FILE)));
  const second = createDeliveryParts({ paths, persistEnrichment: true });
  await second.ready;
  assert.equal(second.enrichment?.cache('abuseipdb', { ttlSeconds: 60, negativeTtlSeconds: 10, maxEntries: 10 }).get('1.1.1.1'), { value: 'report' });
  await second.close();
  const shared = createLocalEnrichmentStores();
  const given = createDeliveryParts({ paths, persistEnrichment: true, enrichment: shared });
  assert.is(given.enrichment, shared);
  await given.close();
  const unpersisted = createDeliveryParts({ paths });
  await unpersisted.ready;
  assert.is(unpersisted.enrichment?.cache('abuseipdb', { ttlSeconds: 60, negativeTtlSeconds: 10, maxEntries: 10 }).get('1.1.1.1'), undefined, 'without persistEnrichment the file is not read');
  await unpersisted.close();
});

parts.run();
