// A service and a script that echo a secret where the 200-character excerpt is cut: not 8 characters of it in a row anywhere (issue 20).

import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { alertIdOf, startRecordingService } from '../helpers/recording-service.js';
import { AlertsDir } from '../helpers/alerts-dir.js';
import { runCli } from '../helpers/spawned-cli.js';
import { writeScript } from '../helpers/scripts.js';
import { leakedPieces } from '../helpers/secret-pieces.js';

/** Slack's webhook token (24 characters) and a script's api_key. */
const TOKEN = 'SPLITslackHOOKtoken01234';
const KEY = 'SPLITscriptAPIkey0123456';
/** The alerts: alert n has the service echo the token starting at character 176 + 2n of its answer, across the cut at 200. */
const ALERTS = 14;

const filesUnder = (dir: string): string[] =>
  existsSync(dir) ? readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? filesUnder(join(dir, name)) : [join(dir, name)])) : [];

const test = suite('split secrets');
test('a token straddling the excerpt cut shows in no reason, log line, dead letter or dlq list', async () => {
  const dir = new AlertsDir('split-secrets');
  // Slack-like: 404 with the request path echoed after some padding, so the token sits across the cut.
  const service = await startRecordingService({
    answer: (request) => {
      const n = Number((alertIdOf(request) ?? '.0').split('.')[1]);
      const prefix = 'no_service: '.padEnd(176 + 2 * n, 'x');
      return { status: 404, body: `${prefix}${request.url} and more text after it` };
    },
  });
  try {
    await writeScript(join(dir.home, 'integrations'), 'custom-echo', `printf '%0190d%s failed\\n' 0 "$2" >&2\nexit 1`, 0o750);
    const blocks = [
      `<name>slack</name><hook_url>${service.url}/${TOKEN}</hook_url>`,
      `<name>custom-echo</name><api_key>${KEY}</api_key><hook_url>https://hooks.example/x</hook_url><timeout>5</timeout>`,
    ];
    writeFileSync(join(dir.home, 'etc', 'ossec.conf'), `<ossec_config>${blocks.map((b) => `<integration>${b}<alert_format>json</alert_format></integration>`).join('')}</ossec_config>`);
    const lines = Array.from({ length: ALERTS }, (_, n) =>
      JSON.stringify({ timestamp: '2026-11-28T01:00:00.000+0000', rule: { level: 12, description: 'd', id: '5712' }, agent: { id: '001', name: 'a' }, id: `1764291600.${n}`, full_log: 'x', location: 'l' }),
    );
    const file = join(dir.home, 'alerts-copy.json');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const state = join(dir.home, 'state');
    const replay = await runCli(['replay', file, '--home', dir.home, '--state', state, '--no-progress', '-d']);
    assert.is(replay.code, 3, `every alert dead-lettered: ${replay.stderr.slice(-500)}`);
    assert.is(service.receipts.length, ALERTS, 'the service answered every alert');
    const list = await runCli(['dlq', 'list', '--home', dir.home, '--state', state]);
    const seen = [
      { source: 'replay stdout', text: replay.stdout },
      { source: 'replay stderr', text: replay.stderr },
      { source: 'dlq list', text: list.stdout + list.stderr },
      ...filesUnder(state).map((path) => ({ source: path, text: readFileSync(path, 'utf8') })),
    ];
    const deadLetters = seen.filter((s) => s.source.includes('dead')).map((s) => s.text).join('\n');
    assert.match(deadLetters, 'no_service: xxx', "the service's answer is quoted in the dead letters");
    assert.match(deadLetters, '**REDACTED**', 'and the token in it redacted');
    for (const secret of [TOKEN, KEY]) {
      for (const { source, text } of seen) assert.equal(leakedPieces(text, secret), [], `${source} shows part of ${secret}`);
    }
  } finally {
    await service.close();
    dir.remove();
  }
});
test.run();
