// Specs for src/cli/explain.ts (`integratord explain ALERT_FILE`: per block, taken or not and why, then exactly what would be sent).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/cli.js';
import { readAlerts } from '../../src/cli/explain.js';
import { ENRICHMENT_CACHE_FILE } from '../../src/integrations/enrichment-cache-file.js';
import { alertLine } from '../helpers/alert-line.js';
import { AlertsDir } from '../helpers/alerts-dir.js';
import { blockIdOf } from '../helpers/block-config.js';
import { captureIo } from '../helpers/capture-io.js';
import { webhookBlock, writeOssecConf } from '../helpers/ossec-conf.js';
import { runCli } from '../helpers/spawned-cli.js';

const TOKEN = 'explainSECRETtoken';
const API_KEY = 'pdEXPLAINkey0123';

const reading = suite('readAlerts');
reading('takes one pretty-printed object, an array of objects, or JSON Lines', () => {
  assert.equal(readAlerts('{\n  "id": "1",\n  "rule": {\n    "level": 3\n  }\n}\n'), { alerts: [{ id: '1', rule: { level: 3 } }], problems: [] });
  assert.equal(readAlerts('[{"id":"1"},{"id":"2"}]'), { alerts: [{ id: '1' }, { id: '2' }], problems: [] });
  assert.equal(readAlerts('{"id":"1"}\n\n{"id":"2"}\n'), { alerts: [{ id: '1' }, { id: '2' }], problems: [] });
});
reading('reports what is not an alert, by line, and keeps the rest', () => {
  const r = readAlerts('{"id":"1"}\n[1]\n{"broken"\n"text"\n{"id":"2"}');
  assert.equal(r.alerts, [{ id: '1' }, { id: '2' }]);
  assert.is(r.problems.length, 3);
  assert.is(r.problems[0], 'line 2: not a JSON object');
  assert.match(r.problems[1] ?? '', /^line 3: invalid JSON \(/);
  assert.is(r.problems[2], 'line 4: not a JSON object');
  assert.equal(readAlerts('[{"id":"1"}, 2, null]'), { alerts: [{ id: '1' }], problems: ['array items that are not objects were left out'] });
});
reading.run();

let dir: AlertsDir;
let alerts: string;
const explain = async (...args: string[]) => {
  const io = captureIo();
  const code = await main(['explain', '--home', dir.home, ...args], io);
  return { code, out: io.out(), err: io.err() };
};

const command = suite('integratord explain');
command.before(() => {
  dir = new AlertsDir('explain');
  writeOssecConf(
    dir.home,
    webhookBlock('slack', `http://127.0.0.1:9/services/T0/B0/${TOKEN}`, '<level>10</level>'),
    `<name>pagerduty</name>\n<api_key>${API_KEY}</api_key>\n<hook_url>http://127.0.0.1:9/v2/enqueue</hook_url>`,
    '<name>custom-nofile</name>',
    webhookBlock('shuffle', `http://127.0.0.1:9/api/v1/hooks/${TOKEN}`),
  );
  alerts = join(dir.home, 'alerts.jsonl');
  writeFileSync(alerts, `${alertLine('E1')}\n${alertLine('E2', { level: 5, ruleId: '5710' })}\n{"broken"\n`);
});
command.after(() => dir.remove());

command('says per block: sends (with the request), skipped (with the filter and values), or disabled', async () => {
  const r = await explain(alerts);
  assert.is(r.code, 0);
  const [e1, e2] = r.out.split(/^(?=alert )/m);
  assert.match(e1 ?? '', /^alert E1: rule 5712, level 12, groups \["syslog","sshd"\], location "\/var\/log\/auth\.log"\n/);
  assert.match(e1 ?? '', '  #0 slack: level>=10, hook_url set, json, timeout 10s, retries 3\n    → sends 1 action:\n');
  assert.match(e1 ?? '', '"method": "POST"');
  assert.match(e1 ?? '', '"routing_key": "**REDACTED**"');
  assert.match(e1 ?? '', "→ disabled: Unable to enable integration for: 'custom-nofile'. File not found inside 'integrations'.");
  assert.match(e2 ?? '', '→ skipped: Skipping: Alert level is too low (rule.level 5 < level 10)');
  assert.match(e2 ?? '', '→ skipped: the shuffle integration skips it: Skipping rule 5710');
  assert.match(r.err, /integratord explain: .*alerts\.jsonl: line 3: invalid JSON/);
});

command('never prints an api_key or a hook_url unless --show-secrets', async () => {
  for (const args of [[alerts], [alerts, '--json']]) {
    const r = await explain(...args);
    assert.not.match(r.out + r.err, TOKEN);
    assert.not.match(r.out + r.err, API_KEY);
  }
  const shown = await explain(alerts, '--json', '--show-secrets');
  assert.match(shown.out, `"url":"http://127.0.0.1:9/services/T0/B0/${TOKEN}"`);
  assert.match(shown.out, `"routing_key":"${API_KEY}"`);
});

command('--json prints one object per alert and block', async () => {
  const r = await explain(alerts, '--json');
  assert.is(r.code, 0);
  const lines = r.out
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as { alert_id: string; block: number; integration: string; verdict: string; why?: string; actions?: unknown[] });
  assert.equal(
    lines.map((l) => `${l.alert_id} #${l.block} ${l.verdict}`),
    ['E1 #0 sends', 'E1 #1 sends', 'E1 #2 disabled', 'E1 #3 sends', 'E2 #0 skipped', 'E2 #1 sends', 'E2 #2 disabled', 'E2 #3 skipped'],
  );
  assert.is(lines[1]?.actions?.length, 1);
  assert.is(lines[4]?.why, 'Skipping: Alert level is too low (rule.level 5 < level 10)');
});

