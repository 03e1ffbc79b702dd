// Specs for src/telemetry/log.ts (The one logger: Wazuh-shaped human lines or JSON, with every registered secret scrubbed).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { configureLog, createLogger, log, redactUrl, registerSecret, scrubSecrets, urlSecretParts, withLogger } from '../../src/telemetry/log.js';
import { Secret } from '../../src/config/secret.js';
import { startMaltiverseStandIn } from '../../src/stand-ins/maltiverse.js';
import { startStandIn } from '../../src/stand-ins/stand-in-server.js';
import { alertLine } from '../helpers/alert-line.js';
import { AlertsDir } from '../helpers/alerts-dir.js';
import { writeOssecConf } from '../helpers/ossec-conf.js';
import { writeScript } from '../helpers/scripts.js';
import { runCli, spawnCli } from '../helpers/spawned-cli.js';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const capture = () => {
  const lines: string[] = [];
  return { lines, destination: { write: (chunk: string) => lines.push(chunk) } };
};
const fixed = () => new Date(2026, 10, 28, 1, 2, 3);

const human = suite('createLogger: human lines');
human("writes Wazuh's shape: date, program, level, message", () => {
  const c = capture();
  createLogger({ destination: c.destination, now: fixed }).info("Enabling integration for: 'slack'.");
  assert.equal(c.lines, ["2026/11/28 01:02:03 integratord: INFO: Enabling integration for: 'slack'.\n"]);
});
human('appends fields as key=value, quoting values with spaces', () => {
  const c = capture();
  createLogger({ destination: c.destination, now: fixed }).warning('Invalid JSON alert', { path: '/a b/x', offset: 12 });
  assert.is(c.lines[0], '2026/11/28 01:02:03 integratord: WARNING: Invalid JSON alert path="/a b/x" offset=12\n');
});
human('hides debug lines unless -d, debug2 unless -dd', () => {
  const c = capture();
  const quiet = createLogger({ destination: c.destination, now: fixed });
  quiet.debug('a');
  quiet.debug2('b');
  assert.is(c.lines.length, 0);
  const d1 = createLogger({ debug: 1, destination: c.destination, now: fixed });
  d1.debug('c');
  d1.debug2('d');
  assert.is(c.lines.length, 1);
  assert.ok(d1.enabled('debug'));
  assert.not.ok(d1.enabled('debug2'));
  createLogger({ debug: 2, destination: c.destination, now: fixed }).debug2('e');
  assert.is(c.lines.length, 2);
  assert.match(c.lines[1] ?? '', 'DEBUG: e');
});
human('writes control characters of messages and field values as visible escapes: one call, one line', () => {
  const c = capture();
  const logger = createLogger({ destination: c.destination, now: fixed });
  logger.debug2('x');
  logger.warning('srcip 1.2.3.4\n2031/01/01 10:00:00 integratord: CRITICAL: FORGED', { alert_id: '1\u001b[31mred', output: 'a b\rc\u2028d', n: { k: 'v\u0085' } });
  assert.is(c.lines.length, 1);
  assert.is(
    c.lines[0],
    '2026/11/28 01:02:03 integratord: WARNING: srcip 1.2.3.4\\n2031/01/01 10:00:00 integratord: CRITICAL: FORGED alert_id=1\\x1b[31mred output="a b\\rc\\u2028d" n={"k":"v\\x85"}\n',
  );
  assert.is(c.lines[0]?.split('\n').length, 2, 'the only newline ends the line');
});
human.run();

const json = suite('createLogger: JSON lines');
json('writes one JSON object per line with the fields', () => {
  const c = capture();
  createLogger({ format: 'json', destination: c.destination, now: fixed }).error('AlertDeadLettered', { block: 0, integration: 'slack' });
  const entry = JSON.parse(c.lines[0] ?? '');
  assert.is(entry.level, 'error');
  assert.is(entry.message, 'AlertDeadLettered');
  assert.is(entry.block, 0);
  assert.is(entry.integration, 'slack');
  assert.is(entry.time, fixed().toISOString());
});
json('keeps control characters as JSON escapes they already are: the value reads back exactly', () => {
  const c = capture();
  createLogger({ format: 'json', destination: c.destination, now: fixed }).warning('a\nb', { alert_id: '1\u001b[31m' });
  assert.is(c.lines[0]?.split('\n').length, 2);
  const entry = JSON.parse(c.lines[0] ?? '');
  assert.is(entry.message, 'a\nb');
  assert.is(entry.alert_id, '1\u001b[31m');
});
json.run();

