// Specs for src/cli/replay.ts (`integratord replay FILE...`: push existing alerts through every block once, then exit with the tally).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { main } from '../../src/cli/cli.js';
import { startSlackStandIn } from '../../src/stand-ins/slack.js';
import { startStandIn, type StandIn } from '../../src/stand-ins/stand-in-server.js';
import { startWebhookStandIn } from '../../src/stand-ins/webhook.js';
import { DISCORD_REPLIES, startDiscordStandIn } from '../../src/stand-ins/discord.js';
import { startTeamsStandIn, TEAMS_REPLIES } from '../../src/stand-ins/teams.js';
import { startTelegramStandIn, TELEGRAM_REPLIES } from '../../src/stand-ins/telegram.js';
import { alertLine, receivedIds } from '../helpers/alert-line.js';
import { AlertsDir, alertLines } from '../helpers/alerts-dir.js';
import { captureIo } from '../helpers/capture-io.js';
import { cardMarkdownTexts, discordLinks, evilAlert, jiraLinks, markdownLinks, slackControls } from '../helpers/markup-links.js';
import { webhookBlock, writeOssecConf } from '../helpers/ossec-conf.js';
import { runCli } from '../helpers/spawned-cli.js';

const TOKEN = 'replaySECRETtoken';
/**
 * R1 and R3 are level 12, R2 level 3; R3 is exactly at the --until of the window spec. The broken
 * line is rejected by both blocks: a line not shaped like an object always reaches JSON.parse,
 * so corruption is reported even by blocks whose prefilter could have skipped it.
 */
const LINES = [
  alertLine('R1', { timestamp: '2026-11-27T10:00:00.000+0000' }),
  alertLine('R2', { level: 3, timestamp: '2026-11-27T12:00:00.000+0000' }),
  '{"broken"',
  alertLine('R3', { timestamp: '2026-11-28T00:00:00.000+0000' }),
];

interface Home {
  readonly dir: AlertsDir;
  readonly file: string;
  readonly webhook: StandIn;
  readonly slack: StandIn;
}
let home: Home;

/** A home with #0 custom-a (level 10) and #1 slack (every alert), and a copy of alerts.json to replay. */
const setUp = async (webhook: StandIn): Promise<Home> => {
  const dir = new AlertsDir('replay');
  const slack = await startSlackStandIn();
  writeOssecConf(dir.home, webhookBlock('custom-a', `${webhook.url}/a`, '<level>10</level>'), webhookBlock('slack', `${slack.url}/services/T0001/B0001/${TOKEN}`));
  const file = join(dir.home, 'alerts-copy.json');
  writeFileSync(file, `${LINES.join('\n')}\n`);
  return { dir, file, webhook, slack };
};
const tearDown = async (h: Home) => {
  await Promise.all([h.webhook.close(), h.slack.close()]);
  h.dir.remove();
};
const replay = (...args: string[]) => runCli(['replay', '--home', home.dir.home, ...args]);
const at = (service: StandIn, path: string) => service.received.filter((r) => r.url === path);
const jsonLines = (stdout: string) =>
  stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as { block: number; integration: string; alert_id: string; request: { url: string; body: unknown } });

const delivering = suite('replay: delivering');
delivering.before(async () => {
  home = await setUp(await startWebhookStandIn());
});
delivering.after(() => tearDown(home));

delivering('exits 0 when every alert is delivered or skipped, and prints the tally of each block', async () => {
  const r = await replay(home.file);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, '#0 custom-a: 2 delivered, 1 skipped, 0 dead-lettered, 1 rejected lines\n');
  assert.match(r.stderr, '#1 slack: 3 delivered, 0 skipped, 0 dead-lettered, 1 rejected lines\n');
  assert.is(r.stdout, '');
  assert.equal(receivedIds(home.webhook.received).sort(), ['R1', 'R3']);
  assert.is(home.slack.count, 3);
});

