// Specs for src/cli/silence.ts (`integratord silence add|list|expire`, and run, replay and explain applying the silences).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/cli.js';
import type { StandIn } from '../../src/stand-ins/stand-in-server.js';
import { startWebhookStandIn } from '../../src/stand-ins/webhook.js';
import { alertLine, receivedIds } from '../helpers/alert-line.js';
import { AlertsDir } from '../helpers/alerts-dir.js';
import { blockIdOf } from '../helpers/block-config.js';
import { captureIo } from '../helpers/capture-io.js';
import { quietDuring } from '../helpers/capture-log.js';
import { DaemonProcess } from '../helpers/daemon-process.js';
import { eventually } from '../helpers/eventually.js';
import { ossecConf, webhookBlock, writeOssecConf } from '../helpers/ossec-conf.js';
import { parseMetrics, sumOf } from '../helpers/prometheus-text.js';

const cli = async (...argv: string[]) => {
  const io = captureIo();
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
};
const stateOf = (dir: AlertsDir) => join(dir.home, 'var', 'integratord');
const fileOf = (dir: AlertsDir) => join(stateOf(dir), 'silences.json');
/** `silence add …` on the home; the id it printed. */
const addSilence = async (dir: AlertsDir, ...argv: string[]): Promise<string> => {
  const r = await cli('silence', 'add', '--home', dir.home, ...argv);
  assert.is(r.code, 0, r.err);
  const id = /^silence ([0-9a-f]{8}) added: /.exec(r.out)?.[1];
  if (id === undefined) throw new Error(`no id in: ${r.out}`);
  return id;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let service: StandIn;
/** A home with two webhook blocks on `service` (/a and /b) and an empty alerts file. */
const home = (label: string): AlertsDir => {
  const dir = new AlertsDir(label);
  writeOssecConf(dir.home, webhookBlock('custom-a', `${service.url}/a`), webhookBlock('custom-b', `${service.url}/b`));
  writeFileSync(dir.alerts, '');
  return dir;
};
const at = (path: string) => receivedIds(service.received.filter((r) => r.url === path));

const commands = suite('silence add, list, expire');
quietDuring(commands);
commands.before(async () => {
  service = await startWebhookStandIn();
});
commands.after(async () => {
  await service.close();
});

commands('add keeps the silence in STATE/silences.json (0600); list shows it; expire ends it; list --all still shows it', async () => {
  const dir = home('silence-cli');
  try {
    const id = await addSilence(dir, '--match', 'rule.id=5710', '--match', 'data.srcip=10.0.0.9', '--for', '2h', '--comment', 'scanner on the DMZ');
    assert.is(statSync(fileOf(dir)).mode & 0o777, 0o600);
    const [kept] = (JSON.parse(readFileSync(fileOf(dir), 'utf8')) as { silences: Record<string, unknown>[] }).silences;
    assert.equal(kept?.['matchers'], [{ field: 'rule.id', value: '5710' }, { field: 'data.srcip', value: '10.0.0.9' }]);
    assert.is(kept?.['comment'], 'scanner on the DMZ');
    assert.not.ok('block' in (kept ?? {}), 'every block');
    const hours = (Date.parse(String(kept?.['expires_at'])) - Date.parse(String(kept?.['created_at']))) / 3_600_000;
    assert.is(hours, 2);

    const listed = await cli('silence', 'list', '--home', dir.home);
    assert.is(listed.code, 0);
    const lines = listed.out.trimEnd().split('\n');
    assert.match(lines[0] ?? '', /^ID\s+STATE\s+BLOCK\s+MATCH\s+EXPIRES\s+COMMENT$/);
    assert.match(lines[1] ?? '', new RegExp(`^${id}\\s+active\\s+every block\\s+rule\\.id=5710, data\\.srcip=10\\.0\\.0\\.9\\s+${String(kept?.['expires_at']).replace(/\./g, '\\.')}\\s+"scanner on the DMZ"$`));

    const expired = await cli('silence', 'expire', id, '--home', dir.home);
    assert.is(expired.code, 0);
    assert.match(expired.out, `silence ${id} expired at `);
    assert.is((await cli('silence', 'list', '--home', dir.home)).out, `no active silences in ${fileOf(dir)}\n`);
    assert.match((await cli('silence', 'list', '--all', '--home', dir.home)).out, new RegExp(`\\n${id}\\s+expired\\s+every block`));
    assert.match((await cli('silence', 'expire', id, '--home', dir.home)).out, `silence ${id} had already expired at `);
  } finally {
    dir.remove();
  }
});

commands('--block takes a block id or a 0-based position in ossec.conf, kept as the block id', async () => {
  const dir = home('silence-cli-block');
  try {
    const byNumber = await addSilence(dir, '--match', 'rule.id=1', '--block', '1', '--for', '5m', '--comment', 'b only');
    const idB = blockIdOf('custom-b', `${service.url}/b`);
    const byId = await addSilence(dir, '--match', 'rule.id=2', '--block', idB, '--for', '5m', '--comment', 'b again');
    const kept = (JSON.parse(readFileSync(fileOf(dir), 'utf8')) as { silences: { id: string; block?: string }[] }).silences;
    assert.equal(kept.map((s) => [s.id, s.block]), [[byNumber, idB], [byId, idB]]);
    const wrong = await cli('silence', 'add', '--home', dir.home, '--match', 'rule.id=1', '--block', '7', '--for', '5m', '--comment', 'x');
    assert.is(wrong.code, 2);
    assert.match(wrong.err, `${join(dir.home, 'etc', 'ossec.conf')} has 2 block(s) (0 to 1)`);
  } finally {
    dir.remove();
  }
});

commands('wrong arguments exit 2 and write nothing; an unknown id exits 1', async () => {
  const dir = home('silence-cli-usage');
  try {
    const cases: [string[], string][] = [
      [['add', '--for', '2h', '--comment', 'x'], 'add needs at least one --match FIELD=VALUE'],
      [['add', '--match', 'rule.id', '--for', '2h', '--comment', 'x'], "--match expects FIELD=VALUE with a dotted alert path (rule.id=5710, data.srcip=10.0.0.1), got 'rule.id'"],
      [['add', '--match', 'rule.id=1', '--comment', 'x'], 'add needs --for DURATION'],
      [['add', '--match', 'rule.id=1', '--for', '2 weeks', '--comment', 'x'], "--for expects a positive duration: seconds, or 30s, 5m, 2h, 1d; got '2 weeks'"],
      [['add', '--match', 'rule.id=1', '--for', '2h'], 'add needs --comment TEXT'],
      [['add', '--match', 'rule.id=1', '--for', '2h', '--comment', 'x', '--all'], '--all only applies to list'],
      [['list', '--match', 'rule.id=1'], '--match only applies to add'],
      [['expire'], 'expire takes exactly one silence ID'],
      [['mute'], "unknown action 'mute'"],
      [[], 'missing action: add, list or expire'],
    ];
    for (const [argv, message] of cases) {
      const r = await cli('silence', ...argv, '--home', dir.home);
      assert.is(r.code, 2, argv.join(' '));
      assert.match(r.err, message, argv.join(' '));
    }
    assert.not.ok(existsSync(fileOf(dir)));
    const unknown = await cli('silence', 'expire', 'deadbeef', '--home', dir.home);
    assert.is(unknown.code, 1);
    assert.match(unknown.err, `no silence 'deadbeef' in ${fileOf(dir)}`);
  } finally {
    dir.remove();
  }
});

commands('a group-writable state directory is refused (exit 1), nothing written', async () => {
  const dir = home('silence-cli-unsafe');
  try {
    chmodSync(stateOf(dir), 0o775);
    const r = await cli('silence', 'add', '--home', dir.home, '--match', 'rule.id=1', '--for', '1h', '--comment', 'x');
    assert.is(r.code, 1);
    assert.match(r.err, `unsafe state directory: ${stateOf(dir)} is group- or world-writable`);
    assert.not.ok(existsSync(fileOf(dir)));
    assert.is((await cli('silence', 'list', '--home', dir.home)).code, 1);
  } finally {
    dir.remove();
  }
});

commands('a silence ends by itself at its time: --for 1s is not listed as active a second later', async () => {
  const dir = home('silence-cli-expiry');
  try {
    const id = await addSilence(dir, '--match', 'rule.id=1', '--for', '1s', '--comment', 'short');
    assert.match((await cli('silence', 'list', '--home', dir.home)).out, new RegExp(`^${id}\\s+active`, 'm'));
    await sleep(1100);
    assert.is((await cli('silence', 'list', '--home', dir.home)).out, `no active silences in ${fileOf(dir)}\n`);
    assert.match((await cli('silence', 'list', '--all', '--home', dir.home)).out, new RegExp(`^${id}\\s+expired`, 'm'));
  } finally {
    dir.remove();
  }
});

commands('--help names the durations and the skip reason', async () => {
  const r = await cli('silence', '--help');
  assert.is(r.code, 0);
  assert.match(r.out, 'seconds, or 30s, 5m, 2h, 1d');
  assert.match(r.out, 'integratord_alerts_skipped_total{reason="silenced"}');
  assert.match((await cli('--help')).out, /\n {2}silence +add, list or expire silences/);
});

commands('replay applies the silences of the state directory: a silenced alert is skipped, the others delivered; --dry-run too', async () => {
  const dir = home('silence-replay');
  try {
    const file = join(dir.home, 'day.json');
    writeFileSync(file, `${[alertLine('R1', { ruleId: '5710' }), alertLine('R2', { ruleId: '5712' })].join('\n')}\n`);
    await addSilence(dir, '--match', 'rule.id=5710', '--block', '0', '--for', '1h', '--comment', 'noisy');
    service.received.length = 0;
    const r = await cli('replay', file, '--home', dir.home, '--no-progress');
    assert.is(r.code, 0, r.err);
    assert.equal(at('/a'), ['R2'], 'block 0: the silenced alert is not sent');
    assert.equal(at('/b').sort(), ['R1', 'R2'], 'block 1: the silence is for block 0 only');
    assert.match(r.err, '#0 custom-a: 1 delivered, 1 skipped');
    assert.match(r.err, '#1 custom-b: 2 delivered, 0 skipped');
    const dry = await cli('replay', file, '--home', dir.home, '--no-progress', '--dry-run', '--block', '0');
    assert.is(dry.code, 0, dry.err);
    assert.equal(dry.out.trim().split('\n').map((l) => (JSON.parse(l) as { alert_id: string }).alert_id), ['R2']);
  } finally {
    dir.remove();
  }
});

commands('a dry-run replay on a group-writable state directory runs without its silences, and says so', async () => {
  const dir = home('silence-replay-unsafe');
  try {
    const file = join(dir.home, 'day.json');
    writeFileSync(file, `${alertLine('U1', { ruleId: '5710' })}\n`);
    await addSilence(dir, '--match', 'rule.id=5710', '--for', '1h', '--comment', 'planted?');
    chmodSync(stateOf(dir), 0o777);
    const dry = await cli('replay', file, '--home', dir.home, '--no-progress', '--dry-run', '--block', '0');
    assert.is(dry.code, 0, dry.err);
    assert.match(dry.err, `integratord replay: silences not applied: unsafe state directory: ${stateOf(dir)} is group- or world-writable`);
    assert.equal(dry.out.trim().split('\n').map((l) => (JSON.parse(l) as { alert_id: string }).alert_id), ['U1']);
  } finally {
    dir.remove();
  }
});

commands('explain names the silence that would skip an alert, in text and JSON; other blocks still send', async () => {
  const dir = home('silence-explain');
  try {
    const file = join(dir.home, 'alert.json');
    writeFileSync(file, alertLine('E1', { ruleId: '5710' }));
    const id = await addSilence(dir, '--match', 'rule.id=5710', '--match', 'agent.name=web-01', '--block', '0', '--for', '1h', '--comment', 'maintenance window');
    const until = (JSON.parse(readFileSync(fileOf(dir), 'utf8')) as { silences: { expires_at: string }[] }).silences[0]?.expires_at;
    const text = await cli('explain', file, '--home', dir.home);
    assert.is(text.code, 0, text.err);
    assert.match(text.out, `→ skipped: silenced by silence ${id} (rule.id=5710, agent.name=web-01; until ${until}; "maintenance window")`);
    assert.match(text.out, /custom-b[^\n]*\n\s+→ sends 1 action/);
    const json = await cli('explain', file, '--home', dir.home, '--json');
    const [a, b] = json.out.trim().split('\n').map((l) => JSON.parse(l) as { verdict: string; why?: string });
    assert.equal([a?.verdict, b?.verdict], ['skipped', 'sends']);
    assert.match(a?.why ?? '', `silenced by silence ${id}`);
    await cli('silence', 'expire', id, '--home', dir.home);
    assert.match((await cli('explain', file, '--home', dir.home)).out, /custom-a[^\n]*\n\s+→ sends 1 action/);
  } finally {
    dir.remove();
  }
});
commands("add --block N with only --home in the README's layout: the blocks in integratord.conf, none in ossec.conf; explain sees them too", async () => {
  const dir = new AlertsDir('silence-layout');
  try {
    writeOssecConf(dir.home);
    writeFileSync(join(dir.home, 'etc', 'integratord.conf'), ossecConf(webhookBlock('custom-a', `${service.url}/a`), webhookBlock('custom-b', `${service.url}/b`)));
    const id = await addSilence(dir, '--block', '1', '--match', 'rule.id=5710', '--for', '1h', '--comment', 'maintenance');
    const [silence] = (JSON.parse(readFileSync(fileOf(dir), 'utf8')) as { silences: { id: string; block?: string }[] }).silences;
    assert.equal([silence?.id, silence?.block], [id, blockIdOf('custom-b', `${service.url}/b`)]);
    const alert = join(dir.home, 'one-alert.json');
    writeFileSync(alert, alertLine('L1', { ruleId: '5710' }));
    const explained = await cli('explain', '--home', dir.home, alert);
    assert.is(explained.code, 0, explained.err);
    assert.match(explained.out, 'custom-a');
    assert.match(explained.out, `silence ${id}`);
  } finally {
    dir.remove();
  }
});
commands.run();

const daemon = suite('silence: a running daemon');
quietDuring(daemon);
daemon.before(async () => {
  service = await startWebhookStandIn();
});
daemon.after(async () => {
  await service.close();
});

daemon('a silence added while the daemon runs applies within a second, without a restart; expiring it lets alerts through again', async () => {
  const dir = home('silence-daemon');
  writeOssecConf(dir.home, webhookBlock('custom-a', `${service.url}/a`));
  const run = new DaemonProcess(['run', '--home', dir.home, '--http', '127.0.0.1:0', '--grace', '1']);
  try {
    await run.ready();
    service.received.length = 0;
    dir.append([alertLine('D0', { ruleId: '5710' })]);
    await eventually(() => at('/a').includes('D0'), 'D0 delivered before any silence');

    const id = await addSilence(dir, '--match', 'rule.id=5710', '--for', '1h', '--comment', 'scan');
    await sleep(1000);
    dir.append([alertLine('D1', { ruleId: '5710' }), alertLine('D2', { ruleId: '5712' })]);
    await eventually(() => at('/a').includes('D2'), 'D2 (not silenced) delivered');
    const silenced = async () => sumOf(parseMetrics(await run.metrics()), 'integratord_alerts_skipped_total', { reason: 'silenced' });
    assert.is(await silenced(), 1, 'D1 skipped as silenced');
    assert.not.ok(at('/a').includes('D1'), 'D1 not sent');
    assert.match(run.stderr, 'SilencesLoaded');

    assert.is((await cli('silence', 'expire', id, '--home', dir.home)).code, 0);
    await sleep(1000);
    dir.append([alertLine('D3', { ruleId: '5710' })]);
    await eventually(() => at('/a').includes('D3'), 'D3 delivered once the silence expired');
    assert.is(await silenced(), 1);
    assert.is((await run.stop()).code, 0);
  } finally {
    await run.stop('SIGKILL');
    dir.remove();
  }
});
daemon.run();
