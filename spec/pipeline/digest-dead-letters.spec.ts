// A digest that fails is dead letters that carry every alert it held (bounded), and `dlq redrive` sends the same digest form again.

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createDlqCommand } from '../../src/cli/dlq.js';
import { loadConfigFile } from '../../src/config/load.js';
import { DeadLetterStore } from '../../src/delivery/dead-letter.js';
import { lazyQueueWriter } from '../../src/delivery/open-queue-writer.js';
import type { DigestBatch } from '../../src/noise/noise-state.js';
import { batchOfDeadLetter, digestDeadLetters, MAX_DIGEST_DEAD_LETTER_ALERTS, MAX_DIGEST_DEAD_LETTER_BYTES } from '../../src/pipeline/digest-dead-letters.js';
import { Integrator } from '../../src/pipeline/integrator.js';
import { startStandIn, type StandIn } from '../../src/stand-ins/stand-in-server.js';
import { wazuhPaths } from '../../src/wazuh-home.js';
import { captureIo } from '../helpers/capture-io.js';
import { captureLog } from '../helpers/capture-log.js';
import { ossecConf } from '../helpers/ossec-conf.js';
import { writeScript } from '../helpers/scripts.js';
import { sampleAlert } from '../helpers/sample-alerts.js';
import { tempDir } from '../helpers/temp-dir.js';

const BASE = { time: '2026-12-01T10:00:00.000Z', block_id: 'custom-x-12345678', block: 0, integration: 'custom-x', attempts: 1, status: 500, reason: 'HTTP 500', cause: 'http_5xx' as const, retryable: true };

const batchOf = (alerts: readonly Record<string, unknown>[]): DigestBatch => ({ reason: 'group', key: '["5712"]', group: { 'rule.id': '5712' }, held: alerts.map((alert, seq) => ({ alert, seq })) });

const unit = suite('digestDeadLetters');

unit('one dead letter carries every held alert, its alert-shaped form as `alert`', () => {
  const alerts = Array.from({ length: 10 }, (_, i) => ({ ...sampleAlert(4), id: `D${i}` }));
  const [record, ...more] = digestDeadLetters(batchOf(alerts), BASE);
  assert.is(more.length, 0);
  assert.is(record!.digest!.count, 10);
  assert.equal(record!.digest!.alerts.map((a) => a['id']), alerts.map((a) => a.id));
  assert.is((record!.alert['integratord_digest'] as { count: number }).count, 10);
  const rebuilt = batchOfDeadLetter(record!.digest!, 7);
  assert.equal(rebuilt.held.map((h) => h.alert['id']), alerts.map((a) => a.id));
  assert.ok(rebuilt.held.every((h) => h.seq === 7));
  assert.is(rebuilt.key, '["5712"]');
});

unit(`past ${MAX_DIGEST_DEAD_LETTER_ALERTS} alerts or ${MAX_DIGEST_DEAD_LETTER_BYTES / 1024 / 1024} MiB it is split into parts; every alert is in exactly one`, () => {
  const many = Array.from({ length: 2500 }, (_, i) => ({ id: `M${i}`, rule: { id: '5712' } }));
  const parts = digestDeadLetters(batchOf(many), BASE);
  assert.equal(parts.map((p) => p.digest!.count), [1000, 1000, 500]);
  assert.equal(parts.map((p) => `${p.digest!.part}/${p.digest!.parts}`), ['1/3', '2/3', '3/3']);
  assert.equal(parts.flatMap((p) => p.digest!.alerts.map((a) => a['id'])), many.map((a) => a.id));
  const big = Array.from({ length: 5 }, (_, i) => ({ id: `B${i}`, full_log: 'x'.repeat(3 * 1024 * 1024) }));
  const bigParts = digestDeadLetters(batchOf(big), BASE);
  assert.equal(bigParts.map((p) => p.digest!.count), [2, 2, 1]);
  assert.ok(bigParts.every((p) => Buffer.byteLength(JSON.stringify(p.digest!.alerts)) <= MAX_DIGEST_DEAD_LETTER_BYTES));
});

const e2e = suite('a digest through a 500-answering service, then dlq redrive');

