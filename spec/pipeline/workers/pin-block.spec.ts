// Specs for src/pipeline/workers/pin-block.ts (which blocks keep delivering on the main thread under --workers N).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadConfigText } from '../../../src/config/load.js';
import { pinnedReason } from '../../../src/pipeline/workers/pin-block.js';
import { startupCheck } from '../../../src/pipeline/startup-check.js';
import { wazuhPaths } from '../../../src/wazuh-home.js';
import { AlertsDir } from '../../helpers/alerts-dir.js';
import { captureLog } from '../../helpers/capture-log.js';
import { writeScript } from '../../helpers/scripts.js';

const reasonFor = (home: string, block: string): string | undefined => {
  const [config] = loadConfigText(`<ossec_config><integration>${block}</integration></ossec_config>`, 'integratord.conf').integrations;
  if (config === undefined) throw new Error('no block');
  const paths = wazuhPaths(home);
  const started = startupCheck(config, paths);
  if (!started.enabled) throw new Error(started.reason);
  return pinnedReason(config, started.block, paths);
};

const pin = suite('pinnedReason');

pin('noise control, a rate limit, an enrichment and a custom script keep one owner; a plain webhook or slack block goes to the workers', async () => {
  const dir = new AlertsDir('pin-block');
  const log = captureLog(0);
  try {
    const hook = '<hook_url>http://127.0.0.1:9/x</hook_url><alert_format>json</alert_format>';
    assert.is(reasonFor(dir.home, `<name>custom-hook</name>${hook}`), undefined);
    assert.is(reasonFor(dir.home, '<name>slack</name><hook_url>http://127.0.0.1:9/services/T/B/C</hook_url>'), undefined);
    assert.is(reasonFor(dir.home, `<name>custom-hook</name>${hook}<dedup_by>rule.id</dedup_by>`), 'noise control');
    assert.is(reasonFor(dir.home, `<name>custom-hook</name>${hook}<group_by>agent.id</group_by>`), 'noise control');
    assert.is(reasonFor(dir.home, '<name>abuseipdb</name><api_key>k-1234567890</api_key><alert_format>json</alert_format><options>{"rate_per_minute": 30}</options>'), 'enrichment');
    assert.is(reasonFor(dir.home, '<name>virustotal</name><api_key>k-1234567890</api_key>'), 'enrichment');
    await writeScript(wazuhPaths(dir.home).integrations, 'custom-run', 'exit 0');
    assert.is(reasonFor(dir.home, '<name>custom-run</name><alert_format>json</alert_format>'), 'custom script');
  } finally {
    log.restore();
    dir.remove();
  }
});

pin.run();
