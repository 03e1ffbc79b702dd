// 10k fuzzed alert lines and 10 MB lines through seven integrations: the daemon keeps serving, and /metrics accounts for every line.

import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startMaltiverseStandIn } from '../../src/stand-ins/maltiverse.js';
import type { StandIn } from '../../src/stand-ins/stand-in-server.js';
import { EICAR, startVirusTotalStandIn } from '../../src/stand-ins/virustotal.js';
import { fuzzedLines, type FuzzKind } from '../helpers/alert-fuzzer.js';
import { AlertsDir } from '../helpers/alerts-dir.js';
import { DaemonProcess } from '../helpers/daemon-process.js';
import { parseMetrics, sumOf, type Sample } from '../helpers/prometheus-text.js';
import { startRecordingService, type RecordingService } from '../helpers/recording-service.js';
import { writeScript } from '../helpers/scripts.js';

const SEED = 404;
const FUZZED = 10_000;
/** Three 10 MB lines (10× the default --max-line-bytes of 1 MiB), placed among the fuzzed ones. */
const HUGE_AT = [2500, 5000, 7500];
const HUGE_BYTES = 10 * 1024 * 1024;
/** 180 s: seven blocks settling 10k lines (a script run per level-12 alert included); only there so that a hang fails. */
const SETTLE_DEADLINE_MS = 180_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A valid alert every integration takes (level 13, FIM with the EICAR md5, a public source IP). */
const goodAlert = (id: string) =>
  JSON.stringify({
    timestamp: '2026-11-28T01:00:00.000+0000',
    rule: { level: 13, description: 'after the fuzz', id: '554', groups: ['ossec', 'syscheck'] },
    agent: { id: '001', name: 'web-1', ip: '10.0.0.1' },
    manager: { name: 'wazuh-manager' },
    id,
    full_log: "File '/tmp/eicar.com' added",
    syscheck: { path: '/tmp/eicar.com', md5_after: EICAR.md5, sha1_after: EICAR.sha1, sha256_after: EICAR.sha256, event: 'added' },
    data: { srcip: '77.53.9.158' },
    location: 'syscheck',
  });

interface Accounting {
  readonly read: number;
  readonly overlong: number;
  readonly rejected: number;
  readonly prefiltered: number;
  readonly skipped: number;
  readonly delivered: number;
  readonly deadLettered: number;
  readonly inFlight: number;
}

const account = (samples: readonly Sample[], block: number): Accounting => {
  const b = { block: String(block) };
  const rejectedAll = sumOf(samples, 'integratord_lines_rejected_total', b);
  const overlong = sumOf(samples, 'integratord_lines_rejected_total', { ...b, reason: 'overlong' });
  return {
    read: sumOf(samples, 'integratord_lines_read_total', b),
    overlong,
    rejected: rejectedAll - overlong,
    prefiltered: sumOf(samples, 'integratord_lines_prefiltered_total', b),
    skipped: sumOf(samples, 'integratord_alerts_skipped_total', b),
    delivered: sumOf(samples, 'integratord_alerts_delivered_total', b),
    deadLettered: sumOf(samples, 'integratord_alerts_dead_lettered_total', b),
    inFlight: sumOf(samples, 'integratord_deliveries_in_flight', b),
  };
};

/** Every line written is read or rejected as overlong, and every line read has exactly one outcome. */
const balanced = (a: Accounting, written: number) =>
  a.inFlight === 0 && a.read + a.overlong === written && a.read === a.delivered + a.skipped + a.deadLettered + a.rejected + a.prefiltered;

const test = suite('malformed alerts');

