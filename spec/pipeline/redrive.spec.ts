// Specs for src/pipeline/redrive.ts (Re-sends the dead letters of one block through its block pipeline and keeps only those still failing).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { DeadLetterStore, type DeadLetterRecord } from '../../src/delivery/dead-letter.js';
import { DestinationPauses } from '../../src/delivery/destination-pauses.js';
import { HttpClient } from '../../src/delivery/http.js';
import { scriptRunner } from '../../src/delivery/run-script.js';
import { redriveFile, type RedriveParts } from '../../src/pipeline/redrive.js';
import { startSlackStandIn } from '../../src/stand-ins/slack.js';
import { createMetrics } from '../../src/telemetry/metrics.js';
import { wazuhPaths } from '../../src/wazuh-home.js';
import { blockConfig } from '../helpers/block-config.js';
import { quietDuring } from '../helpers/capture-log.js';
import { harness, recordingQueue } from '../helpers/pipeline-harness.js';
import { readFile } from 'node:fs/promises';
import { custom } from '../../src/integrations/custom-script.js';
import { writeScript } from '../helpers/scripts.js';
import { sampleAlert } from '../helpers/sample-alerts.js';
import { tempDir } from '../helpers/temp-dir.js';

const record = (id: string, level: number): DeadLetterRecord => ({
  time: '2026-11-28T01:00:00.000Z',
  block: 0,
  integration: 'slack',
  alert: { ...sampleAlert(4), id, rule: { level, id: '5712' } },
  attempts: 2,
  reason: 'timed out after 10 s',
});

const setup = async (hookUrl: string | undefined, extra: Partial<Parameters<typeof blockConfig>[0]> = {}) => {
  const dir = await tempDir();
  const paths = wazuhPaths(dir.path);
  const store = new DeadLetterStore(paths.state);
  const http = new HttpClient();
  const parts: RedriveParts = {
    store,
    configs: [blockConfig({ name: 'slack', ...(hookUrl === undefined ? {} : { hookUrl }), ...extra })],
    paths,
    http,
    scripts: scriptRunner(dir.path),
    queue: recordingQueue(),
    pauses: new DestinationPauses(),
    metrics: createMetrics(),
  };
  return { dir, store, parts, close: async () => Promise.all([http.close(), dir.remove()]) };
};

const redrive = suite('redriveFile');
quietDuring(redrive);
redrive("keeps, unchanged, records the block's filters no longer take; removes the delivered", async () => {
  const server = await startSlackStandIn();
  const s = await setup(`${server.url}/services/T/B/x`, { level: 10 });
  try {
    await s.store.append(record('a', 12));
    await s.store.append(record('b', 3));
    const [file] = await s.store.files();
    const result = await redriveFile(file!, s.parts);
    assert.equal(result, { block: 0, integration: 'slack', total: 2, delivered: 1, stillDead: 0, skipped: 1 });
    assert.equal((await s.store.records()).map((r) => [r.alert['id'], r.attempts]), [['b', 2]]);
  } finally {
    await server.close();
    await s.close();
  }
});
redrive('sends nothing when the block is disabled now, and says why', async () => {
  const s = await setup(undefined);
  try {
    await s.store.append(record('a', 12));
    const [file] = await s.store.files();
    const result = await redriveFile(file!, s.parts);
    assert.is(result.stillDead, 1);
    assert.is(result.error, "Unable to enable integration for: 'slack'. Missing hook URL.: records kept");
    assert.is((await s.store.records()).length, 1);
  } finally {
    await s.close();
  }
});
redrive('refuses a file whose block now has another name', async () => {
  const s = await setup('http://127.0.0.1:9/x', { name: 'shuffle' });
  try {
    await s.store.append(record('a', 12));
    const [file] = await s.store.files();
    const result = await redriveFile(file!, s.parts);
    assert.is(result.error, `block 0 is now 'shuffle' in ${join(s.dir.path, 'etc', 'ossec.conf')}: records kept`);
  } finally {
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
    const parts: RedriveParts = { store: h.deadLetters, configs: [config], paths, http: h.http, scripts: scriptRunner(h.home.path), queue: h.queue, pauses: h.pauses, metrics: h.metrics };
    const result = await redriveFile(file!, parts);
    assert.equal(result, { block: 0, integration: 'custom-once', total: 1, delivered: 1, stillDead: 0, skipped: 0 });
    assert.is((await readFile(runs, 'utf8')).split('\n').length - 1, 2, 'redrive ran it once more');
    assert.equal(await h.deadLetters.records(), []);
  } finally {
    await h.close();
  }
});
redrive.run();
