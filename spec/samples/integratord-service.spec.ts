// Specifies samples/integratord.service: its sandboxing directives, its paths, and its command lines run for real.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DaemonProcess } from '../helpers/daemon-process.js';
import { ossecConf, webhookBlock } from '../helpers/ossec-conf.js';
import { spawnCli } from '../helpers/spawned-cli.js';
import { tempDirSync } from '../helpers/temp-dir.js';
import { wazuhPaths } from '../../src/wazuh-home.js';

const UNIT = readFileSync(new URL('../../samples/integratord.service', import.meta.url), 'utf8');
const PACKAGE = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { bin: Record<string, string> };
/** Where `npm install -g` links the bin with Debian's nodejs: $(npm prefix -g)/bin/integratord. */
const INSTALLED_BIN = '/usr/local/bin/integratord';

/** Every `Key=value` of one [section], in file order (a key set twice keeps both values); comments dropped. */
const directives = (text: string, section: string): Map<string, string[]> => {
  const found = new Map<string, string[]>();
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header?.[1] !== undefined) {
      current = header[1];
      continue;
    }
    const eq = line.indexOf('=');
    assert.ok(eq > 0, `not a directive: ${line}`);
    if (current !== section) continue;
    const key = line.slice(0, eq);
    found.set(key, [...(found.get(key) ?? []), line.slice(eq + 1)]);
  }
  return found;
};

