// Every command with distinctive secrets configured: none of them may appear in anything we print or write.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startMaltiverseStandIn } from '../src/stand-ins/maltiverse.js';
import { startPagerDutyStandIn } from '../src/stand-ins/pagerduty.js';
import { startShuffleStandIn } from '../src/stand-ins/shuffle.js';
import { startSlackStandIn } from '../src/stand-ins/slack.js';
import { startStandIn, type StandIn } from '../src/stand-ins/stand-in-server.js';
import { startVirusTotalStandIn } from '../src/stand-ins/virustotal.js';
import { startWebhookStandIn } from '../src/stand-ins/webhook.js';
import { AlertsDir } from './helpers/alerts-dir.js';
import { closedPort } from './helpers/closed-port.js';
import { fixturePath } from './helpers/fixture-path.js';
import { writeOssecConf } from './helpers/ossec-conf.js';
import { writeScript } from './helpers/scripts.js';
import { runCli, spawnCli } from './helpers/spawned-cli.js';

/** Distinctive values: every api_key, and the token parts of every hook_url path. */
const SECRETS = {
  slackTeam: 'TSECRETA1',
  slackBot: 'BSECRETB2',
  slackToken: 'slackHOOKsecret77',
  pagerduty: 'pdROUTINGsecret88',
  shuffle: 'shuffleHOOKsecret99',
  virustotal: 'vtAPIsecret4242',
  maltiverse: 'mvTOKENsecret5151',
  siemPath: 'siemPATHsecret6161',
  siemKey: 'siemKEYsecret7171',
  refusedPath: 'refusedPATHsecret8181',
  downPath: 'downPATHsecret9191',
  scriptKey: 'scriptKEYsecret3131',
  scriptHook: 'scriptHOOKsecret2121',
};
const SAMPLES = fixturePath('wazuh-alert-samples.jsonl');
const ALERTS = readFileSync(SAMPLES, 'utf8').split('\n').filter((l) => l.trim() !== '');
const BLOCKS = 9;

/** What a command printed or wrote, by name, to be searched for secrets. */
const artefacts = new Map<string, string>();
const keep = (name: string, text: string) => artefacts.set(name, text);
/** Every file under `dir`, recursively. */
const keepFiles = (label: string, dir: string) => {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const path = join(dir, entry);
    if (statSync(path).isFile()) keep(`${label}/${entry}`, readFileSync(path, 'utf8'));
  }
};

/** alerts settled per block (delivered, skipped, dead-lettered, rejected or prefiltered) from /metrics text. */
const settledPerBlock = (metrics: string): number[] => {
  const settled = new Array<number>(BLOCKS).fill(0);
  for (const m of metrics.matchAll(/^integratord_(?:alerts_delivered|alerts_skipped|alerts_dead_lettered|lines_rejected|lines_prefiltered)_total\{block="(\d+)"[^}]*\} (\d+)$/gm)) {
    settled[Number(m[1])] = (settled[Number(m[1])] ?? 0) + Number(m[2]);
  }
  return settled;
};

const secrets = suite('secrets never reach what integratord prints or writes');
let dir: AlertsDir;
let services: StandIn[] = [];
let slack: StandIn;
let pagerduty: StandIn;
let virustotal: StandIn;

secrets.before(async () => {
  dir = new AlertsDir('secrets');
  let shuffle: StandIn, maltiverse: StandIn, webhook: StandIn, refusing: StandIn;
  [slack, pagerduty, shuffle, virustotal, maltiverse, webhook, refusing] = await Promise.all([
    startSlackStandIn(),
    startPagerDutyStandIn(),
    startShuffleStandIn(),
    startVirusTotalStandIn({ apiKey: SECRETS.virustotal }),
    startMaltiverseStandIn(),
    startWebhookStandIn(),
    startStandIn({ answer: () => ({ status: 400, body: 'refused' }) }),
  ]);
  services = [slack, pagerduty, shuffle, virustotal, maltiverse, webhook, refusing];
  const down = await closedPort();
  await writeScript(join(dir.home, 'integrations'), 'custom-script', 'echo "failed"\nexit 1', 0o750);
  const json = '<alert_format>json</alert_format>';
  writeOssecConf(
    dir.home,
    `<name>slack</name>\n<hook_url>${slack.url}/services/${SECRETS.slackTeam}/${SECRETS.slackBot}/${SECRETS.slackToken}</hook_url>\n${json}`,
    `<name>pagerduty</name>\n<api_key>${SECRETS.pagerduty}</api_key>\n<hook_url>${pagerduty.url}/v2/enqueue</hook_url>\n${json}`,
    `<name>shuffle</name>\n<hook_url>${shuffle.url}/api/v1/hooks/webhook_${SECRETS.shuffle}</hook_url>\n${json}`,
    `<name>virustotal</name>\n<api_key>${SECRETS.virustotal}</api_key>\n<hook_url>${virustotal.url}</hook_url>\n${json}`,
    `<name>maltiverse</name>\n<api_key>${SECRETS.maltiverse}</api_key>\n<hook_url>${maltiverse.url}</hook_url>\n${json}`,
    `<name>custom-siem</name>\n<hook_url>${webhook.url}/in/${SECRETS.siemPath}</hook_url>\n<api_key>${SECRETS.siemKey}</api_key>\n${json}`,
    `<name>custom-refused</name>\n<hook_url>${refusing.url}/in/${SECRETS.refusedPath}</hook_url>\n${json}`,
    `<name>custom-down</name>\n<hook_url>http://127.0.0.1:${down}/in/${SECRETS.downPath}</hook_url>\n<retries>0</retries>\n${json}`,
    `<name>custom-script</name>\n<api_key>${SECRETS.scriptKey}</api_key>\n<hook_url>https://example.invalid/${SECRETS.scriptHook}</hook_url>\n<retries>0</retries>\n${json}`,
  );
});
secrets.after(async () => {
  await Promise.all(services.map((s) => s.close()));
  dir.remove();
});

