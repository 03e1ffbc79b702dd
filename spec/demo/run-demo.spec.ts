// Specs for src/demo/run-demo.ts (The demo: the sample config and alerts through the real pipeline against local stand-in services).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runDemo, SAMPLES_DIR } from '../../src/demo/run-demo.js';
import { IntegratordError } from '../../src/errors.js';
import { captureLog } from '../helpers/capture-log.js';
import { expectRejection } from '../helpers/expect-rejection.js';
import { ossecConf, webhookBlock } from '../helpers/ossec-conf.js';
import { sampleAlerts } from '../helpers/sample-alerts.js';
import { tempDirSync } from '../helpers/temp-dir.js';

/** A samples/ directory of the spec's own, and TMPDIR pointed at an empty directory to see what the demo leaves behind. */
const samples = (config: string, alertLines: readonly number[]) => {
  const root = tempDirSync('run-demo');
  const dir = join(root.dir, 'samples');
  const tmp = join(root.dir, 'tmp');
  mkdirSync(dir);
  mkdirSync(tmp);
  writeFileSync(join(dir, 'ossec.conf'), config);
  const all = sampleAlerts();
  writeFileSync(join(dir, 'alerts.json'), `${alertLines.map((n) => JSON.stringify(all[n - 1])).join('\n')}\n`);
  const previous = process.env['TMPDIR'];
  process.env['TMPDIR'] = tmp;
  return {
    dir,
    leftBehind: () => readdirSync(tmp),
    done: () => {
      if (previous === undefined) delete process.env['TMPDIR'];
      else process.env['TMPDIR'] = previous;
      root.remove();
    },
  };
};

const demo = suite('runDemo');

demo('replays the samples through the real pipeline against the stand-ins, reports each block and the write-backs, leaves nothing behind', async () => {
  const s = samples(
    ossecConf(
      webhookBlock('slack', 'https://hooks.slack.com/services/X', '<level>10</level>'),
      '<name>virustotal</name>\n<api_key>REPLACE</api_key>\n<group>syscheck</group>\n<alert_format>json</alert_format>',
      webhookBlock('custom-web', 'https://siem.example.com/in', '<rule_id>31103</rule_id>'),
    ),
    [3, 4, 7, 11],
  );
  const log = captureLog(0);
  try {
    const result = await runDemo(s.dir);
    assert.is(result.delivered, 3);
    assert.is(result.deadLettered, 0);
    const text = result.lines.join('\n');
    assert.match(text, 'samples/ossec.conf (3 blocks) and samples/alerts.json (4 alerts)');
    const rows = result.lines.filter((l) => /^#\d/.test(l)).map((l) => l.split(/ {2,}/).slice(0, 6).join(' '));
    assert.equal(rows, ['#0 slack 1 1 3 0', '#1 virustotal 1 1 3 0', '#2 custom-web 1 1 3 0']);
    assert.match(text, 'Written back to Wazuh (datagrams on a real queue socket): 1 enrichment event\n');
    assert.match(text, /\[001\] \(.*\) .*->virustotal → found 1, malicious 1 \(\d+\/\d+ engines\)/);
    assert.match(text, '3 deliveries, 0 dead-lettered.');
    assert.equal(s.leftBehind(), [], 'the temporary Wazuh home is removed');
    assert.not.match(log.text(), /: (WARNING|ERROR|CRITICAL): /, 'nothing went wrong');
  } finally {
    log.restore();
    s.done();
  }
});

demo("adds samples/integratord.conf's blocks after ossec.conf's, numbered on, pointed at their stand-ins", async () => {
  const s = samples(ossecConf(webhookBlock('slack', 'https://hooks.slack.com/services/X', '<level>10</level>')), [4, 5]);
  writeFileSync(
    join(s.dir, 'integratord.conf'),
    ossecConf('<name>telegram</name>\n<api_key>1:REPLACE</api_key>\n<options>{"chat_id": 7}</options>', webhookBlock('discord', 'https://discord.com/api/webhooks/1/REPLACE')),
  );
  const log = captureLog(0);
  try {
    const result = await runDemo(s.dir);
    const text = result.lines.join('\n');
    assert.match(text, 'samples/ossec.conf + samples/integratord.conf (3 blocks) and samples/alerts.json (2 alerts)');
    const rows = result.lines.filter((l) => /^#\d/.test(l)).map((l) => l.split(/ {2,}/).slice(0, 6).join(' '));
    assert.equal(rows, ['#0 slack 1 1 1 0', '#1 telegram 2 2 0 0', '#2 discord 2 2 0 0']);
    assert.match(text, 'chat 7 "sshd: brute force trying to get access');
  } finally {
    log.restore();
    s.done();
  }
});

demo('rejects an invalid samples/ossec.conf with INTEGRATORD_CONFIG and still removes its home', async () => {
  const s = samples(ossecConf('<name>slack</name>\n<max_log>1</max_log>'), [4]);
  const log = captureLog(0);
  try {
    const error = await expectRejection(() => runDemo(s.dir), /samples\/ossec\.conf has errors/);
    assert.instance(error, IntegratordError);
    assert.is((error as IntegratordError).code, 'INTEGRATORD_CONFIG');
    assert.match(log.text(), 'max_log');
    assert.equal(s.leftBehind(), []);
  } finally {
    log.restore();
    s.done();
  }
});

demo('finds the samples next to src/ (and dist/)', () => {
  assert.ok(existsSync(join(SAMPLES_DIR, 'ossec.conf')));
  assert.ok(existsSync(join(SAMPLES_DIR, 'alerts.json')));
});

demo.run();
