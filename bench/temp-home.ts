// A throw-away Wazuh home for the end-to-end benchmarks: one custom-* webhook block, an empty alerts.json.

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataDir } from './bench-env.js';

export interface TempHome {
  readonly home: string;
  readonly config: string;
  readonly alerts: string;
}

/**
 * Creates (or wipes and recreates) bench/.data/<name>/ as a Wazuh home whose ossec.conf has a
 * single `custom-bench` block: no executable in integrations/ and a hook_url, so integratord
 * delivers it as a generic JSON webhook (a POST of the alert) to `hookUrl`. No filter: every
 * alert is delivered. logs/alerts/alerts.json exists and is empty.
 */
export const tempHome = (name: string, hookUrl: string): TempHome => {
  const home = join(dataDir(), name);
  rmSync(home, { recursive: true, force: true });
  for (const dir of ['etc', 'logs/alerts', 'integrations', 'var/integratord']) mkdirSync(join(home, dir), { recursive: true });
  const config = join(home, 'etc', 'ossec.conf');
  writeFileSync(
    config,
    [
      '<ossec_config>',
      '  <integration>',
      '    <name>custom-bench</name>',
      `    <hook_url>${hookUrl}</hook_url>`,
      '    <alert_format>json</alert_format>',
      '  </integration>',
      '</ossec_config>',
      '',
    ].join('\n'),
  );
  const alerts = join(home, 'logs', 'alerts', 'alerts.json');
  writeFileSync(alerts, '');
  return { home, config, alerts };
};