const secrets = suite('registerSecret / scrubSecrets');
secrets('scrubs every registered secret from every line, in both formats', () => {
  registerSecret('xoxb-SPEC-TOKEN-1');
  registerSecret('https://hooks.slack.com/services/T0/B0/SPEC-SECRET-2');
  const c = capture();
  const human = createLogger({ destination: c.destination, now: fixed });
  human.error('failed https://hooks.slack.com/services/T0/B0/SPEC-SECRET-2 with xoxb-SPEC-TOKEN-1');
  createLogger({ format: 'json', destination: c.destination }).info('x', { key: 'xoxb-SPEC-TOKEN-1' });
  assert.not.ok(c.lines.join('').includes('SPEC-SECRET-2'));
  assert.not.ok(c.lines.join('').includes('SPEC-TOKEN-1'));
  assert.is((c.lines.join('').match(/\*\*REDACTED\*\*/g) ?? []).length, 3);
});
secrets('ignores values too short to be told apart from ordinary text', () => {
  registerSecret('ab');
  assert.is(scrubSecrets('tab'), 'tab');
});
secrets('prints Secret objects redacted even when not registered', () => {
  const c = capture();
  createLogger({ destination: c.destination, now: fixed }).info('key', { apiKey: new Secret('never-registered-1234') });
  assert.not.ok(c.lines[0]?.includes('never-registered'));
});
secrets.run();

const parts = suite('urlSecretParts');
parts('gives the URL, its long path and query, long segments and values, user and password', () => {
  assert.equal(urlSecretParts('https://hooks.slack.com/services/T0/B0/SPEC-TOKEN-24-characters'), [
    'https://hooks.slack.com/services/T0/B0/SPEC-TOKEN-24-characters',
    '/services/T0/B0/SPEC-TOKEN-24-characters',
    'SPEC-TOKEN-24-characters',
  ]);
  assert.equal(urlSecretParts('http://u:SPEC-PASSWORD@127.0.0.1:8080/v2/enqueue?token=SPEC-QUERY-TOKEN-1&x=1'), [
    'http://u:SPEC-PASSWORD@127.0.0.1:8080/v2/enqueue?token=SPEC-QUERY-TOKEN-1&x=1',
    '/v2/enqueue?token=SPEC-QUERY-TOKEN-1&x=1',
    'SPEC-QUERY-TOKEN-1',
    'u:SPEC-PASSWORD',
    'SPEC-PASSWORD',
  ]);
  assert.equal(urlSecretParts('https://siem.example.com/alerts'), ['https://siem.example.com/alerts'], 'short paths are not tokens');
  assert.equal(urlSecretParts('not a url SPEC'), ['not a url SPEC']);
});
parts('a short password is a secret with its user only, and the user name alone never: the words "user" and "pass" of a message stay', () => {
  const got = urlSecretParts('https://user:pass@hooks.example/h');
  assert.ok(got.includes('user:pass'), got.join(' '));
  assert.not.ok(got.includes('user') || got.includes('pass'), got.join(' '));
  assert.ok(urlSecretParts('https://user:longer-secret@hooks.example/h').includes('longer-secret'));
  assert.equal(urlSecretParts('https://hooks.example:8443/h'), ['https://hooks.example:8443/h'], 'no credentials, nothing for them');
});
parts('gives every query value whatever its length, but not settings: under 4 characters, common words, short numbers', () => {
  const got = urlSecretParts('https://siem.example.com/in?key=Sh0rtTok3n&verbose=true&format=JSON&page=2026&v=1&sig=abcd&id=12345678');
  for (const secret of ['Sh0rtTok3n', 'abcd', '12345678']) assert.ok(got.includes(secret), `${secret} in ${got.join(' ')}`);
  for (const setting of ['true', 'JSON', '2026', '1']) assert.not.ok(got.includes(setting), `${setting} in ${got.join(' ')}`);
});
parts('gives the percent-decoded form of the URL, its path and query, segments, query values and password', () => {
  const got = urlSecretParts('https://u:p%40ss%2Fw0rd@hooks.example/services/T0/B0/%58%59%5AslackTok3nXYZ12?key=S%68ortTok3n%21');
  for (const decoded of [
    'https://u:p@ss/w0rd@hooks.example/services/T0/B0/XYZslackTok3nXYZ12?key=ShortTok3n!',
    '/services/T0/B0/XYZslackTok3nXYZ12?key=ShortTok3n!',
    'XYZslackTok3nXYZ12',
    'ShortTok3n!',
    'p@ss/w0rd',
  ]) {
    assert.ok(got.includes(decoded), `${decoded} in ${got.join(' ')}`);
  }
  assert.ok(got.includes('%58%59%5AslackTok3nXYZ12') && got.includes('S%68ortTok3n%21'), 'and the forms as written');
  assert.equal(urlSecretParts('https://x.example/%E0%A4%A?q=%zz-not-encoding'), ['https://x.example/%E0%A4%A?q=%zz-not-encoding', '/%E0%A4%A?q=%zz-not-encoding', '%zz-not-encoding'], 'text that does not decode is kept as written');
});
parts.run();

