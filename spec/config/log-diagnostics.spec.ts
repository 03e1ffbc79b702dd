// Specs for src/config/log-diagnostics.ts (Writes a configuration's diagnostics to the log at their own severity (daemon, replay)).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadConfigText } from '../../src/config/load.js';
import { logDiagnostics } from '../../src/config/log-diagnostics.js';
import { captureLog } from '../helpers/capture-log.js';

const logging = suite('logDiagnostics');

logging('logs each error as ERROR and each warning as WARNING, located FILE:LINE:COL, and says false when one is an error', () => {
  const loaded = loadConfigText(
    '<ossec_config>\n  <integration>\n    <name>slack</name>\n    <level>17</level>\n  </integration>\n  <integration>\n    <name>slack</name>\n    <max_log>5</max_log>\n  </integration>\n</ossec_config>\n',
    '/etc/x.conf',
  );
  const log = captureLog(0);
  try {
    assert.is(logDiagnostics(loaded.diagnostics), false);
  } finally {
    log.restore();
  }
  assert.is(log.lines.length, loaded.diagnostics.length);
  assert.match(log.lines.find((l) => l.includes(':8:5:')) ?? '', /integratord: ERROR: \/etc\/x\.conf:8:5: <max_log>/);
  assert.match(log.lines.find((l) => l.includes(':4:5:')) ?? '', /integratord: WARNING: \/etc\/x\.conf:4:5: level 17 is above 16/);
  assert.not.match(log.text(), 'error:', 'the severity is the log level, not repeated');
});

logging('says true for warnings only, and logs nothing for none', () => {
  const log = captureLog(0);
  try {
    const warned = loadConfigText('<ossec_config><integration><name>slack</name><hook_url>h</hook_url><level>17</level></integration></ossec_config>', 'w.conf');
    assert.ok(warned.diagnostics.length > 0);
    assert.is(logDiagnostics(warned.diagnostics), true);
    assert.not.match(log.text(), 'ERROR');
    const before = log.lines.length;
    assert.is(logDiagnostics([]), true);
    assert.is(log.lines.length, before);
  } finally {
    log.restore();
  }
});

logging.run();
