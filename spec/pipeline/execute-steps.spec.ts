// Specs for src/pipeline/execute-steps.ts (Executes the steps of one alert in one block: each with retry-and-timeout, then its follow-ups or give-up steps).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { firstValueFrom } from 'rxjs';
import { DestinationPauses } from '../../src/delivery/destination-pauses.js';
import { HttpClient } from '../../src/delivery/http.js';
import { scriptRunner } from '../../src/delivery/run-script.js';
import type { Step, Verdict } from '../../src/delivery/step.js';
import { jsonPost } from '../../src/integrations/json-post.js';
import { executeSteps, type StepContext } from '../../src/pipeline/execute-steps.js';
import { startWebhookStandIn } from '../../src/stand-ins/webhook.js';
import { blockLabels, createMetrics } from '../../src/telemetry/metrics.js';
import { asyncScheduler } from 'rxjs';
import { blockConfig } from '../helpers/block-config.js';
import { quietDuring } from '../helpers/capture-log.js';
import { FAST_BACKOFF, recordingQueue } from '../helpers/pipeline-harness.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { scriptStep } from '../../src/integrations/custom-script.js';
import { wazuhPaths } from '../../src/wazuh-home.js';
import { writeScript } from '../helpers/scripts.js';
import { tempDir } from '../helpers/temp-dir.js';

const context = (http: HttpClient, queue = recordingQueue()): StepContext => ({
  config: blockConfig({ retries: 1 }),
  labels: blockLabels(0, 'custom-test'),
  http,
  scripts: scriptRunner('/tmp'),
  queue,
  pauses: new DestinationPauses(),
  metrics: createMetrics(),
  scheduler: asyncScheduler,
  backoff: FAST_BACKOFF,
});

const steps = suite('executeSteps');
quietDuring(steps);
steps('an empty plan is delivered with no attempt', async () => {
  const http = new HttpClient();
  assert.equal(await firstValueFrom(executeSteps([], context(http))), { delivered: true, attempts: 0 });
  await http.close();
});
steps('runs every step in order; a failed one does not stop the next; the first failure is the reason', async () => {
  const server = await startWebhookStandIn();
  const http = new HttpClient();
  try {
    server.script({ status: 400, body: 'first refused' });
    const plan: Step[] = [jsonPost(`${server.url}/1`, {}, []), jsonPost(`${server.url}/2`, {}, [])];
    const result = await firstValueFrom(executeSteps(plan, context(http)));
    assert.equal(result, { delivered: false, attempts: 2, reason: 'HTTP 400: first refused', status: 400, transient: false, timedOut: false });
    assert.equal(server.received.map((r) => r.url), ['/1', '/2']);
  } finally {
    await http.close();
    await server.close();
  }
});
steps('a classify that throws drops the step instead of crashing', async () => {
  const server = await startWebhookStandIn();
  const http = new HttpClient();
  try {
    const step = jsonPost(server.url, {}, [], () => {
      throw new Error('unexpected body');
    });
    const result = await firstValueFrom(executeSteps([step], context(http)));
    assert.equal(result, { delivered: false, attempts: 1, reason: 'classify failed: unexpected body', status: 200, transient: false, timedOut: false });
  } finally {
    await http.close();
    await server.close();
  }
});
steps('an `after` that throws fails the alert', async () => {
  const server = await startWebhookStandIn();
  const http = new HttpClient();
  try {
    const step = {
      ...jsonPost(server.url, {}, []),
      after: (): readonly Step[] => {
        throw new Error('bad answer');
      },
    };
    const result = await firstValueFrom(executeSteps([step], context(http)));
    assert.equal(result, { delivered: false, attempts: 1, reason: 'after failed: bad answer' });
  } finally {
    await http.close();
    await server.close();
  }
});
steps('retries a queue step the writer asks to retry', async () => {
  const http = new HttpClient();
  const verdicts: Verdict[] = [{ kind: 'retry', reason: 'analysisd down' }, { kind: 'delivered' }];
  const queue = { ...recordingQueue(), send: async () => verdicts.shift() ?? { kind: 'delivered' as const } };
  try {
    const result = await firstValueFrom(executeSteps([{ kind: 'queue', message: '1:x:{}' }], context(http, queue)));
    assert.equal(result, { delivered: true, attempts: 2 });
  } finally {
    await http.close();
  }
});
steps.run();

const scripts = suite('executeSteps: custom scripts run once');
quietDuring(scripts);
/** The number of lines a counting script appended to `file` (one per run). */
const runs = async (file: string) => (await readFile(file, 'utf8').catch(() => '')).split('\n').filter((l) => l !== '').length;
const noHttp = new HttpClient();
scripts.after(() => noHttp.close());
const scriptContext = (home: string, retries: number, scriptMs?: number): StepContext => ({
  ...context(noHttp),
  config: blockConfig({ name: 'custom-count', retries }),
  scripts: scriptRunner(home),
  ...(scriptMs === undefined ? {} : { deadlines: { scriptMs } }),
});
scripts('a script that exits 1 runs exactly once whatever <retries> says (the script owns its retries)', async () => {
  const home = await tempDir();
  try {
    const counter = join(home.path, 'runs');
    const file = await writeScript(join(home.path, 'integrations'), 'custom-count', `echo run >> '${counter}'\necho "Error: upstream said no"\nexit 1`);
    const ctx = scriptContext(home.path, 3);
    const step = scriptStep(file, ctx.config, { paths: wazuhPaths(home.path), debug: 0 }, { id: '1' });
    const result = await firstValueFrom(executeSteps([step], ctx));
    assert.equal(result, { delivered: false, attempts: 1, reason: 'exit status 1: Error: upstream said no', transient: true, script: true, timedOut: false });
    assert.is(await runs(counter), 1);
  } finally {
    await home.remove();
  }
});
scripts('a script killed at its deadline runs exactly once and fails as timed out', async () => {
  const home = await tempDir();
  try {
    const counter = join(home.path, 'runs');
    const file = await writeScript(join(home.path, 'integrations'), 'custom-count', `echo run >> '${counter}'\nsleep 30`);
    const ctx = scriptContext(home.path, 3, 300);
    const step = scriptStep(file, ctx.config, { paths: wazuhPaths(home.path), debug: 0 }, { id: '1' });
    const result = await firstValueFrom(executeSteps([step], ctx));
    assert.equal(result, { delivered: false, attempts: 1, reason: 'timed out after 0.3 s', code: 'TIMEOUT', transient: true, script: true, timedOut: true });
    assert.is(await runs(counter), 1);
  } finally {
    await home.remove();
  }
});
scripts('HTTP steps keep their retries', async () => {
  const server = await startWebhookStandIn();
  const http = new HttpClient();
  try {
    server.script({ status: 503, body: 'busy' }, { status: 503, body: 'busy' });
    const ctx = { ...context(http), config: blockConfig({ retries: 3 }) };
    const result = await firstValueFrom(executeSteps([jsonPost(server.url, {}, [])], ctx));
    assert.equal(result, { delivered: true, attempts: 3 });
    assert.is(server.received.length, 3);
  } finally {
    await http.close();
    await server.close();
  }
});
scripts.run();
