// Distinctive api_key and hook_url values in every block: none shows in logs, output, files, metrics or our process's argv.

import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startMaltiverseStandIn } from '../../src/stand-ins/maltiverse.js';
import type { StandIn } from '../../src/stand-ins/stand-in-server.js';
import { EICAR, startVirusTotalStandIn } from '../../src/stand-ins/virustotal.js';
import { AlertsDir } from '../helpers/alerts-dir.js';
import { DaemonProcess } from '../helpers/daemon-process.js';
import { runCli } from '../helpers/spawned-cli.js';
import { parseMetrics, sumOf } from '../helpers/prometheus-text.js';
import { serviceAnswer, startRecordingService, type RecordingService } from '../helpers/recording-service.js';
import { writeScript } from '../helpers/scripts.js';

/** One distinctive value per secret: found anywhere, it is a leak. */
const SECRET = {
  slackHook: 'S3CR3T-SLACK-HOOK-a81f',
  pagerdutyKey: 'S3CR3T-PD-KEY-b72e',
  pagerdutyHook: 'S3CR3T-PD-HOOK-c63d',
  shuffleHook: 'S3CR3T-SHUFFLE-HOOK-d54c',
  scriptKey: 'S3CR3T-SCRIPT-KEY-e45b',
  scriptHook: 'S3CR3T-SCRIPT-HOOK-f36a',
  webhookHook: 'S3CR3T-WEBHOOK-HOOK-0a27',
  virustotalKey: 'S3CR3T-VT-KEY-1b18',
  maltiverseKey: 'S3CR3T-MV-KEY-2c09',
} as const;
/** Secrets of a broken configuration (check and run refuse it). */
const BROKEN = { key: 'S3CR3T-BAD-CONF-KEY-3d4e', hook: 'S3CR3T-BAD-CONF-HOOK-4e5f', badUrl: 'S3CR3T-BAD-CONF-URL-5f60' } as const;
const ALL = [...Object.values(SECRET), ...Object.values(BROKEN)];
const BLOCKS = 7;

/** A JSON alert every block takes: FIM with the EICAR md5 (VirusTotal finds it), a public IP (Maltiverse looks it up). */
const alert = (n: number) =>
  JSON.stringify({
    timestamp: '2026-11-28T01:00:00.000+0000',
    rule: { level: 12, description: 'File added to the system.', id: '554', groups: ['ossec', 'syscheck'] },
    agent: { id: '001', name: 'web-1', ip: '10.0.0.1' },
    manager: { name: 'wazuh-manager' },
    id: `1764291600.${n}`,
    full_log: "File '/tmp/eicar.com' added",
    syscheck: { path: '/tmp/eicar.com', md5_after: EICAR.md5, sha1_after: EICAR.sha1, sha256_after: EICAR.sha256, event: 'added' },
    data: { srcip: '77.53.9.158' },
    location: 'syscheck',
  });
const ALERTS = [alert(1), '{"not": "closed"', alert(2), 'not json at all', alert(3)];
const VALID_ALERTS = 3;

/** Every file under a directory (recursively), for reading them all. */
const filesUnder = (dir: string): string[] =>
  existsSync(dir) ? readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? filesUnder(join(dir, name)) : [join(dir, name)])) : [];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const test = suite('secrets');