const url = suite('redactUrl');
url('keeps the origin and hides path and query', () => {
  assert.is(redactUrl('https://hooks.slack.com/services/T/B/x'), 'https://hooks.slack.com/**REDACTED**');
  assert.is(redactUrl('https://api.maltiverse.com'), 'https://api.maltiverse.com');
  assert.is(redactUrl('https://www.virustotal.com/vtapi/v2/file/report?apikey=k'), 'https://www.virustotal.com/**REDACTED**');
  assert.is(redactUrl('not a url'), '**REDACTED**');
});
url.run();

const global = suite('log / configureLog');
global('routes the process-wide logger to the configured one and restores the previous', () => {
  const c = capture();
  const previous = configureLog({ destination: c.destination, now: fixed, debug: 1 });
  try {
    log.debug('through the global');
    assert.match(c.lines[0] ?? '', 'DEBUG: through the global');
    assert.ok(log.enabled('debug'));
  } finally {
    configureLog(previous);
  }
  log.debug('not captured');
  assert.is(c.lines.length, 1);
});
global.run();

const scoped = suite('withLogger');
scoped('routes `log` to its logger inside the scope and in what the scope started (timers, promises), the process-wide one elsewhere', async () => {
  const processWide = capture();
  const first = capture();
  const second = capture();
  const previous = configureLog({ destination: processWide.destination, now: fixed });
  try {
    let fire: () => void = () => undefined;
    const later = new Promise<void>((resolve) => (fire = resolve));
    const pending = [
      withLogger(createLogger({ destination: first.destination, now: fixed }), async () => {
        log.info('first, in the scope');
        await later;
        log.info('first, after an await');
        await new Promise((resolve) => setTimeout(resolve, 5));
        log.warning('first, in a timer');
      }),
      withLogger(createLogger({ destination: second.destination, now: fixed, debug: 1 }), async () => {
        await later;
        log.debug('second, after an await');
        assert.ok(log.enabled('debug'));
      }),
    ];
    // Resolved from outside either scope: each continuation keeps its own logger.
    fire();
    log.info('outside');
    assert.not.ok(log.enabled('debug'));
    await Promise.all(pending);
    assert.is(withLogger(undefined, () => (log.info('no logger: process-wide'), 7)), 7);
    const messages = (lines: readonly string[]) => lines.map((l) => l.replace(/^.*?: (INFO|WARNING|DEBUG): /, '').trimEnd());
    assert.equal(messages(first.lines), ['first, in the scope', 'first, after an await', 'first, in a timer']);
    assert.equal(messages(second.lines), ['second, after an await']);
    assert.equal(messages(processWide.lines), ['outside', 'no logger: process-wide']);
  } finally {
    configureLog(previous);
  }
});
scoped.run();

