// Specs for src/integrations/legacy-alert-file.ts (Wazuh's legacy 7-line key='value' alert file (alert_format not json), computed on a copy of the alert).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { legacyAlertFile, sanitizeFullLog, sanitizeSrcIp } from '../../src/integrations/legacy-alert-file.js';
import { sampleAlert } from '../helpers/sample-alerts.js';

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