const service = directives(UNIT, 'Service');
const one = (key: string): string => {
  const values = service.get(key);
  assert.equal(values?.length, 1, `${key}= is set once in [Service]`);
  return values![0]!;
};
/** A command line as argv; the unit uses no quoting, so whitespace splits it as systemd does. */
const argvOf = (key: string): string[] => {
  const line = one(key);
  assert.not.match(line, /["'\\]/, `${key} needs no quoting`);
  return line.split(/\s+/);
};
const optionOf = (argv: readonly string[], name: string): string | undefined => {
  const at = argv.indexOf(name);
  return at < 0 ? undefined : argv[at + 1];
};

const text = suite('samples/integratord.service directives');

text('ExecStart and ExecStartPre run the bin where `npm install -g` puts it, and the comment says so', () => {
  assert.ok(PACKAGE.bin['integratord'], 'package.json names the bin integratord');
  assert.is(argvOf('ExecStart')[0], INSTALLED_BIN);
  assert.is(argvOf('ExecStartPre')[0], INSTALLED_BIN);
  assert.match(UNIT, '$(npm prefix -g)/bin/integratord');
});

text('ExecStartPre is `check` with the same --home and -c as the daemon', () => {
  const start = argvOf('ExecStart');
  const pre = argvOf('ExecStartPre');
  assert.is(start[1], 'run');
  assert.is(pre[1], 'check');
  assert.is(optionOf(pre, '--home'), optionOf(start, '--home'));
  assert.is(optionOf(pre, '-c'), optionOf(start, '-c'));
  assert.is(optionOf(start, '-c'), '/var/ossec/etc/integratord.conf');
});

text('runs as the wazuh user with no capabilities and a private umask', () => {
  assert.is(one('User'), 'wazuh');
  assert.is(one('Group'), 'wazuh');
  assert.is(one('CapabilityBoundingSet'), '');
  assert.is(one('UMask'), '0077');
  assert.is(one('NoNewPrivileges'), 'yes');
  assert.not.ok(service.has('AmbientCapabilities'));
});

text('the only writable paths are the state directory the CLI defaults to and integrations.log', () => {
  assert.is(one('ProtectSystem'), 'strict');
  const home = optionOf(argvOf('ExecStart'), '--home')!;
  assert.not.ok(argvOf('ExecStart').includes('--state'), 'the daemon uses the default state directory, like dlq');
  const writable = one('ReadWritePaths').split(/\s+/);
  assert.equal(writable, [wazuhPaths(home).state, `-${join(home, 'logs', 'integrations.log')}`]);
  assert.not.ok(writable.some((p) => p.includes('queue')), 'the queue socket is reached without a writable mount');
});

text('sets every sandboxing directive the README lists', () => {
  const expected: Record<string, string> = {
    ProtectHome: 'yes',
    PrivateTmp: 'yes',
    PrivateDevices: 'yes',
    PrivateMounts: 'yes',
    ProtectKernelTunables: 'yes',
    ProtectKernelModules: 'yes',
    ProtectKernelLogs: 'yes',
    ProtectControlGroups: 'yes',
    ProtectClock: 'yes',
    ProtectHostname: 'yes',
    ProtectProc: 'invisible',
    RestrictAddressFamilies: 'AF_UNIX AF_INET AF_INET6',
    RestrictNamespaces: 'yes',
    RestrictRealtime: 'yes',
    RestrictSUIDSGID: 'yes',
    LockPersonality: 'yes',
    RemoveIPC: 'yes',
    SystemCallArchitectures: 'native',
    SystemCallErrorNumber: 'EPERM',
  };
  for (const [key, value] of Object.entries(expected)) assert.is(one(key), value, `${key}=`);
  assert.equal(service.get('SystemCallFilter'), ['@system-service @pkey', '~@privileged @resources']);
});

text('leaves out MemoryDenyWriteExecute (V8 JIT), ProcSubset and PrivateUsers, and says why', () => {
  for (const key of ['MemoryDenyWriteExecute', 'ProcSubset', 'PrivateUsers']) {
    assert.not.ok(service.has(key), `${key}= is not set`);
    assert.match(UNIT, new RegExp(`# - ${key}=yes: |# - ${key}=pid: `), `a comment says why ${key} is left out`);
  }
});

text('the README\'s "Running under systemd" names every sandboxing directive the unit sets or leaves out', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const start = readme.indexOf('\n## Running under systemd\n');
  assert.ok(start >= 0, 'README has the section');
  const sectionText = readme.slice(start, readme.indexOf('\n## ', start + 1));
  const operational = new Set(['Type', 'WorkingDirectory', 'ExecStartPre', 'ExecStart', 'ExecReload', 'KillSignal', 'TimeoutStopSec', 'Restart', 'RestartSec']);
  const sandboxing = [...service.keys()].filter((key) => !operational.has(key));
  assert.ok(sandboxing.length >= 25, `the unit sets ${sandboxing.length} sandboxing directives`);
  for (const key of [...sandboxing, 'MemoryDenyWriteExecute', 'ProcSubset', 'PrivateUsers']) assert.match(sectionText, `\`${key}`, `README names ${key}`);
  assert.match(sectionText, /Exposure, `systemd-analyze security --offline=true samples\/integratord.service` with systemd \d+/);
  assert.match(sectionText, '$(npm prefix -g)/bin/integratord');
  assert.match(sectionText, 'install -d -m 0700 -o wazuh -g wazuh /var/ossec/var/integratord');
});

text.run();

const commands = suite('samples/integratord.service command lines, run against a Wazuh home laid out the same way');

/** A Wazuh home with integratord.conf beside ossec.conf and the state directory of the install step (0700). */
const wazuhHome = (config: string) => {
  const tmp = tempDirSync('unit');
  for (const dir of ['etc', 'logs/alerts']) mkdirSync(join(tmp.dir, dir), { recursive: true });
  mkdirSync(join(tmp.dir, 'var', 'integratord'), { recursive: true, mode: 0o700 });
  writeFileSync(join(tmp.dir, 'etc', 'ossec.conf'), '<ossec_config></ossec_config>\n');
  writeFileSync(join(tmp.dir, 'etc', 'integratord.conf'), config);
  writeFileSync(join(tmp.dir, 'logs', 'alerts', 'alerts.json'), '');
  return tmp;
};
/** The unit's argv after the bin, with /var/ossec moved to `home` and --http on a free port. */
const unitArgs = (key: string, home: string): string[] =>
  argvOf(key)
    .slice(1)
    .map((arg) => (arg.startsWith('/var/ossec') ? `${home}${arg.slice('/var/ossec'.length)}` : arg === '127.0.0.1:9465' ? '127.0.0.1:0' : arg));
/** Nothing listens there: the daemon starts at the end of an empty alerts.json and sends nothing. */
const VALID = ossecConf(webhookBlock('custom-siem', 'http://127.0.0.1:9/wazuh'));

commands('ExecStartPre passes a valid integratord.conf, then ExecStart follows alerts and stops on KillSignal', async () => {
  const home = wazuhHome(VALID);
  try {
    const pre = spawnCli(unitArgs('ExecStartPre', home.dir));
    assert.equal(await pre.exited(), { code: 0, signal: null }, pre.stdout());
    assert.match(pre.stdout(), `${join(home.dir, 'etc', 'integratord.conf')}: OK, 1 integration block`);
    const daemon = new DaemonProcess(unitArgs('ExecStart', home.dir));
    try {
      await daemon.ready();
      assert.is((await daemon.get('/healthz')).status, 200);
      assert.match(daemon.stderr, `state in ${join(home.dir, 'var', 'integratord')}`);
      assert.equal(await daemon.stop(one('KillSignal') as NodeJS.Signals), { code: 0, signal: null }, daemon.stderr);
    } finally {
      await daemon.stop('SIGKILL');
    }
  } finally {
    home.remove();
  }
});

commands('ExecStartPre fails on an invalid integratord.conf, so the daemon is never started', async () => {
  const home = wazuhHome('<ossec_config><integration><name>custom-siem</name><hook_url>http://127.0.0.1:9/</hook_url><levle>3</levle></integration></ossec_config>\n');
  try {
    const pre = spawnCli(unitArgs('ExecStartPre', home.dir));
    assert.equal(await pre.exited(), { code: 1, signal: null });
    assert.match(pre.stdout(), 'integratord.conf:1:');
  } finally {
    home.remove();
  }
});

commands.run();