delivering('reads a .gz archive like a plain file', async () => {
  const gz = join(home.dir.home, 'ossec-alerts-27.json.gz');
  writeFileSync(gz, gzipSync(readFileSync(home.file)));
  const before = home.webhook.count;
  const r = await replay(gz, '--block', '0');
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, '#0 custom-a: 2 delivered, 1 skipped, 0 dead-lettered, 1 rejected lines');
  assert.equal(receivedIds(home.webhook.received.slice(before)).sort(), ['R1', 'R3']);
});

delivering.run();

/** A loopback service answering every POST after `delayMs`; counts the sockets open at once and requests in flight at once. */
const startSocketCounter = async (delayMs: number) => {
  let open = 0;
  let inFlight = 0;
  const seen = { sockets: 0, maxOpen: 0, maxInFlight: 0, requests: 0 };
  const server: Server = createServer((req, res) => {
    inFlight++;
    seen.maxInFlight = Math.max(seen.maxInFlight, inFlight);
    req.resume();
    req.on('end', () => {
      setTimeout(() => {
        inFlight--;
        seen.requests++;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"ok":true}');
      }, delayMs);
    });
  });
  server.on('connection', (socket) => {
    seen.sockets++;
    open++;
    seen.maxOpen = Math.max(seen.maxOpen, open);
    socket.on('close', () => open--);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

const wide = suite('replay --concurrency above 8');

wide('opens more than 8 connections to one destination when asked for 16 deliveries at once', async () => {
  const service = await startSocketCounter(150);
  const dir = new AlertsDir('replay-wide');
  try {
    writeOssecConf(dir.home, webhookBlock('custom-wide', `${service.url}/hook`));
    const file = join(dir.home, 'wide.json');
    writeFileSync(file, `${alertLines('W', 64).join('\n')}\n`);
    const r = await runCli(['replay', '--home', dir.home, '--concurrency', '16', file]);
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stderr, '#0 custom-wide: 64 delivered, 0 skipped, 0 dead-lettered, 0 rejected lines');
    assert.is(service.seen.requests, 64);
    // 8 was the ceiling per origin before --concurrency sized the pool: 16 in flight needs 16 sockets.
    assert.ok(service.seen.maxInFlight > 8, `at most ${service.seen.maxInFlight} requests in flight at once`);
    assert.ok(service.seen.maxOpen > 8, `at most ${service.seen.maxOpen} sockets open at once`);
    assert.ok(service.seen.maxOpen <= 16, `${service.seen.maxOpen} sockets open at once for 16 deliveries`);
  } finally {
    await service.close();
    dir.remove();
  }
});

wide.run();

const decision = suite("replay: check's startup decision");
decision('a <body_template> that renders invalid JSON on the sample alert disables its block, as check says, located: nothing dead-lettered', async () => {
  const dir = new AlertsDir('replay-template');
  const webhook = await startWebhookStandIn();
  try {
    const conf = writeOssecConf(dir.home, webhookBlock('custom-good', `${webhook.url}/good`), webhookBlock('custom-bad', `${webhook.url}/bad`, '<body_template>{"g":[{{#rule.groups}}"{{.}}"{{/rule.groups}}]}</body_template>'));
    const file = join(dir.home, 'alerts-copy.json');
    writeFileSync(file, `${[alertLine('T1'), alertLine('T2')].join('\n')}\n`);
    const checked = await runCli(['check', '--home', dir.home]);
    assert.is(checked.code, 1, checked.stdout);
    const refusal = /^(\S+:\d+:\d+): error: (Unable to enable integration for: 'custom-bad'\. rendering the sample alert: .*)$/m.exec(checked.stdout);
    assert.ok(refusal, checked.stdout);
    assert.match(refusal[1]!, conf);
    const r = await runCli(['replay', '--home', dir.home, file]);
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stderr, `${refusal[1]}: ${refusal[2]}`, 'the message check prints, at the same place');
    assert.match(r.stderr, `#1 custom-bad: disabled (${refusal[2]})`);
    assert.match(r.stderr, '#0 custom-good: 2 delivered');
    assert.equal(receivedIds(at(webhook, '/good')), ['T1', 'T2']);
    assert.equal(at(webhook, '/bad'), []);
    assert.equal(readdirSync(join(dir.home, 'var', 'integratord', 'dead-letter'), { withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name), [], 'no dead letter with attempts=0');
  } finally {
    await webhook.close();
    dir.remove();
  }
});
decision.run();

const refused = suite('replay: a service that refuses');
refused.before(async () => {
  home = await setUp(await startStandIn({ answer: () => ({ status: 422, body: 'refused' }) }));
});
refused.after(() => tearDown(home));

refused('exits 3 and keeps the refused alerts in the dead-letter file', async () => {
  const state = join(home.dir.home, 'state');
  const r = await replay(home.file, '--state', state);
  assert.is(r.code, 3, r.stderr);
  assert.match(r.stderr, '#0 custom-a: 0 delivered, 1 skipped, 2 dead-lettered, 1 rejected lines');
  assert.match(r.stderr, `2 alert(s) dead-lettered in ${state}/dead-letter: see 'integratord dlq list'`);
  const files = readdirSync(join(state, 'dead-letter'));
  assert.equal(files.map((f) => /^custom-a-[0-9a-f]{8}\.jsonl$/.test(f)), [true], 'one file, named by the block id');
  const records = readFileSync(join(state, 'dead-letter', files[0]!), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as { block: number; alert: { id: string }; status: number; reason: string; attempts: number });
  assert.equal(records.map((d) => d.alert.id).sort(), ['R1', 'R3']);
  for (const d of records) {
    assert.is(d.block, 0);
    assert.is(d.status, 422);
    assert.is(d.reason, 'HTTP 422: refused');
    assert.is(d.attempts, 1, '4xx is final: no retry');
  }
});

refused.run();

const dryRun = suite('replay --dry-run');
dryRun.before(async () => {
  home = await setUp(await startWebhookStandIn());
});
dryRun.after(() => tearDown(home));

dryRun('prints only JSON lines on stdout, one per would-be request, secrets redacted, and sends nothing', async () => {
  const r = await replay(home.file, '--dry-run');
  assert.is(r.code, 0, r.stderr);
  const lines = jsonLines(r.stdout);
  assert.equal(lines.map((l) => `${l.block}:${l.alert_id}`).sort(), ['0:R1', '0:R3', '1:R1', '1:R2', '1:R3']);
  const slack = lines.find((l) => l.block === 1);
  assert.is(slack?.integration, 'slack');
  assert.is(slack?.request.url, '**REDACTED**');
  assert.not.match(r.stdout + r.stderr, TOKEN);
  assert.is(home.webhook.count + home.slack.count, 0);
});

dryRun('the summary says what would be delivered, and that nothing was sent', async () => {
  const r = await replay(home.file, '--dry-run');
  assert.match(r.stderr, '#0 custom-a: would deliver 2, 1 skipped, 0 dead-lettered, 1 rejected lines\n');
  assert.match(r.stderr, '#1 slack: would deliver 3, 0 skipped, 0 dead-lettered, 1 rejected lines\n');
  assert.match(r.stderr, 'dry run: nothing was sent\n');
  assert.not.match(r.stderr, / \d+ delivered/);
});

dryRun('--show-secrets prints the hook_url as it is', async () => {
  const r = await replay(home.file, '--dry-run', '--show-secrets', '--block', '1');
  assert.is(r.code, 0, r.stderr);
  const urls = new Set(jsonLines(r.stdout).map((l) => l.request.url));
  assert.equal([...urls], [`${home.slack.url}/services/T0001/B0001/${TOKEN}`]);
});

dryRun('--since and --until keep alerts with since <= timestamp < until', async () => {
  const r = await replay(home.file, '--dry-run', '--block', '1', '--since', '2026-11-27T12:00:00Z', '--until', '2026-11-28T00:00:00Z');
  assert.is(r.code, 0, r.stderr);
  assert.equal(jsonLines(r.stdout).map((l) => l.alert_id), ['R2']);
});

dryRun('--block N runs only that block', async () => {
  const r = await replay(home.file, '--dry-run', '--block', '0');
  assert.is(r.code, 0, r.stderr);
  assert.equal(jsonLines(r.stdout).map((l) => `${l.block}:${l.alert_id}`), ['0:R1', '0:R3']);
  assert.not.match(r.stderr, '#1 slack');
});

dryRun('an unusable state directory: exit 1 before anything is sent; a dry run writes no state and still runs', async () => {
  const file = join(home.dir.home, 'state-is-a-file');
  writeFileSync(file, '');
  const sent = home.webhook.received.length + home.slack.received.length;
  const io = captureIo();
  assert.is(await main(['replay', home.file, '--home', home.dir.home, '--state', file, '--no-progress'], io), 1);
  assert.match(io.err(), `integratord replay: unusable state directory: cannot create ${file} (EEXIST`);
  assert.is(home.webhook.received.length + home.slack.received.length, sent, 'nothing sent');
  const dry = await replay(home.file, '--state', file, '--dry-run');
  assert.is(dry.code, 0, dry.stderr);
});
/** Every file and directory under `dir`, with mode, size and sha256 of the content: a byte-for-byte picture. */
const treeOf = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .map((e) => join(e.parentPath, e.name))
    .sort()
    .map((path) => {
      const st = statSync(path);
      const hash = st.isFile() ? createHash('sha256').update(readFileSync(path)).digest('hex') : 'dir';
      return `${path.slice(dir.length)} ${(st.mode & 0o7777).toString(8)} ${st.size} ${st.mtimeMs} ${hash}`;
    });

dryRun('writes nothing to the state directory: rejected lines go to stderr (counted), the tree stays byte-for-byte the same', async () => {
  const state = join(home.dir.home, 'var', 'integratord');
  // A state directory a daemon has used: an earlier rejected-lines file among the rest.
  const real = await replay(home.file);
  assert.is(real.code, 0, real.stderr);
  const before = treeOf(state);
  assert.ok(before.some((l) => l.startsWith('/rejected-lines.jsonl ')), before.join('\n'));
  for (let run = 0; run < 2; run++) {
    const r = await replay(home.file, '--dry-run');
    assert.is(r.code, 0, r.stderr);
    const printed = r.stderr.split('\n').filter((l) => l.startsWith('integratord replay: rejected line: '));
    assert.is(printed.length, 1, r.stderr);
    assert.equal(JSON.parse(printed[0]!.slice('integratord replay: rejected line: '.length)).line, '{"broken"');
    assert.match(r.stderr, '#1 slack: would deliver 3, 0 skipped, 0 dead-lettered, 1 rejected lines\n');
    assert.equal(treeOf(state), before, `dry run ${run + 1} left the state directory as it was`);
  }
});
dryRun.run();

const files = suite('replay: files that are missing, directories, empty, broken or standard input');
files.before(async () => {
  home = await setUp(await startWebhookStandIn());
});
files.after(() => tearDown(home));

files('exits 1 naming a missing file and a directory, and sends nothing even for the good file given with them', async () => {
  const missing = join(home.dir.home, 'nope.json');
  const r = await replay(home.file, missing, home.dir.root);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, `integratord replay: nothing replayed: ${missing} does not exist; ${home.dir.root} is a directory (give the alert files in it)\n`);
  assert.is(home.webhook.count + home.slack.count, 0);
  assert.not.match(r.stderr, /delivered|    at /);
});

