// syslog-ng as the peer of the benchmarks: detection, its config for each job, a foreground run, its stats over the control socket.

import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { dataDir } from './bench-env.js';
import { timedProcess, type Timed } from './timed-process.js';

/** What the table prints instead of numbers when syslog-ng is not on PATH. */
export const SYSLOG_NG_MISSING = 'syslog-ng not installed: `apt-get install syslog-ng-core syslog-ng-mod-http`';

/** "3.38.1" from `syslog-ng --version`; undefined when syslog-ng is not on PATH. */
export const syslogNgVersion = (): string | undefined => {
  const probe = spawnSync('syslog-ng', ['--version'], { encoding: 'utf8' });
  if (probe.error !== undefined || probe.status !== 0) return undefined;
  return /^syslog-ng \d+ \(([^)]+)\)/m.exec(probe.stdout)?.[1] ?? probe.stdout.split('\n')[0]?.trim();
};

/** A double-quoted syslog-ng string (its escapes are C-like: backslash and double quote). */
const quoted = (text: string): string => `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

/**
 * Global options and the file source both jobs share. The source reads the corpus from its first byte:
 * a fresh persist file holds no position, and syslog-ng starts a file() it has no position for at the
 * beginning. flags(no-parse): the whole line is ${MESSAGE} (no syslog header parsing). Tuned for
 * throughput, so the peer is not measured at a handicap: a 10,000-message source window and 1,000
 * messages per fetch (defaults 100 and 10); 1 MiB messages (the corpus's longest line is ~4 KB).
 */
const head = (file: string): string[] => [
  '@version: 3.38',
  'options { stats-level(1); stats-freq(0); threaded(yes); use-dns(no); dns-cache(no); log-msg-size(1048576); };',
  `source s_alerts { file(${quoted(file)} flags(no-parse) follow-freq(1) log-iw-size(10000) log-fetch-limit(1000)); };`,
  'parser p_json { json-parser(prefix(".json.")); };',
];

/**
 * The filter-only job: file source → json-parser → a filter on rule.level (numeric `>=`; an alert
 * without rule.level, Wazuh's level 0, has an empty value that never passes) → file("/dev/null").
 * Its filter counters (`filter;f_level;;a;matched` / `not_matched`) tell when every line went through.
 */
export const filterOnlyConfig = (file: string, level: number): string =>
  [
    ...head(file),
    `filter f_level { "\${.json.rule.level}" >= ${level} };`,
    'destination d_null { file("/dev/null"); };',
    'log { source(s_alerts); parser(p_json); filter(f_level); destination(d_null); };',
    '',
  ].join('\n');

/**
 * The end-to-end job: file source → json-parser → http(): one POST per alert (batch-lines(1)), the
 * line as the body, `workers` parallel connections. flags(flow-control): when the destination's queue
 * is full the source waits instead of dropping, so every alert is delivered, as integratord does.
 */
export const httpConfig = (file: string, url: string, workers: number): string =>
  [
    ...head(file),
    `destination d_http { http(url(${quoted(url)}) method("POST") headers("Content-Type: application/json") body("\${MESSAGE}") workers(${workers}) batch-lines(1) log-fifo-size(10000)); };`,
    'log { source(s_alerts); parser(p_json); destination(d_http); flags(flow-control); };',
    '',
  ].join('\n');

/** Parses the reply to STATS (`SourceName;SourceId;SourceInstance;State;Type;Number` lines) into "name;id;instance;state;type" → number. */
export const parseStats = (reply: string): Map<string, number> => {
  const stats = new Map<string, number>();
  for (const line of reply.split('\n')) {
    const cut = line.lastIndexOf(';');
    if (cut === -1 || line.startsWith('SourceName;')) continue;
    const value = Number(line.slice(cut + 1));
    if (Number.isFinite(value)) stats.set(line.slice(0, cut), value);
  }
  return stats;
};

/**
 * Asks syslog-ng for its counters over its control socket (what `syslog-ng-ctl stats` sends: "STATS\n";
 * the reply ends with a line "."). Resolves undefined while the socket is not there yet or on any error.
 */
export const controlStats = (socket: string): Promise<Map<string, number> | undefined> =>
  new Promise((resolve) => {
    let reply = '';
    const client = connect(socket);
    client.setEncoding('utf8');
    client.on('data', (chunk: string) => {
      reply += chunk;
      if (reply.endsWith('\n.\n')) {
        client.end();
        resolve(parseStats(reply));
      }
    });
    client.on('error', () => resolve(undefined));
    client.on('close', () => resolve(undefined));
    client.write('STATS\n');
  });

export interface SyslogNgRun extends Timed {
  /** The last counters read before it was stopped. */
  readonly stats: Map<string, number>;
}

/**
 * Runs `syslog-ng -F` (foreground) with `config`, under GNU time, in a fresh bench/.data/syslog-ng-<job>/
 * holding the config, persist file, control socket and pid file. Polls its counters (or `done` of the
 * caller) and stops it with SIGTERM once `finished(stats)` says so; `capSeconds` bounds the run.
 * Throws when the config is refused (e.g. the http module, syslog-ng-mod-http, is missing).
 */
export const runSyslogNg = async (
  job: string,
  config: string,
  finished: (stats: Map<string, number>) => boolean | Promise<boolean>,
  capSeconds: number,
): Promise<SyslogNgRun> => {
  const dir = join(dataDir(), `syslog-ng-${job}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const conf = join(dir, 'syslog-ng.conf');
  writeFileSync(conf, config);
  const syntax = spawnSync('syslog-ng', ['--syntax-only', '-f', conf], { encoding: 'utf8' });
  if (syntax.status !== 0) throw new Error(`syslog-ng refused ${conf} (syslog-ng-mod-http missing?): ${syntax.stderr.trim().slice(-1000)}`);
  const control = join(dir, 'syslog-ng.ctl');
  let stats = new Map<string, number>();
  const run = await timedProcess(
    'syslog-ng',
    ['-F', '-f', conf, '--persist-file', join(dir, 'syslog-ng.persist'), '--control', control, '--pidfile', join(dir, 'syslog-ng.pid')],
    {
      capSeconds,
      done: async () => {
        stats = (await controlStats(control)) ?? stats;
        return finished(stats);
      },
    },
  );
  return { ...run, stats };
};