command('exits 1 with located errors for an invalid ossec.conf, or an unreadable alert file', async () => {
  const missing = await explain(join(dir.home, 'nope.json'));
  assert.is(missing.code, 1);
  assert.match(missing.err, /cannot read .*nope\.json \(ENOENT\)/);
  const bad = new AlertsDir('explain-bad');
  try {
    const file = writeOssecConf(bad.home, '<name>slack</name>\n<level>high</level>');
    const io = captureIo();
    assert.is(await main(['explain', '--home', bad.home, alerts], io), 1);
    assert.match(io.err(), `${file}:4:5: error: `);
    assert.is(io.out(), '');
  } finally {
    bad.remove();
  }
});

command('exits 1 for a file that holds no JSON alert: not JSON, empty, or JSON that is not an object', async () => {
  for (const [text, message] of [
    ['not json at all\n', /line 1: invalid JSON[^]*holds no JSON alert\n$/],
    ['', /holds no JSON alert \(it is empty\)\n$/],
    ['[1, 2]', /array items that are not objects were left out[^]*holds no JSON alert\n$/],
    ['"text"', /line 1: not a JSON object[^]*holds no JSON alert\n$/],
  ] as const) {
    const file = join(dir.home, 'not-an-alert.json');
    writeFileSync(file, text);
    const r = await explain(file);
    assert.is(r.code, 1, JSON.stringify(text));
    assert.match(r.err, message);
    assert.is(r.out, '');
  }
});

command("'-' reads the alerts from standard input (spawned)", async () => {
  const r = await runCli(['explain', '--home', dir.home, '--json', '-'], {}, `${alertLine('S1')}\n`);
  assert.is(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { alert_id: string; block: number });
  assert.equal(lines.map((l) => `${l.alert_id} #${l.block}`), ['S1 #0', 'S1 #1', 'S1 #2', 'S1 #3']);
  const empty = await runCli(['explain', '--home', dir.home, '-'], {}, '');
  assert.is(empty.code, 1);
  assert.match(empty.stderr, 'integratord explain: standard input holds no JSON alert (it is empty)');
});

command('exits 2 without exactly one ALERT_FILE', async () => {
  assert.is((await explain()).code, 2);
  assert.is((await explain(alerts, alerts)).code, 2);
});

command.run();

