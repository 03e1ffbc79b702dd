// Specs for src/integrations/legacy-alert-file.ts (Wazuh's legacy 7-line key='value' alert file (alert_format not json), computed on a copy of the alert).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { field, stringField, type Alert } from '../../src/alerts/alert.js';
import { runScript } from '../../src/delivery/run-script.js';
import { custom } from '../../src/integrations/custom-script.js';
import { legacyAlertFile, sanitizeFullLog, sanitizeLegacyValue, sanitizeSrcIp } from '../../src/integrations/legacy-alert-file.js';
import { wazuhPaths } from '../../src/wazuh-home.js';
import { blockConfig } from '../helpers/block-config.js';
import { sampleAlert, sampleAlerts } from '../helpers/sample-alerts.js';
import { tempDir } from '../helpers/temp-dir.js';
import { writeScript } from '../helpers/scripts.js';

const log = suite('sanitizeFullLog');
log("maps quotes, backslash, semicolon, !, $ and bytes outside 32..122 like integratord", () => {
  assert.is(sanitizeFullLog('a\'b\\c`d"e;f!g$h{i|j}k~l\tm\nn', 165), 'a b/c d e,f g h i j k l m n');
});
log('turns every byte of a non-ASCII character into a space', () => {
  assert.is(sanitizeFullLog('né', 165), 'n  ');
});
log('cuts at max_log and ends with ..., also for a log of exactly max_log bytes', () => {
  assert.is(sanitizeFullLog('a'.repeat(200), 165), `${'a'.repeat(162)}...`);
  assert.is(sanitizeFullLog('a'.repeat(165), 165), `${'a'.repeat(162)}...`);
  assert.is(sanitizeFullLog('a'.repeat(164), 165), 'a'.repeat(164));
  assert.is(sanitizeFullLog('é'.repeat(100), 165).length, 165, 'counted in bytes');
});
log.run();

const ip = suite('sanitizeSrcIp');
ip('keeps IPv4, IPv6 and spaces; blanks quotes, backslash and bytes below "."', () => {
  assert.is(sanitizeSrcIp('192.168.0.1'), '192.168.0.1');
  assert.is(sanitizeSrcIp('fe80::1'), 'fe80::1');
  assert.is(sanitizeSrcIp("a-b,c+d 'x'\\`"), 'a b c d  x   ');
});
ip.run();

