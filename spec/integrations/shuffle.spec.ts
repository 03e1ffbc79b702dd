// Specs for src/integrations/shuffle.ts (Shuffle: Wazuh's shuffle.py payload and its skip list, sent natively to the webhook URL).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { HttpClient } from '../../src/delivery/http.js';
import { shuffle, shufflePayload, shuffleSeverity, SHUFFLE_SKIPPED_RULES } from '../../src/integrations/shuffle.js';
import { startShuffleStandIn } from '../../src/stand-ins/shuffle.js';
import { wazuhPaths } from '../../src/wazuh-home.js';
import { blockConfig } from '../helpers/block-config.js';
import { sampleAlert } from '../helpers/sample-alerts.js';
import { sendOnce } from '../helpers/send-step.js';

const env = { paths: wazuhPaths('/var/ossec'), debug: 0 };

const payload = suite('shufflePayload');
payload('keeps shuffle.py key order and merges options at the top level', () => {
  const alert = sampleAlert(4);
  const body = shufflePayload(alert, { pretext: 'Wazuh-X -- Alert generated' });
  assert.is(
    JSON.stringify(body),
    JSON.stringify({
      severity: 3,
      pretext: 'Wazuh-X -- Alert generated',
      title: 'sshd: brute force trying to get access to the system. Non existent user.',
      text: 'May 11 12:29:18 localhost sshd[17584]: Invalid user paco from 172.17.1.1 port 56404',
      rule_id: '5712',
      timestamp: '2022-05-11T12:29:19.905+0000',
      id: '1652272159.1549653',
      all_fields: alert,
    }),
  );
});
payload('uses null where shuffle.py raises KeyError', () => {
  assert.equal(shufflePayload({ rule: {} }, undefined), { severity: 1, pretext: 'WAZUH Alert', title: 'N/A', text: null, rule_id: null, timestamp: null, id: null, all_fields: { rule: {} } });
});
payload.run();

const severity = suite('shuffleSeverity');
severity('maps levels like test_generate_msg_severity: 3→1, 5→2, 7→2, 8→3', () => {
  assert.equal([3, 5, 7, 8].map(shuffleSeverity), [1, 2, 2, 3]);
});
severity.run();

const skip = suite('shuffle skip list');
skip('skips every listed rule id with Wazuh wording and sends the others', () => {
  const b = shuffle.create(blockConfig({ name: 'shuffle', hookUrl: 'https://shuffler.io/api/v1/hooks/webhook_x' }), env);
  assert.is(SHUFFLE_SKIPPED_RULES.size, 14);
  for (const id of SHUFFLE_SKIPPED_RULES) assert.is(b.skip?.({ rule: { id } }), `Skipping rule ${id}`);
  assert.is(b.skip?.(sampleAlert(6)), 'Skipping rule 5710', 'sample 6 is sshd 5710');
  assert.is(b.skip?.(sampleAlert(4)), undefined);
  assert.is(b.skip?.({ rule: { id: 5710 } }), undefined, 'a numeric id is not in the list of strings');
});
skip.run();

const service = suite('shuffle against the Shuffle stand-in');
service('delivers the payload to the hook; a 5xx is retried', async () => {
  const server = await startShuffleStandIn();
  const http = new HttpClient();
  try {
    const b = shuffle.create(blockConfig({ name: 'shuffle', hookUrl: `${server.url}/api/v1/hooks/webhook_1` }), env);
    const [step] = b.plan(sampleAlert(4));
    assert.equal(await sendOnce(http, step), { kind: 'delivered', detail: 'HTTP 200' });
    assert.is((server.received[0]?.json as Record<string, unknown>)['rule_id'], '5712');
    server.script({ status: 502, body: 'Bad Gateway' });
    assert.equal(await sendOnce(http, step), { kind: 'retry', reason: 'HTTP 502: Bad Gateway' });
  } finally {
    await http.close();
    await server.close();
  }
});
service.run();