files('prints the summary of every block for an empty file, and exits 0', async () => {
  const empty = join(home.dir.home, 'empty.json');
  writeFileSync(empty, '');
  const r = await replay(empty);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, '#0 custom-a: 0 delivered, 0 skipped, 0 dead-lettered, 0 rejected lines\n');
  assert.match(r.stderr, '#1 slack: 0 delivered, 0 skipped, 0 dead-lettered, 0 rejected lines\n');
});

files('exits 1 when a file breaks mid-way (a cut .gz), after delivering what could be read', async () => {
  const whole = gzipSync(readFileSync(home.file));
  const cut = join(home.dir.home, 'ossec-alerts-28.json.gz');
  writeFileSync(cut, Buffer.concat([whole.subarray(0, whole.length - 12), Buffer.from('not gzip any more')]));
  const r = await replay(cut, '--block', '1', '--dry-run');
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, '1 file(s) could not be read to their end (see the errors above)');
});

files("'-' reads standard input, plain or gzip, for every block (spawned)", async () => {
  for (const input of [readFileSync(home.file), gzipSync(readFileSync(home.file))]) {
    const r = await runCli(['replay', '--home', home.dir.home, '--dry-run', '-'], {}, input);
    assert.is(r.code, 0, r.stderr);
    assert.equal(jsonLines(r.stdout).map((l) => `${l.block}:${l.alert_id}`).sort(), ['0:R1', '0:R3', '1:R1', '1:R2', '1:R3']);
  }
});