const file = suite('legacyAlertFile');
file('writes the seven key=value lines without a trailing newline', () => {
  const text = legacyAlertFile(sampleAlert(4), 165);
  assert.is(
    text,
    [
      "alertdate='2022-05-11T12:29:19.905+0000'",
      "alertlocation='/var/log/secure'",
      "ruleid='5712'",
      "alertlevel='10'",
      "ruledescription='sshd: brute force trying to get access to the system. Non existent user.'",
      "alertlog='May 11 12:29:18 localhost sshd[17584]: Invalid user paco from 172.17.1.1 port 56404'",
      "srcip='172.17.1.1'",
    ].join('\n'),
  );
});
file('writes empty values and level 0 for a bare alert; truncates a string or fractional level like valueint', () => {
  assert.is(legacyAlertFile({}, 165), "alertdate=''\nalertlocation=''\nruleid=''\nalertlevel='0'\nruledescription=''\nalertlog=''\nsrcip=''");
  assert.ok(legacyAlertFile({ rule: { level: '12' } }, 165).includes("alertlevel='0'"));
  assert.ok(legacyAlertFile({ rule: { level: 9.9 } }, 165).includes("alertlevel='9'"));
});
file('never changes the alert other blocks see (Wazuh sanitizes it in place)', () => {
  const alert = sampleAlert(8);
  const before = JSON.stringify(alert);
  const text = legacyAlertFile(alert, 165);
  assert.is(JSON.stringify(alert), before);
  const line = text.split('\n')[5] as string;
  assert.not.ok(/[`"$!;]/.test(line.slice("alertlog='".length, -1)), line);
});
file.run();

/** The file as Wazuh writes it (and integratord did before): timestamp, location, rule id and description raw. */
const wazuhRawFile = (alert: Alert, maxLog: number): string => {
  const level = field(alert, 'rule', 'level');
  return [
    `alertdate='${stringField(alert, 'timestamp') ?? ''}'`,
    `alertlocation='${stringField(alert, 'location') ?? ''}'`,
    `ruleid='${stringField(alert, 'rule', 'id') ?? ''}'`,
    `alertlevel='${typeof level === 'number' ? Math.trunc(level) : 0}'`,
    `ruledescription='${stringField(alert, 'rule', 'description') ?? ''}'`,
    `alertlog='${sanitizeFullLog(stringField(alert, 'full_log') ?? '', maxLog)}'`,
    `srcip='${sanitizeSrcIp(stringField(alert, 'data', 'srcip') ?? '')}'`,
  ].join('\n');
};

const hostile = suite('legacyAlertFile: alert content is attacker input');
hostile("maps every value with full_log's byte map: quotes, newlines, CR and control bytes", () => {
  assert.is(sanitizeLegacyValue('a\'b\\c`d"e;f!g$h\ri\nj\u0000k\u001bl~m'), 'a b/c d e,f g h i j k l m');
  const text = legacyAlertFile({ timestamp: "t'\n", location: "l'\r", rule: { id: "1'\n", description: "d'$(id)" }, data: { srcip: "1.2.3.4';x" } }, 165);
  assert.is(text, "alertdate='t  '\nalertlocation='l  '\nruleid='1  '\nalertlevel='0'\nruledescription='d  (id)'\nalertlog=''\nsrcip='1.2.3.4 ,x'");
});
hostile('a location with newlines and quotes forges no key: still seven lines, the real values', () => {
  const alert = { ...sampleAlert(4), location: "/var/log/x'\nalertlevel='15'\nruleid='1'\nsrcip='6.6.6.6" };
  const lines = legacyAlertFile(alert, 165).split('\n');
  assert.equal(
    lines.map((l) => l.slice(0, l.indexOf('='))),
    ['alertdate', 'alertlocation', 'ruleid', 'alertlevel', 'ruledescription', 'alertlog', 'srcip'],
  );
  assert.is(lines[1], "alertlocation='/var/log/x  alertlevel= 15  ruleid= 1  srcip= 6.6.6.6'");
  assert.equal(lines.filter((l) => /^(alertlevel|ruleid|srcip)=/.test(l)), ["ruleid='5712'", "alertlevel='10'", "srcip='172.17.1.1'"]);
});
hostile('a bash script that sources the file runs no command from the location, and reads the real level', async () => {
  const home = await tempDir();
  try {
    const pwned = join(home.path, 'PWNED');
    const seen = join(home.path, 'seen');
    const integrations = join(home.path, 'integrations');
    // A real bash script in the style of Wazuh's old pagerduty: `source` the key=value file.
    const file = await writeScript(integrations, 'custom-legacy', '');
    await writeFile(file, `#!/bin/bash\nsource "$1"\nprintf '%s|%s|%s' "$alertlevel" "$ruleid" "$alertlocation" > '${seen}'\n`);
    const config = blockConfig({ name: 'custom-legacy', jsonFormat: false, alertFormat: undefined });
    const block = custom.create(config, { paths: wazuhPaths(home.path), debug: 0 });
    const alert = { ...sampleAlert(4), location: `x'; id > ${pwned}; alertlevel='15` };
    const [step] = block.plan(alert);
    assert.ok(step?.kind === 'exec');
    const result = await runScript(step, { cwd: home.path, signal: AbortSignal.timeout(10_000) });
    assert.is(result.exitCode, 0);
    assert.not.ok(existsSync(pwned), 'the location ran `id`');
    assert.is(await readFile(seen, 'utf8'), `10|5712|x , id > ${pwned}, alertlevel= 15`);
  } finally {
    await home.remove();
  }
});
hostile("is byte-identical to Wazuh's file for every fixture alert (normal input is unchanged)", () => {
  const alerts = sampleAlerts();
  assert.ok(alerts.length >= 18);
  for (const [i, alert] of alerts.entries()) {
    for (const maxLog of [165, 1024]) assert.is(legacyAlertFile(alert, maxLog), wazuhRawFile(alert, maxLog), `fixture line ${i + 1}, max_log ${maxLog}`);
  }
});
hostile.run();