e2e('the same digest form again: the webhook its {"digest":…} of every alert, Slack its digest text, PagerDuty its event with the group dedup_key, a script its alert-shaped file; nothing left dead', async () => {
  const log = captureLog(0);
  const dir = await tempDir();
  let up = false;
  let service: StandIn | undefined;
  try {
    service = await startStandIn({ answer: (request) => (!up ? { status: 500, body: 'down' } : request.url.startsWith('/services/') ? { status: 200, body: 'ok' } : { status: 200, body: {} }) });
    const noise = '<group_by>rule.id</group_by>\n<group_wait>1h</group_wait>\n<retries>0</retries>';
    await mkdir(join(dir.path, 'etc'), { recursive: true });
    await writeFile(
      join(dir.path, 'etc', 'ossec.conf'),
      ossecConf(
        `<name>custom-digest</name>\n<hook_url>${service.url}/hook</hook_url>\n<alert_format>json</alert_format>\n${noise}`,
        `<name>slack</name>\n<hook_url>${service.url}/services/T0/B0/digest</hook_url>\n<alert_format>json</alert_format>\n${noise}`,
        `<name>pagerduty</name>\n<hook_url>${service.url}</hook_url>\n<api_key>routing-key-digest</api_key>\n<alert_format>json</alert_format>\n${noise}`,
        `<name>custom-digest-script</name>\n<alert_format>json</alert_format>\n${noise}`,
      ),
    );
    // The script fails (exit 1) until the flag file exists, then keeps the alert file it was given.
    const flag = join(dir.path, 'up');
    const kept = join(dir.path, 'script-received.json');
    await writeScript(join(dir.path, 'integrations'), 'custom-digest-script', `if [ -f '${flag}' ]; then cat "$1" > '${kept}'; exit 0; fi\necho 'not yet' >&2\nexit 1`);
    const ids = Array.from({ length: 10 }, (_, i) => `G${i}`);
    const file = join(dir.path, 'alerts.json');
    await writeFile(file, ids.map((id) => `${JSON.stringify({ ...sampleAlert(4), id })}\n`).join(''));
    const paths = wazuhPaths(dir.path);
    const configs = (await loadConfigFile(paths.config)).integrations;
    const integrator = new Integrator({ paths, input: { kind: 'replay', files: [file] } });
    await integrator.start(configs);
    await integrator.done();
    await integrator.stop(0);

    const store = new DeadLetterStore(paths.state);
    for (const config of configs) {
      const records = await store.records(config.id);
      assert.is(records.length, 1, `${config.name}: one dead letter for the digest`);
      assert.equal(records[0]!.digest!.alerts.map((a) => a['id']), ids, `${config.name}: it carries every held alert`);
    }
    const dlq = createDlqCommand((p) => lazyQueueWriter({ socketPath: p.queueSocket }));
    const listIo = captureIo();
    await dlq.run(['list', '--home', dir.path], listIo);
    assert.is(listIo.out().match(/digest of 10/g)?.length, 4, 'dlq list shows each as a digest of 10');
    const refused = [...service.received];

    up = true;
    await writeFile(flag, '');
    const before = service.received.length;
    const io = captureIo();
    const code = await dlq.run(['redrive', '--home', dir.path], io);
    assert.is(code, 0, io.out() + io.err());
    const sent = service.received.slice(before);
    assert.is(sent.length, 3, 'one message per digest, not one per alert');
    for (const request of sent) {
      const first = refused.find((r) => r.url === request.url);
      assert.equal(request.json, first?.json, `${request.url}: the redriven message is the digest first sent`);
    }
    const pd = sent.find((r) => r.url === '/v2/enqueue')!.json as { dedup_key: string; payload: { summary: string } };
    assert.match(pd.dedup_key, /^integratord-2-[0-9a-f]+$/, 'the group dedup_key');
    const hook = sent.find((r) => r.url === '/hook')!.json as { digest: { count: number; alert_ids: string[] } };
    assert.is(hook.digest.count, 10);
    assert.equal(hook.digest.alert_ids, ids);
    const slack = sent.find((r) => r.url.startsWith('/services/'))!.json as { attachments: { pretext: string }[] };
    assert.match(slack.attachments[0]!.pretext, /^WAZUH Digest: 10 alerts for rule\.id=5712/);
    const scriptAlert = JSON.parse(await readFile(kept, 'utf8')) as { id: string; integratord_digest: { count: number; alert_ids: string[] } };
    assert.is(scriptAlert.id, 'G0', 'the script gets the alert-shaped digest: the first alert…');
    assert.equal([scriptAlert.integratord_digest.count, scriptAlert.integratord_digest.alert_ids], [10, ids], '…with integratord_digest of every alert');
    assert.equal(await store.records(), [], 'nothing left dead');
  } finally {
    await service?.close();
    log.restore();
    await dir.remove();
  }
});

unit.run();
e2e.run();
