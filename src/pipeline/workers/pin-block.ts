// Which blocks stay on the main thread when delivery runs in workers: those whose state must have one owner.

import { join } from 'node:path';
import type { IntegrationConfig } from '../../config/integration-config.js';
import { statScript } from '../../delivery/run-script.js';
import type { BlockIntegration } from '../../integrations/definition.js';
import type { WazuhPaths } from '../../wazuh-home.js';

/**
 * Why the block keeps delivering on the main thread, or undefined when its alerts may be spread over
 * workers: noise control (dedup, group and hourly state), a per-block rate limit (rate_per_minute), an
 * enrichment (its integration's cache and its api_key's quota are the main thread's stores) and a custom script (one process per alert, the argv contract, files in /tmp) each keep a single owner.
 */
export const pinnedReason = (config: IntegrationConfig, integration: BlockIntegration, paths: WazuhPaths): string | undefined => {
  if (config.noise !== undefined) return 'noise control';
  if (integration.requestsPerMinute !== undefined) return 'rate_per_minute';
  if (integration.requestQuota !== undefined) return 'enrichment';
  if (config.name.startsWith('custom-') && statScript(join(paths.integrations, config.name)).exists) return 'custom script';
  return undefined;
};
