// A throw-away Wazuh home for the end-to-end benchmarks: custom-* webhook blocks (one by default), an empty alerts.json.

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataDir } from './bench-env.js';

export interface TempHome {
  readonly home: string;
  readonly config: string;
  readonly alerts: string;
}

export interface TempHomeBlocks {
  /** How many `custom-bench` blocks (default 1); block i > 0 posts to `hookUrl/i`, so no two are twins. */
  readonly blocks?: number;
  /** A `<level>` for every block (default none: every alert is delivered). */
  readonly level?: number;
}

/**
 * Creates (or wipes and recreates) bench/.data/<name>/ as a Wazuh home whose ossec.conf has a
 * single `custom-bench` block (or `blocks` of them): no executable in integrations/ and a hook_url,
 * so integratord delivers it as a generic JSON webhook (a POST of the alert) to `hookUrl`. No
 * filter unless `level` is given: every alert is delivered. logs/alerts/alerts.json exists and is empty.
 */
export const tempHome = (name: string, hookUrl: string, shape: TempHomeBlocks = {}): TempHome => {
  const home = join(dataDir(), name);
  rmSync(home, { recursive: true, force: true });
  for (const dir of ['etc', 'logs/alerts', 'integrations', 'var/integratord']) mkdirSync(join(home, dir), { recursive: true });
  const config = join(home, 'etc', 'ossec.conf');
  writeFileSync(
    config,
    [
      '<ossec_config>',
      ...Array.from({ length: shape.blocks ?? 1 }, (_, i) => [
        '  <integration>',
        '    <name>custom-bench</name>',
        `    <hook_url>${i === 0 ? hookUrl : `${hookUrl}/${i}`}</hook_url>`,
        ...(shape.level === undefined ? [] : [`    <level>${shape.level}</level>`]),
        '    <alert_format>json</alert_format>',
        '  </integration>',
      ]).flat(),
      '</ossec_config>',
      '',
    ].join('\n'),
  );
  const alerts = join(home, 'logs', 'alerts', 'alerts.json');
  writeFileSync(alerts, '');
  return { home, config, alerts };
};