files.run();

const usage = suite('replay: wrong arguments');
usage('exits 2 without an alert file (spawned)', async () => {
  const r = await runCli(['replay', '--home', '/nonexistent']);
  assert.is(r.code, 2);
  assert.match(r.stderr, 'integratord replay: give at least one alert file to replay');
});
usage('exits 2 on --show-secrets without --dry-run, a bad time, block or rate', async () => {
  const cases: [string[], string][] = [
    [['--show-secrets'], '--show-secrets only applies to --dry-run'],
    [['--since', 'yesterday'], "--since expects a date/time such as 2026-11-27T00:00:00Z, got 'yesterday'"],
    [['--until', ''], '--until expects a date/time'],
    [['--block', '1st'], "--block expects a block number (0, 1, …), got '1st'"],
    [['--rate', '0'], "--rate expects a positive number, got '0'"],
  ];
  for (const [argv, message] of cases) {
    const io = captureIo();
    assert.is(await main(['replay', 'x.json', '--home', '/nonexistent', ...argv], io), 2, argv.join(' '));
    assert.match(io.err(), message);
  }
});
usage("exits 2 when '-' is given twice", async () => {
  const io = captureIo();
  assert.is(await main(['replay', '-', '-', '--home', '/nonexistent'], io), 2);
  assert.match(io.err(), "'-' (standard input) can be given only once");
});
usage('exits 1 when ossec.conf cannot be read', async () => {
  const io = captureIo();
  assert.is(await main(['replay', 'x.json', '--home', '/nonexistent'], io), 1);
  assert.match(io.err(), 'cannot read /nonexistent/etc/ossec.conf');
});
usage.run();

