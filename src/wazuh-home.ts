// The Wazuh directory layout integratord reads and writes under --home (default /var/ossec).

import { join, resolve } from 'node:path';

export const DEFAULT_HOME = '/var/ossec';

export interface WazuhPaths {
  readonly home: string;
  readonly config: string;
  readonly alerts: string;
  /** Where daily rotation puts old alert files: logs/alerts/YYYY/Mon/ossec-alerts-DD.json[.gz]. */
  readonly alertsArchive: string;
  readonly integrations: string;
  readonly queueSocket: string;
  readonly state: string;
}

/** Resolves every path of a Wazuh home; `state` and `config` may be overridden (--state, -c). */
export const wazuhPaths = (home: string, overrides: { config?: string | undefined; state?: string | undefined } = {}): WazuhPaths => {
  const root = resolve(home);
  return {
    home: root,
    config: overrides.config ? resolve(overrides.config) : join(root, 'etc', 'ossec.conf'),
    alerts: join(root, 'logs', 'alerts', 'alerts.json'),
    alertsArchive: join(root, 'logs', 'alerts'),
    integrations: join(root, 'integrations'),
    queueSocket: join(root, 'queue', 'sockets', 'queue'),
    state: overrides.state ? resolve(overrides.state) : join(root, 'var', 'integratord'),
  };
};