test('the daemon survives 10k fuzzed lines, three 10 MB lines, NULs, CRLF and bad UTF-8, and /metrics accounts for every one', async () => {
  const dir = new AlertsDir('fuzz');
  const stands: (StandIn | RecordingService)[] = [];
  let daemon: DaemonProcess | undefined;
  try {
    dir.startDay(1);
    const service = await startRecordingService();
    const virustotal = await startVirusTotalStandIn();
    const maltiverse = await startMaltiverseStandIn();
    stands.push(service, virustotal, maltiverse);
    await writeScript(join(dir.home, 'integrations'), 'custom-fuzz-script', 'cat "$1" > /dev/null\nexit 0', 0o750);
    const blocks = [
      `<name>slack</name><hook_url>${service.url}/services/T0/B0/fuzz</hook_url><alert_format>json</alert_format>`,
      `<name>pagerduty</name><hook_url>${service.url}</hook_url><api_key>fuzz-routing-key</api_key><alert_format>json</alert_format>`,
      `<name>shuffle</name><hook_url>${service.url}/api/v1/hooks/webhook_fuzz</hook_url><alert_format>json</alert_format>`,
      // A real script, fed Wazuh's legacy key=value file (full_log sanitised and cut at max_log); level 12+ keeps the process count sane.
      `<name>custom-fuzz-script</name><level>12</level>`,
      `<name>custom-fuzz-webhook</name><hook_url>${service.url}/fuzz-webhook</hook_url><alert_format>json</alert_format>`,
      `<name>virustotal</name><hook_url>${virustotal.url}</hook_url><api_key>fuzz-vt-key</api_key><alert_format>json</alert_format>`,
      `<name>maltiverse</name><hook_url>${maltiverse.url}</hook_url><api_key>fuzz-mv-key</api_key><alert_format>json</alert_format>`,
    ];
    writeFileSync(join(dir.home, 'etc', 'ossec.conf'), `<ossec_config>${blocks.map((b) => `<integration>${b}</integration>`).join('')}</ossec_config>`);
    const enrichment = join(dir.home, 'enrichment.jsonl');
    daemon = new DaemonProcess(['run', '--home', dir.home, '--http', '127.0.0.1:0', '--enrichment-out', enrichment]);
    await daemon.ready();
    assert.is((await daemon.get('/healthz')).status, 200);

    const { lines, kinds } = fuzzedLines(FUZZED, SEED);
    const huge = Buffer.concat([Buffer.from(goodAlert('huge').slice(0, -1)), Buffer.from(`,"padding":"${'A'.repeat(HUGE_BYTES)}"}`)]);
    let written = 0;
    for (let i = 0; i < lines.length; i += 500) {
      const batch = lines.slice(i, i + 500).flatMap((l, j) => (HUGE_AT.includes(i + j) ? [huge, l] : [l]));
      appendFileSync(dir.alerts, Buffer.concat(batch.flatMap((l) => [l, Buffer.from('\n')])));
      written += batch.length;
    }
    assert.is(written, FUZZED + HUGE_AT.length);

    const started = Date.now();
    let samples = parseMetrics(await daemon.metrics());
    while (!blocks.every((_, i) => balanced(account(samples, i), written)) && Date.now() - started < SETTLE_DEADLINE_MS && daemon.running) {
      await sleep(250);
      samples = parseMetrics(await daemon.metrics());
    }
    const settledSeconds = (Date.now() - started) / 1000;
    const mix = new Map<FuzzKind, number>();
    for (const k of kinds) mix.set(k, (mix.get(k) ?? 0) + 1);
    console.log(`\n  fuzz: ${written} lines (${[...mix].map(([k, n]) => `${n} ${k}`).join(', ')}, ${HUGE_AT.length} × 10 MB), settled in ${settledSeconds.toFixed(1)} s`);
    for (const [i, b] of blocks.entries()) {
      const a = account(samples, i);
      console.log(`    block ${i} ${/<name>([^<]+)/.exec(b)?.[1]}: ${JSON.stringify(a)}`);
      assert.ok(balanced(a, written), `block ${i}: read + overlong = written and outcomes add up to read: ${JSON.stringify(a)}`);
      assert.is(a.overlong, HUGE_AT.length, `block ${i}: the 10 MB lines are rejected as overlong`);
    }
    const rejected = readFileSync(join(dir.home, 'var', 'integratord', 'rejected-lines.jsonl'), 'utf8').trimEnd().split('\n');
    const offsets = new Set(rejected.map((l) => JSON.parse(l).offset as number));
    const first = account(samples, 0);
    assert.is(offsets.size, first.rejected + first.overlong, 'every rejected line is kept in rejected-lines.jsonl');

    // Still alive and useful: /healthz answers, and a valid alert appended now is delivered.
    assert.ok(daemon.running, 'the daemon is still running');
    assert.is((await daemon.get('/healthz')).status, 200);
    appendFileSync(dir.alerts, `${goodAlert('after-fuzz')}\n`);
    written++;
    const deadline = Date.now() + 30_000;
    while (!service.of('/fuzz-webhook').some((r) => r.id === 'after-fuzz') && Date.now() < deadline) await sleep(50);
    assert.ok(service.of('/fuzz-webhook').some((r) => r.id === 'after-fuzz'), 'a valid alert after the garbage is delivered');
    while (!blocks.every((_, i) => balanced(account(samples, i), written)) && Date.now() < deadline) {
      await sleep(100);
      samples = parseMetrics(await daemon.metrics());
    }
    for (let i = 0; i < blocks.length; i++) assert.ok(balanced(account(samples, i), written), `block ${i} accounts for the last alert too`);
    assert.ok(readFileSync(enrichment, 'utf8').includes('after-fuzz'), 'VirusTotal wrote its event for the valid alert');

    const exit = await daemon.stop('SIGTERM');
    assert.equal(exit, { code: 0, signal: null });
    assert.not.match(daemon.stderr, /CRITICAL|BlockStopped|Unhandled|^\s+at .+:\d+:\d+\)?$/m, 'no crash, no stack trace on stderr');
  } finally {
    if (daemon?.running) await daemon.stop('SIGKILL');
    await Promise.all(stands.map((s) => s.close()));
    dir.remove();
  }
});

test.run();