const chat = suite('replay: teams, telegram and discord');
chat('every alert reaches each chat service although each answers its own 429 first: a wait and a retry, no loss, no token in the output', async () => {
  const [teams, telegram, discord] = await Promise.all([startTeamsStandIn(), startTelegramStandIn(), startDiscordStandIn()]);
  teams.script(TEAMS_REPLIES.throttled(1));
  telegram.script(TELEGRAM_REPLIES.tooManyRequests(1));
  discord.script(DISCORD_REPLIES.rateLimited(0.4));
  const dir = new AlertsDir('replay-chat');
  try {
    const botToken = '424242:ReplayBotTokenSecret';
    const conf = join(dir.home, 'etc', 'integratord.conf');
    writeFileSync(
      conf,
      `<ossec_config>
  <integration><name>teams</name><hook_url>${teams.url}/workflows/w/triggers/manual/paths/invoke?sig=TeamsSigSecret</hook_url><alert_format>json</alert_format></integration>
  <integration><name>telegram</name><hook_url>${telegram.url}</hook_url><api_key>${botToken}</api_key><options>{"chat_id": 99}</options><alert_format>json</alert_format></integration>
  <integration><name>discord</name><hook_url>${discord.url}/api/webhooks/1/DiscordHookSecret</hook_url><alert_format>json</alert_format></integration>
</ossec_config>
`,
    );
    const file = join(dir.home, 'chat-alerts.json');
    writeFileSync(file, `${[alertLine('C1'), alertLine('C2')].join('\n')}\n`);
    const r = await runCli(['replay', '--home', dir.home, '-c', conf, file]);
    assert.is(r.code, 0, r.stderr);
    assert.equal([teams.count, telegram.count, discord.count], [3, 3, 3], 'one 429 and two deliveries each');
    const delivered = (s: StandIn) => s.received.slice(1).map((q) => q.body);
    assert.ok(delivered(teams).every((b) => b.includes('spec alert C')) && delivered(telegram).every((b) => b.includes('spec alert C')));
    assert.equal(delivered(discord).map((b) => /spec alert (C\d)/.exec(b)?.[1]).sort(), ['C1', 'C2']);
    assert.ok(telegram.received.every((q) => q.url === `/bot${botToken}/sendMessage`));
    const retried = telegram.received.at(-1)?.receivedAt ?? 0;
    assert.ok(retried - (telegram.received[0]?.receivedAt ?? 0) >= 900, 'telegram waited its retry_after (1 s) before the retry');
    assert.not.match(r.stdout + r.stderr, /ReplayBotTokenSecret|TeamsSigSecret|DiscordHookSecret/);
  } finally {
    await Promise.all([teams.close(), telegram.close(), discord.close()]);
    dir.remove();
  }
});
chat.run();

