// Specs for bench/syslog-ng.ts (syslog-ng as the benchmarks' peer: its configs, a foreground run, its counters); in the peers suite (npm run test:peers), which needs syslog-ng.

import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { generateAlertLines } from '../../bench/corpus.js';
import { controlStats, filterOnlyConfig, httpConfig, parseStats, runSyslogNg, syslogNgVersion } from '../../bench/syslog-ng.js';
import { tempDir } from '../helpers/temp-dir.js';

const ALERTS = 300;
const lines = [...generateAlertLines(ALERTS, 7)];
/** Wazuh's rule: a missing rule.level is level 0. */
const levelOf = (line: string) => ((JSON.parse(line) as { rule?: { level?: number } }).rule?.level ?? 0);

const stats = suite('parseStats');

stats('maps each counter to its number, leaving out the header and the closing dot', () => {
  const reply = 'SourceName;SourceId;SourceInstance;State;Type;Number\nfilter;f_level;;a;matched;12\nsrc.file;s#0;/tmp/a b;a;processed;300\n\n.\n';
  assert.equal([...parseStats(reply)], [
    ['filter;f_level;;a;matched', 12],
    ['src.file;s#0;/tmp/a b;a;processed', 300],
  ]);
});

stats('controlStats resolves undefined while there is no control socket', async () => {
  const dir = await tempDir();
  try {
    assert.is(await controlStats(join(dir.path, 'missing.ctl')), undefined);
  } finally {
    await dir.remove();
  }
});

stats.run();

const run = suite('runSyslogNg');

run('is installed for the peer table (syslog-ng-core)', () => {
  assert.match(syslogNgVersion() ?? 'not on PATH', /^3\.\d+/);
});

run('filter only: reads the whole file from its first line and filters on rule.level as Wazuh does, stopped once every line went through', async () => {
  const dir = await tempDir();
  try {
    const file = join(dir.path, 'alerts.json');
    writeFileSync(file, lines.map((l) => `${l}\n`).join(''));
    const expected = lines.filter((l) => levelOf(l) >= 10).length;
    assert.ok(expected > 0 && expected < ALERTS, `the corpus has both sides of level 10 (${expected})`);
    const seen = (s: Map<string, number>) => (s.get('filter;f_level;;a;matched') ?? 0) + (s.get('filter;f_level;;a;not_matched') ?? 0);
    const r = await runSyslogNg('spec-filter', filterOnlyConfig(file, 10), (s) => seen(s) >= ALERTS, 30);
    assert.is(r.stopped, 'done', r.stderr);
    assert.is(r.stats.get('filter;f_level;;a;matched'), expected);
    assert.is(seen(r.stats), ALERTS);
    assert.is(r.stats.get('parser;p_json;;a;discarded'), 0);
    // A run this small can take less CPU than GNU time's 10 ms resolution: only the memory is sure to show.
    assert.ok(r.cpuSeconds >= 0 && r.peakRssBytes > 0);
  } finally {
    await dir.remove();
  }
});

run('end to end: one POST per alert, the alert line as the JSON body, over several connections', async () => {
  const dir = await tempDir();
  const bodies: string[] = [];
  const connections = new Set<number>();
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      bodies.push(`${request.method} ${request.url} ${request.headers['content-type']} ${body}`);
      connections.add(request.socket.remotePort ?? 0);
      response.end('{"ok":true}');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const file = join(dir.path, 'alerts.json');
    writeFileSync(file, lines.map((l) => `${l}\n`).join(''));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ingest`;
    const r = await runSyslogNg('spec-http', httpConfig(file, url, 4), () => bodies.length >= ALERTS, 30);
    assert.is(r.stopped, 'done', r.stderr);
    assert.equal(bodies.sort(), lines.map((l) => `POST /ingest application/json ${l}`).sort());
    assert.ok(connections.size > 1, `${connections.size} connection(s)`);
  } finally {
    server.closeAllConnections();
    server.close();
    await dir.remove();
  }
});

run.run();
