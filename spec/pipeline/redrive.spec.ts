// Specs for src/pipeline/redrive.ts (Re-sends the dead letters of one block through its block pipeline and keeps only those still failing).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import type { IntegrationConfig } from '../../src/config/integration-config.js';
import type { DeadLetterRecord } from '../../src/delivery/dead-letter.js';
import { createDeliveryParts, type DeliveryParts } from '../../src/pipeline/delivery-parts.js';
import { scriptRunner } from '../../src/delivery/run-script.js';
import { SmtpClient } from '../../src/delivery/smtp.js';
import { redriveFile, type RedriveParts } from '../../src/pipeline/redrive.js';
import { startSlackStandIn } from '../../src/stand-ins/slack.js';
import { wazuhPaths } from '../../src/wazuh-home.js';
import { blockConfig } from '../helpers/block-config.js';
import { quietDuring } from '../helpers/capture-log.js';
import { harness, recordingQueue } from '../helpers/pipeline-harness.js';
import { readFile } from 'node:fs/promises';
import { custom } from '../../src/integrations/custom-script.js';
import { writeScript } from '../helpers/scripts.js';
import { sampleAlert } from '../helpers/sample-alerts.js';
import { tempDir } from '../helpers/temp-dir.js';

const record = (config: IntegrationConfig, id: string, level: number): DeadLetterRecord => ({
  time: '2026-11-28T01:00:00.000Z',
  block_id: config.id,
  block: 0,
  integration: 'slack',
  alert: { ...sampleAlert(4), id, rule: { level, id: '5712' } },
  attempts: 2,
  reason: 'timed out after 10 s',
});

/** A state directory, the given blocks as the current ossec.conf, and the delivery parts of dlq. */
const setup = async (configs: readonly IntegrationConfig[]) => {
  const dir = await tempDir();
  const paths = wazuhPaths(dir.path);
  const delivery = createDeliveryParts({ paths, queue: recordingQueue() });
  const parts: RedriveParts = { configs, paths, delivery };
  return { dir, store: delivery.deadLetters, parts, close: async () => Promise.all([delivery.close(), dir.remove()]) };
};

const redrive = suite('redriveFile');
quietDuring(redrive);
redrive("keeps, unchanged, records the block's filters no longer take; removes the delivered", async () => {
  const server = await startSlackStandIn();
  const slack = blockConfig({ name: 'slack', hookUrl: `${server.url}/services/T/B/x`, level: 10 });
  const s = await setup([slack]);
  try {
    await s.store.append(record(slack, 'a', 12));
    await s.store.append(record(slack, 'b', 3));
    const [file] = await s.store.files();
    const result = await redriveFile(file!, s.parts);
    assert.equal(result, { id: slack.id, block: 0, integration: 'slack', total: 2, delivered: 1, stillDead: 0, skipped: 1 });
    assert.equal((await s.store.records()).map((r) => [r.alert['id'], r.attempts]), [['b', 2]]);
  } finally {
    await server.close();
    await s.close();
  }
});
redrive('goes through the block with the same id wherever it is now (another block was inserted before it)', async () => {
  const server = await startSlackStandIn();
  const before = blockConfig({ name: 'slack', hookUrl: `${server.url}/services/T/B/x` });
  const inserted = blockConfig({ name: 'custom-new', hookUrl: 'http://127.0.0.1:9/x' });
  const s = await setup([inserted, { ...before, index: 1 }]);
  try {
    await s.store.append(record(before, 'a', 12));
    const [file] = await s.store.files();
    const result = await redriveFile(file!, s.parts);
    assert.equal(result, { id: before.id, block: 1, integration: 'slack', total: 1, delivered: 1, stillDead: 0, skipped: 0 });
    assert.is(server.count, 1);
    assert.equal(await s.store.records(), []);
  } finally {
    await server.close();
    await s.close();
  }
});
redrive('sends nothing when the block is disabled now, and says why', async () => {
  const slack = blockConfig({ name: 'slack' });
  const s = await setup([slack]);
  try {
    await s.store.append(record(slack, 'a', 12));
    const [file] = await s.store.files();
    const result = await redriveFile(file!, s.parts);
    assert.is(result.stillDead, 1);
    assert.is(result.error, "Unable to enable integration for: 'slack'. Missing hook URL.: records kept");
    assert.is((await s.store.records()).length, 1);
  } finally {
    await s.close();
  }
});
redrive('refuses an orphaned file (no block has its id any more), even when a block of that name sits at its old position', async () => {
  const server = await startSlackStandIn();
  const old = blockConfig({ name: 'slack', hookUrl: `${server.url}/services/T/B/old` });
  const now = blockConfig({ name: 'slack', hookUrl: `${server.url}/services/T/B/new` });
  const s = await setup([now]);
  try {
    await s.store.append(record(old, 'a', 12));
    const [file] = await s.store.files();
    const result = await redriveFile(file!, s.parts);
    assert.is(result.block, undefined);
    assert.is(result.stillDead, 1);
    assert.is(
      result.error,
      `orphaned: no block of ${join(s.dir.path, 'etc', 'ossec.conf')} has the id '${old.id}' (removed, or its name or hook_url changed); records kept, not sent — 'integratord dlq drop --block ${old.id}' removes them`,
    );
    assert.is(server.count, 0, 'nothing went to the block now at that position');
    assert.is((await s.store.records()).length, 1);
  } finally {
    await server.close();
    await s.close();
  }
});
redrive('re-runs a dead-lettered custom script once: the operator chooses when a script runs again', async () => {
  const h = await harness();
  try {
    const runs = join(h.home.path, 'runs');
    // Fails on its first run, succeeds afterwards; every run appends one line.
    await writeScript(join(h.home.path, 'integrations'), 'custom-once', `echo run >> '${runs}'\n[ "$(wc -l < '${runs}')" -gt 1 ] || exit 1`);
    const config = blockConfig({ name: 'custom-once', retries: 3 });
    const paths = wazuhPaths(h.home.path);
    const [outcome] = await h.run(config, custom.create(config, { paths, debug: 0 }), [{ id: 'a', rule: { level: 3 } }]);
    assert.is(outcome?.kind, 'dead-lettered');
    assert.is((await readFile(runs, 'utf8')).split('\n').length - 1, 1, 'ran exactly once');
    const [file] = await h.deadLetters.files();
    const delivery: DeliveryParts = { deadLetters: h.deadLetters, http: h.http, smtp: new SmtpClient(), scripts: scriptRunner(h.home.path), queue: h.queue, pauses: h.pauses, metrics: h.metrics, close: async () => undefined };
    const parts: RedriveParts = { configs: [config], paths, delivery };
    const result = await redriveFile(file!, parts);
    assert.equal(result, { id: config.id, block: 0, integration: 'custom-once', total: 1, delivered: 1, stillDead: 0, skipped: 0 });
    assert.is((await readFile(runs, 'utf8')).split('\n').length - 1, 2, 'redrive ran it once more');
    assert.equal(await h.deadLetters.records(), []);
  } finally {
    await h.close();
  }
});
redrive.run();