const noiseControl = suite('replay: noise control (group digests on the alerts clock, --dry-run --summary)');
const NOISY = [
  ...Array.from({ length: 10 }, (_, i) => alertLine(`N${i}`, { ruleId: '5712', timestamp: `2026-11-27T10:00:${String(i * 5).padStart(2, '0')}.000+0000` })),
  alertLine('O1', { ruleId: '5716', timestamp: '2026-11-27T10:01:00.000+0000' }),
];
const noisyHome = (webhook: StandIn) => {
  const dir = new AlertsDir('replay-noise');
  writeOssecConf(dir.home, webhookBlock('custom-a', `${webhook.url}/a`, '<group_by>rule.id</group_by><group_interval>5m</group_interval>'));
  const file = join(dir.home, 'archive.json');
  writeFileSync(file, `${NOISY.join('\n')}\n`);
  return { dir, file };
};
noiseControl('replay delivers the first alert of each group and one digest of the rest, every alert settled', async () => {
  const webhook = await startWebhookStandIn();
  const { dir, file } = noisyHome(webhook);
  try {
    const r = await runCli(['replay', '--home', dir.home, file, '--no-progress']);
    assert.is(r.code, 0, r.stderr);
    const bodies = webhook.received.map((q) => q.json as Record<string, unknown>);
    assert.equal(bodies.filter((b) => !('digest' in b)).map((b) => b['id']).sort(), ['N0', 'O1']);
    const digest = bodies.find((b) => 'digest' in b)?.['digest'] as Record<string, unknown>;
    assert.equal({ count: digest['count'], ids: digest['alert_ids'], group: digest['group'] }, { count: 9, ids: ['N1', 'N2', 'N3', 'N4', 'N5', 'N6', 'N7', 'N8', 'N9'], group: { 'rule.id': '5712' } });
    assert.match(r.stderr, '#0 custom-a: 11 delivered, 0 skipped, 0 dead-lettered, 0 rejected lines');
  } finally {
    await webhook.close();
    dir.remove();
  }
});
noiseControl('--dry-run --summary previews the reduction and prints the digest with a digest field; --summary needs --dry-run; --clock is checked', async () => {
  const webhook = await startWebhookStandIn();
  const { dir, file } = noisyHome(webhook);
  try {
    const r = await runCli(['replay', '--home', dir.home, file, '--dry-run', '--summary', '--no-progress']);
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stderr, '#0 custom-a: 11 matched; messages without noise control 11, with 3 (72.7% fewer)\n');
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.is(lines.length, 3);
    assert.equal(lines.find((l) => 'digest' in l)?.['digest'], { reason: 'group', key: '["5712"]', count: 9 });
    assert.is(webhook.count, 0, 'nothing sent');
    const usage = await runCli(['replay', '--home', dir.home, file, '--summary']);
    assert.is(usage.code, 2);
    assert.match(usage.stderr, '--summary only applies to --dry-run');
    const clock = await runCli(['replay', '--home', dir.home, file, '--dry-run', '--clock', 'sundial']);
    assert.is(clock.code, 2);
    assert.match(clock.stderr, "--clock expects alerts or wall, got 'sundial'");
  } finally {
    await webhook.close();
    dir.remove();
  }
});
noiseControl.run();