const injection = suite('log injection through the daemon (agent-controlled fields and script output)');
injection('a forged srcip, an ESC in alert_id and a script printing CR and ANSI escapes add no line of their own', async () => {
  const dir = new AlertsDir('log-injection');
  const maltiverse = await startMaltiverseStandIn();
  await writeScript(join(dir.home, 'integrations'), 'custom-noisy', "printf 'half\\r2031/01/01 10:00:00 integratord: CRITICAL: SCRIPT-FORGED\\033[2K\\n' >&2\nexit 1", 0o750);
  writeOssecConf(
    dir.home,
    `<name>maltiverse</name>\n<api_key>log-injection-key</api_key>\n<hook_url>${maltiverse.url}</hook_url>\n<alert_format>json</alert_format>`,
    '<name>custom-noisy</name>\n<alert_format>json</alert_format>',
  );
  dir.appendRaw('');
  const cli = spawnCli(['run', '--home', dir.home, '--grace', '1', '-d']);
  try {
    await cli.waitForLog(/INFO: Following /);
    const forged = '1.2.3.4\n2031/01/01 10:00:00 integratord: CRITICAL: (1202): FORGED';
    dir.append([JSON.stringify({ timestamp: '2026-11-28T01:00:00.000+0000', rule: { level: 12, id: '5712' }, id: '1764291600.1\u001b[31m', data: { srcip: forged, hostname: 'example.org' } })]);
    await cli.waitForLog('Invalid IP address format');
    await cli.waitForLog('Exit status was: 1');
    await maltiverse.waitFor(1);
    cli.kill('SIGTERM');
    await cli.exited();
  } finally {
    await cli.dispose();
    await maltiverse.close();
    dir.remove();
  }
  const stderr = cli.stderr();
  const lines = stderr.split('\n').filter((l) => l !== '');
  const strangers = lines.filter((l) => !/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d integratord: [A-Z]+: /.test(l) || l.startsWith('2031/01/01'));
  assert.equal(strangers, [], 'every line is one of ours');
  assert.not.match(stderr, /[\r\u001b]/, 'no raw CR or ESC');
  assert.match(stderr, '# Maltiverse: Invalid IP address format: 1.2.3.4\\n2031/01/01 10:00:00 integratord: CRITICAL: (1202): FORGED');
  assert.match(stderr, 'alert_id=1764291600.1\\x1b[31m');
  assert.match(stderr, 'Output: half\\r2031/01/01 10:00:00 integratord: CRITICAL: SCRIPT-FORGED\\x1b[2K');
});
injection.run();

const echoed = suite('hook URL parts a service echoes back, through the daemon');
echoed('a short query token and the decoded form of an encoded token are redacted in the log, the dead letter and dlq list', async () => {
  const token = 'XYZechoTok3nSECRET';
  const key = 'Sh0rtTok3n';
  // Like a service that decodes the URL and quotes it in its error.
  const receiver = await startStandIn({
    answer: (request) => {
      const url = new URL(request.url, 'http://receiver');
      return { status: 400, body: `no hook at ${decodeURIComponent(url.pathname)} for key ${url.searchParams.get('key') ?? '-'}` };
    },
  });
  const dir = new AlertsDir('echoed-secrets');
  writeOssecConf(dir.home, `<name>custom-echo</name>\n<hook_url>${receiver.url}/in/%58%59%5AechoTok3nSECRET?key=${key}</hook_url>\n<alert_format>json</alert_format>`);
  dir.appendRaw('');
  const cli = spawnCli(['run', '--home', dir.home, '--grace', '1', '-dd']);
  let list = '';
  let deadLetters = '';
  try {
    await cli.waitForLog(/INFO: Following /);
    dir.append([alertLine('echo-1')]);
    await cli.waitForLog('AlertDeadLettered');
    cli.kill('SIGTERM');
    await cli.exited();
    const deadLetterDir = join(dir.home, 'var', 'integratord', 'dead-letter');
    deadLetters = readdirSync(deadLetterDir).map((f) => readFileSync(join(deadLetterDir, f), 'utf8')).join('');
    list = (await runCli(['dlq', 'list', '--home', dir.home])).stdout;
  } finally {
    await cli.dispose();
    await receiver.close();
    dir.remove();
  }
  assert.ok(receiver.received.some((r) => r.url.includes(`key=${key}`)), 'the service got the key');
  for (const [what, text] of [['log', cli.stderr()], ['dead-letter file', deadLetters], ['dlq list', list]] as const) {
    assert.not.match(text, token, `${what} shows the decoded token`);
    assert.not.match(text, key, `${what} shows the query key`);
    assert.match(text, 'no hook at /in/**REDACTED** for key **REDACTED**', `${what} quotes the refusal, redacted:\n${text}`);
  }
});
echoed.run();