test('no api_key or hook_url shows in logs (json and human, -dd), output, dry-run, check, dlq list, state files, metrics or our argv', async () => {
  const dir = new AlertsDir('secrets');
  const stands: (StandIn | RecordingService)[] = [];
  const daemons: DaemonProcess[] = [];
  /** Where each text came from, for the failure message. */
  const seen: { source: string; text: string }[] = [];
  try {
    // A service that echoes the path of what it refuses, like Express's "Cannot POST /path": the reason carries the token.
    const service = await startRecordingService({
      answer: (request) => (request.url.startsWith('/fail/') ? { status: 404, body: `Cannot POST ${request.url}` } : serviceAnswer(request)),
    });
    const virustotal = await startVirusTotalStandIn({ apiKey: SECRET.virustotalKey });
    const maltiverse = await startMaltiverseStandIn({ token: SECRET.maltiverseKey });
    stands.push(service, virustotal, maltiverse);
    // A custom script gets api_key and hook_url in argv: Wazuh's contract, its own process, not ours.
    // This one prints its argv (logged at -dd) and fails with the hook URL in its last line (the dead-letter reason).
    await writeScript(join(dir.home, 'integrations'), 'custom-leaky', 'echo "argv: $*"\necho "POST $3 failed: token $2 refused" >&2\nexit 1', 0o750);
    const blocks = [
      `<name>slack</name><hook_url>${service.url}/services/T0/B0/${SECRET.slackHook}</hook_url>`,
      `<name>pagerduty</name><api_key>${SECRET.pagerdutyKey}</api_key><hook_url>${service.url}/v2/enqueue?token=${SECRET.pagerdutyHook}</hook_url>`,
      `<name>shuffle</name><hook_url>${service.url}/api/v1/hooks/webhook_${SECRET.shuffleHook}</hook_url>`,
      `<name>custom-leaky</name><api_key>${SECRET.scriptKey}</api_key><hook_url>https://${SECRET.scriptHook}.invalid/hook</hook_url><timeout>2</timeout><retries>1</retries>`,
      `<name>custom-webhook</name><hook_url>${service.url}/fail/${SECRET.webhookHook}</hook_url>`,
      `<name>virustotal</name><api_key>${SECRET.virustotalKey}</api_key><hook_url>${virustotal.url}</hook_url>`,
      `<name>maltiverse</name><api_key>${SECRET.maltiverseKey}</api_key><hook_url>${maltiverse.url}</hook_url>`,
    ];
    assert.is(blocks.length, BLOCKS);
    writeFileSync(join(dir.home, 'etc', 'ossec.conf'), `<ossec_config>${blocks.map((b) => `<integration>${b}<alert_format>json</alert_format></integration>`).join('')}</ossec_config>`);
    dir.startDay(1);
    dir.append(ALERTS);
    const enrichment = join(dir.home, 'enrichment.jsonl');

    for (const format of ['json', 'human'] as const) {
      const state = join(dir.home, `state-run-${format}`);
      const daemon = new DaemonProcess(['run', '--home', dir.home, '--state', state, '--from-beginning', '--http', '127.0.0.1:0', '-dd', '--log-format', format, '--enrichment-out', enrichment]);
      daemons.push(daemon);
      await daemon.ready();
      seen.push({ source: `run ${format}: /proc/${daemon.pid}/cmdline`, text: readFileSync(`/proc/${daemon.pid}/cmdline`, 'utf8').replaceAll('\0', ' ') });
      const deadline = Date.now() + 30_000;
      let metrics = await daemon.metrics();
      const settled = (text: string) => {
        const samples = parseMetrics(text);
        return Array.from({ length: BLOCKS }, (_, b) => String(b)).every((block) => {
          const outcomes = ['integratord_alerts_delivered_total', 'integratord_alerts_dead_lettered_total', 'integratord_alerts_skipped_total'].reduce((t, name) => t + sumOf(samples, name, { block }), 0);
          return outcomes === VALID_ALERTS;
        });
      };
      while (!settled(metrics) && Date.now() < deadline) {
        await sleep(100);
        metrics = await daemon.metrics();
      }
      assert.ok(settled(metrics), `run ${format}: every block settled every alert`);
      assert.ok(sumOf(parseMetrics(metrics), 'integratord_alerts_dead_lettered_total') > 0, 'some deliveries failed (dead letters to inspect)');
      seen.push({ source: `run ${format}: /metrics`, text: metrics }, { source: `run ${format}: /healthz`, text: (await daemon.get('/healthz')).body });
      assert.equal(await daemon.stop('SIGTERM'), { code: 0, signal: null });
      seen.push({ source: `run ${format}: stdout`, text: daemon.stdout }, { source: `run ${format}: stderr`, text: daemon.stderr });
      assert.match(daemon.stderr, 'argv: ', 'the script output is logged at -dd (where its argv could leak)');
    }

    const replay = await runCli(['replay', dir.alerts, '--home', dir.home, '--state', join(dir.home, 'state-replay'), '--enrichment-out', enrichment, '--no-progress']);
    assert.is(replay.code, 3, 'replay: some alerts dead-lettered');
    seen.push({ source: 'replay: stdout', text: replay.stdout }, { source: 'replay: stderr', text: replay.stderr });
    const dryRun = await runCli(['replay', dir.alerts, '--home', dir.home, '--dry-run', '--no-progress']);
    assert.is(dryRun.code, 0);
    assert.match(dryRun.stdout, '**REDACTED**');
    seen.push({ source: 'replay --dry-run: stdout', text: dryRun.stdout }, { source: 'replay --dry-run: stderr', text: dryRun.stderr });
    // The control: with --show-secrets the same output carries every secret, so their absence above means something.
    const shown = await runCli(['replay', dir.alerts, '--home', dir.home, '--dry-run', '--show-secrets', '--no-progress']);
    for (const secret of Object.values(SECRET)) assert.ok(shown.stdout.includes(secret), `--show-secrets prints ${secret}`);

    const check = await runCli(['check', '--home', dir.home]);
    assert.is(check.code, 0, check.stdout);
    seen.push({ source: 'check: stdout', text: check.stdout }, { source: 'check: stderr', text: check.stderr });
    // A broken file around secret values: the errors locate the problem without quoting them.
    const broken = join(dir.home, 'etc', 'broken.conf');
    writeFileSync(
      broken,
      `<ossec_config>\n  <integration>\n    <name>slack</name>\n    <api_key>${BROKEN.key}</api_ky>\n    <hook_url>${BROKEN.hook}\n  </integration>\n</ossec_config>\n` +
        `<ossec_config><integration><name>custom-x</name><hook_url>not a url ${BROKEN.badUrl}</hook_url></integration></ossec_config>\n`,
    );
    for (const args of [['check', '-c', broken], ['run', '-c', broken, '--home', dir.home]]) {
      const refused = await runCli(args);
      assert.is(refused.code, 1, `${args[0]} refuses the broken file`);
      assert.match(refused.stdout + refused.stderr, /broken\.conf:\d+:\d+: /);
      seen.push({ source: `${args[0]} broken.conf: output`, text: refused.stdout + refused.stderr });
    }
    for (const state of ['state-run-json', 'state-run-human', 'state-replay']) {
      const list = await runCli(['dlq', 'list', '--home', dir.home, '--state', join(dir.home, state)]);
      assert.is(list.code, 0);
      assert.match(list.stdout, 'custom-webhook');
      seen.push({ source: `dlq list (${state}): stdout`, text: list.stdout }, { source: `dlq list (${state}): stderr`, text: list.stderr });
      for (const file of filesUnder(join(dir.home, state))) seen.push({ source: file.slice(dir.home.length + 1), text: readFileSync(file, 'utf8') });
    }
    seen.push({ source: 'enrichment-out', text: readFileSync(enrichment, 'utf8') });
    assert.ok(seen.some((s) => s.source.endsWith('rejected-lines.jsonl')), 'the rejected-lines file was checked');
    assert.ok(seen.some((s) => s.source.includes('dead-letter')), 'the dead-letter files were checked');

    const leaks = seen.flatMap(({ source, text }) => ALL.filter((secret) => text.includes(secret)).map((secret) => `${source}: ${secret}`));
    console.log(`\n  secrets: ${ALL.length} secrets (${BLOCKS} blocks and a broken file); ${seen.length} outputs, logs, files and argv read (${(seen.reduce((t, s) => t + s.text.length, 0) / 1024).toFixed(0)} KiB); leaks: ${leaks.length}`);
    assert.equal(leaks, [], 'no secret anywhere');
  } finally {
    await Promise.all(daemons.filter((d) => d.running).map((d) => d.stop('SIGKILL')));
    await Promise.all(stands.map((s) => s.close()));
    dir.remove();
  }
});

test.run();