const evil = suite('replay --dry-run: the evil alert of issue 20');
evil('teams, thehive, jira and discord would send no link or image syntax pointing outside; slack keeps Wazuh\'s bytes', async () => {
  const dir = new AlertsDir('replay-evil');
  try {
    const hook = 'http://127.0.0.1:9';
    writeOssecConf(
      dir.home,
      webhookBlock('teams', `${hook}/flow`),
      webhookBlock('thehive', hook, '<api_key>hive-key-0123456789</api_key>'),
      webhookBlock('jira', hook, '<api_key>soc@example.com:jira-token-0123</api_key>\n<options>{"project": "SEC", "issue_type": "Task"}</options>'),
      webhookBlock('discord', `${hook}/api/webhooks/1/TOKEN-0123456789abcdef`),
      webhookBlock('slack', `${hook}/services/T/B/${TOKEN}`),
      webhookBlock('slack', `${hook}/services/T/B/${TOKEN}`, '<escape_markup>yes</escape_markup>'),
    );
    const { id: _id, ...alert } = evilAlert();
    const file = join(dir.home, 'evil.json');
    writeFileSync(file, `${JSON.stringify(alert)}\n`);
    const r = await runCli(['replay', '--home', dir.home, '--dry-run', file]);
    assert.is(r.code, 0, r.stderr);
    const lines = jsonLines(r.stdout);
    const body = (name: string) => lines.find((l) => l.integration === name)?.request.body as Record<string, unknown> | undefined;
    assert.equal(cardMarkdownTexts(body('teams')), ['WAZUH Alert'], 'no alert text in a Markdown element of the card');
    assert.match(JSON.stringify(body('teams')), 'web-01 [Open in Wazuh](https://evil.example/wazuh)', 'shown as plain text in a TextRun');
    assert.equal(markdownLinks(String(body('thehive')?.['description'])), []);
    assert.equal(jiraLinks(String((body('jira')?.['fields'] as Record<string, unknown>)['description'])), []);
    const embed = (body('discord')?.['embeds'] as Record<string, unknown>[])[0] ?? {};
    for (const text of [embed['title'], embed['description'], ...(embed['fields'] as { value: string }[]).map((f) => f.value)]) assert.equal(discordLinks(String(text)), [], String(text));
    const slack = (body('slack')?.['attachments'] as Record<string, unknown>[])[0];
    assert.is(slack?.['title'], (alert['rule'] as Record<string, unknown>)['description'], "slack.py's bytes: the title as the alert has it");
    assert.ok(slackControls(JSON.stringify(slack)).length >= 3, 'mentions and links as Wazuh sends them');
    const escaped = lines.find((l) => l.integration === 'slack' && l.block === 5)?.request.body as Record<string, unknown> | undefined;
    assert.equal(slackControls(JSON.stringify(escaped)), [], 'with <escape_markup>yes, none left');
  } finally {
    dir.remove();
  }
});
evil.run();