const noise = suite('integratord explain: noise control keys and decision');
noise('shows the group and dedup keys and whether the alert would be sent now or held, from the saved state', async () => {
  const home = new AlertsDir('explain-noise');
  try {
    writeOssecConf(home.home, webhookBlock('custom-a', 'http://127.0.0.1:9/a', '<group_by>rule.id,agent.id</group_by><dedup_by>data.srcip</dedup_by>'));
    const file = join(home.home, 'alert.json');
    writeFileSync(file, `${alertLine('X1')}\n`);
    const run = async () => {
      const io = captureIo();
      const code = await main(['explain', '--home', home.home, file], io);
      const json = captureIo();
      await main(['explain', '--home', home.home, '--json', file], json);
      return { code, out: io.out(), json: JSON.parse(json.out().trim()) as { noise?: Record<string, unknown> } };
    };
    const fresh = await run();
    assert.is(fresh.code, 0);
    assert.match(fresh.out, 'noise control: group ["5712","001"], dedup key [null]; now sent');
    assert.equal(fresh.json.noise, { dedup_key: '[null]', group_key: '["5712","001"]', now: 'sent' });
    // The daemon's saved state: this group is open (its first alert went out), so the alert would be held for its digest.
    const noiseDir = join(home.home, 'var', 'integratord', 'noise');
    mkdirSync(noiseDir, { recursive: true });
    writeFileSync(join(noiseDir, `${blockIdOf('custom-a', 'http://127.0.0.1:9/a')}.json`), JSON.stringify({ dedup: {}, groups: { '["5712","001"]': { nextAt: Date.now() + 600_000, firstId: 'X0' } } }));
    const open = await run();
    assert.match(open.out, 'now held (group)');
    assert.match(open.out, '→ held now (group): goes out in a digest; alone it would send 1 action:');
    assert.not.match(open.out, 'sends 1 action', 'never "sends" above "held"');
    assert.equal(open.json.noise?.['now'], 'held');
  } finally {
    home.remove();
  }
});
noise.run();

const lookups = suite('integratord explain: enrichment lookups and the saved cache');
lookups('lists the values an enrichment would look up and whether the daemon\'s saved cache answers them; never the api_key', async () => {
  const home = new AlertsDir('explain-lookups');
  const KEY = 'abuseEXPLAINkey42';
  try {
    writeOssecConf(home.home);
    writeFileSync(
      join(home.home, 'etc', 'integratord.conf'),
      `<ossec_config><integration><name>abuseipdb</name><api_key>${KEY}</api_key><alert_format>json</alert_format></integration></ossec_config>\n`,
    );
    const file = join(home.home, 'alert.json');
    writeFileSync(file, `${JSON.stringify({ ...JSON.parse(alertLine('L1')), data: { srcip: '118.25.6.39', dstip: '8.8.4.4' } })}\n`);
    const run = async () => {
      const io = captureIo();
      const code = await main(['explain', '--home', home.home, file], io);
      const json = captureIo();
      await main(['explain', '--home', home.home, '--json', file], json);
      return { code, out: io.out(), json: JSON.parse(json.out().trim()) as { lookups?: unknown; actions?: { request?: unknown; queue?: unknown }[] } };
    };
    const cold = await run();
    assert.is(cold.code, 0);
    assert.match(cold.out, 'looks up: 118.25.6.39 (asked), 8.8.4.4 (asked)');
    assert.equal(cold.json.lookups, [{ value: '118.25.6.39', cached: false }, { value: '8.8.4.4', cached: false }]);
    const state = join(home.home, 'var', 'integratord');
    mkdirSync(state, { recursive: true });
    const report = { ipAddress: '118.25.6.39', abuseConfidenceScore: 100, totalReports: 9 };
    writeFileSync(join(state, ENRICHMENT_CACHE_FILE), JSON.stringify({ version: 1, caches: { abuseipdb: [['118.25.6.39', report, Date.now() + 600_000]] } }), { mode: 0o600 });
    const warm = await run();
    assert.match(warm.out, 'looks up: 118.25.6.39 (cached), 8.8.4.4 (asked)');
    assert.equal(warm.json.lookups, [{ value: '118.25.6.39', cached: true }, { value: '8.8.4.4', cached: false }]);
    assert.is(warm.json.actions?.filter((a) => a.request !== undefined).length, 1, 'only the uncached address is asked');
    assert.not.ok(`${cold.out}${warm.out}${JSON.stringify(warm.json)}`.includes(KEY));
  } finally {
    home.remove();
  }
});
lookups.run();
