// The Wazuh directory layout integratord reads and writes under --home (default /var/ossec).

import { join, resolve } from 'node:path';

export const DEFAULT_HOME = '/var/ossec';
/** The file stock Wazuh reads its <integration> blocks from. */
export const WAZUH_CONFIG = 'ossec.conf';
/** integratord's own file beside it: blocks with integratord's names and tags, which Wazuh refuses. */
export const INTEGRATORD_CONFIG = 'integratord.conf';

export interface WazuhPaths {
  readonly home: string;
  /** The main configuration file: `-c FILE`, else the home's ossec.conf. */
  readonly config: string;
  /**
   * Every file run and each command read, in order: `-c FILE` alone, else the home's ossec.conf and
   * integratord.conf (skipped when it does not exist). Their blocks form one configuration.
   */
  readonly configFiles: readonly string[];
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
  const config = overrides.config ? resolve(overrides.config) : join(root, 'etc', WAZUH_CONFIG);
  return {
    home: root,
    config,
    configFiles: overrides.config ? [config] : [config, join(root, 'etc', INTEGRATORD_CONFIG)],
    alerts: join(root, 'logs', 'alerts', 'alerts.json'),
    alertsArchive: join(root, 'logs', 'alerts'),
    integrations: join(root, 'integrations'),
    queueSocket: join(root, 'queue', 'sockets', 'queue'),
    state: overrides.state ? resolve(overrides.state) : join(root, 'var', 'integratord'),
  };
};
