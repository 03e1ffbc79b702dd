// Specs for src/cli/send-test.ts (`integratord send-test NAME|--block N`: one synthetic alert through one block, printing the service's answers).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { main } from '../../src/cli/cli.js';
import { INTEGRATIONS } from '../../src/integrations/registry.js';
import { startupCheck } from '../../src/pipeline/startup-check.js';
import { startPagerDutyStandIn } from '../../src/stand-ins/pagerduty.js';
import { startSlackStandIn } from '../../src/stand-ins/slack.js';
import type { StandIn } from '../../src/stand-ins/stand-in-server.js';
import { field } from '../../src/alerts/alert.js';
import { wazuhPaths } from '../../src/wazuh-home.js';
import { AlertsDir } from '../helpers/alerts-dir.js';
import { blockConfig } from '../helpers/block-config.js';
import { captureIo } from '../helpers/capture-io.js';
import { quietDuring } from '../helpers/capture-log.js';
import { webhookBlock, writeOssecConf } from '../helpers/ossec-conf.js';

const TOKEN = 'sendtestSECRETtoken';
const API_KEY = 'pdSENDTESTkey0123';


let dir: AlertsDir;
let slack: StandIn;
let pagerduty: StandIn;
const sendTest = async (...args: string[]) => {
  const io = captureIo();
  const code = await main(['send-test', '--home', dir.home, ...args], io);
  const out = io.out();
  const err = io.err();
  assert.not.match(out + err, TOKEN);
  assert.not.match(out + err, API_KEY);
  return { code, out, err };
};

const command = suite('integratord send-test');
quietDuring(command);
command.before(async () => {
  dir = new AlertsDir('send-test');
  [slack, pagerduty] = await Promise.all([startSlackStandIn(), startPagerDutyStandIn()]);
  writeOssecConf(
    dir.home,
    webhookBlock('slack', `${slack.url}/services/T0/B0/${TOKEN}`),
    webhookBlock('slack', `${slack.url}/wrong/${TOKEN}`, '<retries>0</retries>'),
    `<name>pagerduty</name>\n<api_key>${API_KEY}</api_key>\n<hook_url>${pagerduty.url}/v2/enqueue</hook_url>`,
    '<name>custom-nofile</name>',
  );
});
command.after(async () => {
  await Promise.all([slack.close(), pagerduty.close()]);
  dir.remove();
});

command('sends the test alert through the first block named NAME, prints the answer, exits 0', async () => {
  const r = await sendTest('slack');
  assert.is(r.code, 0);
  assert.equal(r.out.split('\n'), [
    '#0 slack: every alert, hook_url set, json, timeout 10s, retries 3',
    `POST ${slack.url}/**REDACTED** → HTTP 200: ok`,
    'delivered (1 attempt)',
    '',
  ]);
  const title = field((slack.received[0]?.json as { attachments: unknown[] }).attachments[0], 'title');
  assert.is(title, 'integratord send-test: if you can read this, the integration works');
});

command('--block N picks the block; an api_key in the body is sent but never printed', async () => {
  const r = await sendTest('--block', '2');
  assert.is(r.code, 0, r.out);
  assert.match(r.out, `POST ${pagerduty.url}/**REDACTED** → HTTP 202: `);
  assert.is((pagerduty.received[0]?.json as { routing_key: string }).routing_key, API_KEY);
});

command('exits 1 and says why when the service refuses', async () => {
  const r = await sendTest('--block', '1');
  assert.is(r.code, 1);
  assert.match(r.out, `POST ${slack.url}/**REDACTED** → HTTP 404: no_service\n`);
  assert.match(r.out, 'NOT delivered after 1 attempt(s): HTTP 404: no_service');
});

command('exits 1 for a block that fails the startup checks', async () => {
  const r = await sendTest('custom-nofile');
  assert.is(r.code, 1);
  assert.match(r.out, "disabled: Unable to enable integration for: 'custom-nofile'. File not found inside 'integrations'.");
});

command('exits 2 for an unknown NAME (listing the blocks), or NAME with --block, or neither', async () => {
  const unknown = await sendTest('opsgenie');
  assert.is(unknown.code, 2);
  assert.match(unknown.err, "no block named 'opsgenie' in");
  assert.match(unknown.err, '(blocks: #0 slack, #1 slack, #2 pagerduty, #3 custom-nofile)');
  assert.is((await sendTest('slack', '--block', '0')).code, 2);
  assert.is((await sendTest()).code, 2);
  assert.is((await sendTest('--block', '9')).code, 2);
});

command.run();