secrets('the daemon (-dd, --log-file, /metrics, /healthz, SIGHUP, SIGTERM) and its state files', async () => {
  const logFile = join(dir.home, 'logs', 'integratord.log');
  dir.appendRaw('');
  const cli = spawnCli(['run', '--home', dir.home, '--http', '127.0.0.1:0', '--grace', '1', '-dd', '--log-file', logFile, '--enrichment-out', join(dir.home, 'events.jsonl')]);
  const log = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');
  try {
    await cli.until(() => log().includes('INFO: Following '), 'the daemon following alerts.json');
    const base = /Metrics on (http:\/\/127\.0\.0\.1:\d+)\/metrics/.exec(log())?.[1] ?? '';
    dir.append(ALERTS);
    let metrics = '';
    const poll = setInterval(() => void fetch(`${base}/metrics`).then(async (r) => (metrics = await r.text()), () => undefined), 50);
    try {
      await cli.until(() => settledPerBlock(metrics).every((n) => n === ALERTS.length), 'every alert settled in every block');
    } finally {
      clearInterval(poll);
    }
    keep('GET /metrics', metrics);
    keep('GET /healthz', await (await fetch(`${base}/healthz`)).text());
    const from = log().length;
    cli.kill('SIGHUP');
    await cli.until(() => log().slice(from).includes('Configuration reloaded'), 'the reload');
    cli.kill('SIGTERM');
    assert.is((await cli.exited()).code, 0);
  } finally {
    await cli.dispose();
  }
  keep('run: stdout', cli.stdout());
  keep('run: stderr', cli.stderr());
  keep('run: log file', log());
  keep('run: events.jsonl', readFileSync(join(dir.home, 'events.jsonl'), 'utf8'));
  keepFiles('state', join(dir.home, 'var', 'integratord'));
  assert.match(log(), 'AlertDeadLettered', 'failures were logged');
  assert.ok(readdirSync(join(dir.home, 'var', 'integratord', 'dead-letter')).some((f) => /^custom-down-[0-9a-f]{8}\.jsonl$/.test(f)));
});

secrets('replay (delivering and --dry-run), check, explain, send-test and dlq list', async () => {
  const home = ['--home', dir.home];
  const runs = await Promise.all([
    runCli(['replay', SAMPLES, ...home, '-dd', '--state', join(dir.home, 'replay-state'), '--enrichment-out', join(dir.home, 'replay-events.jsonl')]),
    runCli(['replay', SAMPLES, ...home, '-dd', '--dry-run', '--state', join(dir.home, 'dry-state')]),
    runCli(['check', ...home]),
    runCli(['explain', SAMPLES, ...home]),
  ]);
  const more = await Promise.all([runCli(['explain', SAMPLES, ...home, '--json']), runCli(['dlq', 'list', ...home]), runCli(['dlq', 'list', ...home, '--state', join(dir.home, 'replay-state')])]);
  const names = ['replay', 'replay --dry-run', 'check', 'explain', 'explain --json', 'dlq list', 'dlq list (replay state)'];
  [...runs, ...more].forEach((r, i) => {
    keep(`${names[i]}: stdout`, r.stdout);
    keep(`${names[i]}: stderr`, r.stderr);
  });
  assert.is(runs[0]?.code, 3, 'replay dead-lettered the refused ones');
  assert.ok((runs[1]?.stdout.split('\n').length ?? 0) > 20, 'the dry run printed its requests');
  assert.match(more[1]?.stdout ?? '', 'custom-refused');
  const sent = await Promise.all(
    Array.from({ length: BLOCKS }, (_, block) => runCli(['send-test', '--block', String(block), ...home, '--enrichment-out', join(dir.home, 'send-test-events.jsonl')])),
  );
  sent.forEach((r, block) => {
    keep(`send-test --block ${block}: stdout`, r.stdout);
    keep(`send-test --block ${block}: stderr`, r.stderr);
  });
  keepFiles('replay state', join(dir.home, 'replay-state'));
  keepFiles('dry-run state', join(dir.home, 'dry-state'));
  keep('replay events', readFileSync(join(dir.home, 'replay-events.jsonl'), 'utf8'));
  keep('send-test events', readFileSync(join(dir.home, 'send-test-events.jsonl'), 'utf8'));
});

secrets('none of them shows any secret; the services did receive them', () => {
  const leaks: string[] = [];
  for (const [name, text] of artefacts) {
    for (const [what, secret] of Object.entries(SECRETS)) {
      const at = text.indexOf(secret);
      if (at !== -1) leaks.push(`${name} shows ${what}: …${text.slice(Math.max(0, at - 80), at + secret.length + 20)}…`);
    }
  }
  assert.equal(leaks, []);
  assert.ok(artefacts.size > 30, `${artefacts.size} outputs searched`);
  assert.ok(slack.received.some((r) => r.url.includes(SECRETS.slackToken)));
  assert.ok(pagerduty.received.some((r) => (r.json as { routing_key?: string }).routing_key === SECRETS.pagerduty));
  assert.ok(virustotal.received.some((r) => r.url.includes(SECRETS.virustotal)));
});

secrets.run();
